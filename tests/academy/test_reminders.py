from datetime import timedelta

import pytest

from academy import services
from academy.models import CourseSession, SessionRegistration
from academy.tasks import session_reminder_send
from portal.notifications.models import Notification
from tests.academy.factories import course_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """session_register, with the callbacks it leaves for after the commit run."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.session_register(**kwargs)

    return run


def _reminders(backend):
    return [r for r in backend.results if r.task.module_path == session_reminder_send.module_path]


def _reminder_notifications(user):
    return Notification.objects.filter(recipient=user, kind="academy.session_reminder")


def test_registering_schedules_the_reminder_the_day_before(tree, learner, deferred_tasks, register):
    session = course_session(tree.course, starts_in=timedelta(days=3))

    registration = register(user=learner, session=session)

    (reminder,) = _reminders(deferred_tasks)
    assert reminder.task.run_after == session.starts_at - timedelta(days=1)
    assert reminder.kwargs == {
        "registration_id": registration.pk,
        "starts_at": CourseSession.objects.get(pk=session.pk).starts_at.isoformat(),
    }


def test_no_reminder_is_scheduled_for_a_session_starting_within_a_day(
    tree, learner, deferred_tasks, register
):
    session = course_session(tree.course, starts_in=timedelta(hours=12))
    register(user=learner, session=session)
    assert _reminders(deferred_tasks) == []


def test_the_waiting_list_gets_no_reminder_until_promoted(
    tree, deferred_tasks, register, django_capture_on_commit_callbacks
):
    session = course_session(tree.course, capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    register(user=holder, session=session)
    register(user=waiting, session=session)
    assert len(_reminders(deferred_tasks)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(user=holder, session=session)

    promoted = SessionRegistration.objects.get(user=waiting)
    assert _reminders(deferred_tasks)[-1].kwargs["registration_id"] == promoted.pk
    assert len(_reminders(deferred_tasks)) == 2


def test_the_reminder_of_a_cancelled_registration_sends_nothing(
    tree, learner, deferred_tasks, register
):
    session = course_session(tree.course)
    register(user=learner, session=session)
    (reminder,) = _reminders(deferred_tasks)
    services.session_cancel(user=learner, session=session)

    assert services.session_reminder(**reminder.kwargs) is False
    assert not _reminder_notifications(learner).exists()


def test_the_reminder_of_a_registered_participant_notifies_them(
    tree, learner, deferred_tasks, register
):
    session = course_session(tree.course)
    register(user=learner, session=session)
    (reminder,) = _reminders(deferred_tasks)

    assert reminder.task.call(*reminder.args, **reminder.kwargs) is True

    notification = _reminder_notifications(learner).get()
    assert notification.url == session.get_absolute_url()


def test_the_reminder_of_a_moved_or_cancelled_session_sends_nothing(
    tree, learner, deferred_tasks, register
):
    session = course_session(tree.course)
    register(user=learner, session=session)
    (reminder,) = _reminders(deferred_tasks)

    CourseSession.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + timedelta(hours=2),
        ends_at=session.ends_at + timedelta(hours=2),
    )
    assert services.session_reminder(**reminder.kwargs) is False

    CourseSession.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at, ends_at=session.ends_at, cancelled=True
    )
    assert services.session_reminder(**reminder.kwargs) is False
    assert not _reminder_notifications(learner).exists()


def test_a_reminder_for_a_registration_that_no_longer_exists_sends_nothing(db):
    assert services.session_reminder(registration_id=987654, starts_at="2030-01-01") is False
    assert not Notification.objects.filter(kind="academy.session_reminder").exists()
