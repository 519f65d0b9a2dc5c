"""Every territory has its space, open by default."""

from django.db import migrations


def create_spaces(apps, schema_editor):
    Territory = apps.get_model("people", "Territory")
    Space = apps.get_model("community", "Space")
    Space.objects.bulk_create(
        [Space(territory=t) for t in Territory.objects.filter(space__isnull=True)]
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial"), ("people", "0002_reference_data")]
    operations = [migrations.RunPython(create_spaces, migrations.RunPython.noop)]
