"""Wagtail's publication and workflow signals, turned into sheet services.

Imported once at start-up (CommunityConfig.ready); the dispatch_uids make a
second import harmless.
"""

from django.dispatch import receiver
from wagtail.models import WorkflowState
from wagtail.signals import page_published, workflow_rejected

from community.models import PracticeSheetPage
from community.sheets import services


@receiver(page_published, sender=PracticeSheetPage, dispatch_uid="community_sheet_published")
def _sheet_published(sender, instance, revision=None, **kwargs):
    services.sheet_published(sheet=instance, revision=revision)


@receiver(workflow_rejected, sender=WorkflowState, dispatch_uid="community_sheet_rejected")
def _sheet_rejected(sender, instance, user=None, **kwargs):
    # content_object is the base Page: compare the specific type before loading the sheet.
    if instance.content_type.model_class() is not PracticeSheetPage:
        return
    sheet = PracticeSheetPage.objects.filter(pk=instance.object_id).first()
    if sheet is None:
        return
    task_state = instance.current_task_state
    services.sheet_rejected(sheet=sheet, by=user, comment=task_state.comment if task_state else "")
