"""The site's settings row exists from the start.

Wagtail creates it at the first page that reads it: a write inside a GET, which also
renewed the generation of the shared copies (portal/page_cache.py) under the very
first visitors. Created here once, with the model's defaults.
"""

from django.db import migrations


def settings_row(apps, schema_editor):
    PortalSettings = apps.get_model("portal", "PortalSettings")
    if not PortalSettings.objects.exists():
        PortalSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_french_workflow_names")]

    operations = [migrations.RunPython(settings_row, migrations.RunPython.noop)]
