"""Give Wagtail's default moderation workflow a French name.

wagtailcore's migration 0048 creates a workflow and a task named after the
"Moderators" group: "Moderators approval". Editors then read « Soumettre à
Moderators approval » on the submit button. Only rows still carrying the
default name are renamed, so a name an administrator chose is kept.
"""

from django.db import migrations

DEFAULT = "Moderators approval"
WORKFLOW = "Relecture éditoriale"
TASK = "Validation par les modérateurs"


def to_french(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=DEFAULT).update(name=WORKFLOW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=DEFAULT).update(name=TASK)


def to_default(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).update(name=DEFAULT)
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).update(name=DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_french, to_default)]
