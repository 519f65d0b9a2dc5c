"""Wagtail's workflow e-mails go to the people who work in the Wagtail admin, only.

Members propose practice sheets from the front end and never reach the admin: they
hear of every decision through portal.notifications (one centre, their delivery
preferences, their unsubscribe links). Wagtail's own e-mails, with links into the
admin, would tell them a second time, in English-named steps, with links they cannot
open. These notifiers are Wagtail's, minus the recipients who may not access the
admin; editors, moderators and superusers keep every e-mail they had, and their
choices on their Wagtail profile (UserProfile.*_notifications) still apply.
"""

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted


def may_use_admin(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


class AdminUsersOnly:
    # Before Wagtail reads (and creates) each recipient's UserProfile for their choices.
    def get_recipient_users(self, instance, **kwargs):
        return {
            user for user in super().get_recipient_users(instance, **kwargs) if may_use_admin(user)
        }


class TaskSubmissionNotifier(AdminUsersOnly, GroupApprovalTaskStateSubmissionEmailNotifier):
    pass


class WorkflowSubmissionNotifier(AdminUsersOnly, WorkflowStateSubmissionEmailNotifier):
    pass


class WorkflowApprovalNotifier(AdminUsersOnly, WorkflowStateApprovalEmailNotifier):
    pass


class WorkflowRejectionNotifier(AdminUsersOnly, WorkflowStateRejectionEmailNotifier):
    pass


# Signals hold their receivers weakly: these instances live as long as the module.
NOTIFIERS = [
    # (signal, sender, Wagtail's dispatch_uid — see wagtail.admin.signal_handlers, notifier)
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        TaskSubmissionNotifier(),
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        WorkflowSubmissionNotifier(),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        WorkflowRejectionNotifier(),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        WorkflowApprovalNotifier(),
    ),
]


def replace_wagtail_notifiers() -> None:
    """Takes the place of Wagtail's notifiers, under their dispatch_uids.

    Whatever the order of the apps' ready(): a receiver connected under a dispatch_uid
    keeps it (Django ignores a later connect with the same one), so disconnecting
    Wagtail's (if already connected) then connecting ours leaves ours alone.
    """
    for signal, sender, dispatch_uid, notifier in NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid)
