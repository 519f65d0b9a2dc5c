"""Approving a course in Wagtail's moderation also approves what waits under it.

Without this, a moderator who approves a course publishes it while its modules
and lessons, submitted with it, stay in moderation: the catalogue then offers a
course with an empty plan. When a course's workflow is approved, each of its
descendants waiting in moderation is approved at its current task by the same
moderator, provided that task lets this moderator approve it (a task held by
another group stays where it is). Descendants go in tree order, so a module is
published before its lessons.
"""

from django.dispatch import receiver
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import workflow_approved


@receiver(workflow_approved, sender=WorkflowState)
def approve_course_descendants(sender, instance: WorkflowState, user=None, **kwargs):
    from academy.models import CoursePage

    course = instance.content_object  # the base Page: the workflow keys on the base type
    course = getattr(course, "specific", course)
    if user is None or not isinstance(course, CoursePage):
        return
    waiting = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type_id=instance.base_content_type_id,
        workflow_state__object_id__in=[
            str(pk) for pk in course.get_descendants().values_list("pk", flat=True)
        ],
    ).select_related("workflow_state", "task")
    ids = [int(state.workflow_state.object_id) for state in waiting]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    comment = f"Approuvé avec la formation « {course.title} »."
    for state in sorted(waiting, key=lambda s: pages[int(s.workflow_state.object_id)].path):
        page = pages[int(state.workflow_state.object_id)]
        task = state.task.specific
        if any(action == "approve" for action, *_ in task.get_actions(page, user)):
            task.on_action(state.specific, user, "approve", comment=comment)
