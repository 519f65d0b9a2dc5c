"""The sheets' review step, "Relecture par l'animation de l'espace", and its workflow.

Installs one SheetReviewTask in a workflow "Relecture des fiches pratiques" and
attaches that workflow to the sheets' index, if it exists (community.sheets.services
attaches it when it creates the index). Reviews already in progress keep the workflow
they started with.
"""

import django.db.models.deletion
from django.db import migrations, models

TASK_NAME = "Relecture par l'animation de l'espace"
WORKFLOW_NAME = "Relecture des fiches pratiques"


def install_review_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    SheetReviewTask = apps.get_model("community", "SheetReviewTask")
    PracticeSheetIndexPage = apps.get_model("community", "PracticeSheetIndexPage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    # Historical models run no Task.__init__: the content type is set here.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="community", model="sheetreviewtask"
    )
    task = SheetReviewTask.objects.filter(active=True).first()
    if task is None:
        task = SheetReviewTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task_id=task.pk).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    for index in PracticeSheetIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def remove_review_workflow(apps, schema_editor):
    SheetReviewTask = apps.get_model("community", "SheetReviewTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(workflow_tasks__task__in=SheetReviewTask.objects.all()).delete()
    SheetReviewTask.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_chat"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="SheetReviewTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
            ],
            options={
                "verbose_name": "relecture par l'animation de l'espace",
                "verbose_name_plural": "relectures par l'animation de l'espace",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(install_review_workflow, remove_review_workflow),
    ]
