from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from portal.notifications.models import EmailBatch, Notification
from portal.notifications.services import (
    next_digest_time,
    notification_preferences_update,
    notify,
)
from tests.factories import UserFactory
from tests.notifications.conftest import run_task

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def burst(recipient, n, kind="system.welcome", actor=None):
    return [
        notify(recipient=recipient, kind=kind, actor=actor, context={"title": f"Sujet n° {i}"})
        for i in range(1, n + 1)
    ]


def html_part(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_burst_of_notifications_leaves_as_one_grouped_email(
    user, deferred_tasks, on_commit, settings
):
    settings.NOTIFICATIONS_EMAIL_GROUPING_SECONDS = 120
    before = timezone.now()
    with on_commit():
        burst(user, 3, actor=UserFactory(display_name="Camille D."))

    [result] = deferred_tasks.results
    assert before + timedelta(seconds=120) <= result.task.run_after
    assert result.task.run_after <= timezone.now() + timedelta(seconds=120)
    assert mail.outbox == []

    assert run_task(result) == 3
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Académie & Communauté] 3 nouvelles notifications"
    for part in (message.body, html_part(message)):
        assert part.count("Sujet n° ") == 3
        assert "Camille D." in part
        assert "/mon-espace/notifications/desabonnement/" in part
    assert "http://testserver" not in message.body
    assert settings.SITE_URL + "/mon-espace/notifications/" in message.body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_notification_after_the_batch_left_opens_a_new_one(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
    run_task(deferred_tasks.results[0])
    with on_commit():
        burst(user, 1)

    assert len(deferred_tasks.results) == 2
    run_task(deferred_tasks.results[1])
    assert [m.subject for m in mail.outbox] == [
        "[Académie & Communauté] 2 nouvelles notifications",
        "[Académie & Communauté] 1 nouvelle notification",
    ]


def test_running_a_batch_task_twice_sends_one_email(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
    [result] = deferred_tasks.results

    assert run_task(result) == 2
    assert run_task(result) == 0
    assert len(mail.outbox) == 1


def test_stale_open_batch_is_enqueued_again(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 1)
    EmailBatch.objects.update(scheduled_for=timezone.now() - timedelta(hours=1))
    with on_commit():
        burst(user, 1)

    assert len(deferred_tasks.results) == 2
    assert run_task(deferred_tasks.results[1]) == 2
    assert len(mail.outbox) == 1


def test_immediate_backend_sends_without_deferring(user, on_commit):
    # The test default backend cannot defer: each notify() leaves at once, alone.
    with on_commit():
        notify(recipient=user, kind="system.welcome", context={"title": "Bienvenue"})

    [message] = mail.outbox
    assert message.subject == "[Académie & Communauté] 1 nouvelle notification"
    assert "Bienvenue" in message.body


def test_notifications_read_before_sending_are_dropped_from_email(user, deferred_tasks, on_commit):
    with on_commit():
        first, _second = burst(user, 2)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())

    assert run_task(deferred_tasks.results[0]) == 1
    [message] = mail.outbox
    assert "Sujet n° 2" in message.body
    assert "Sujet n° 1" not in message.body
    first.refresh_from_db()
    assert first.email_state == "skipped"


def test_no_email_when_everything_was_read_before_sending(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
    Notification.objects.update(read_at=timezone.now())

    assert run_task(deferred_tasks.results[0]) == 0
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"skipped"}


def test_never_preference_sends_nothing_and_marks_skipped(user, deferred_tasks, on_commit):
    notification_preferences_update(user=user, deliveries={"system.welcome": "never"})
    with on_commit():
        [notification] = burst(user, 1)

    assert deferred_tasks.results == []
    assert mail.outbox == []
    assert notification.email_state == "skipped"


def test_turning_kind_off_before_sending_drops_it(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
    notification_preferences_update(user=user, deliveries={"system.welcome": "never"})

    assert run_task(deferred_tasks.results[0]) == 0
    assert mail.outbox == []


def test_unverified_email_gets_no_email(deferred_tasks, on_commit):
    unverified = UserFactory(verified_email=False)
    with on_commit():
        [notification] = burst(unverified, 1)

    assert deferred_tasks.results == []
    assert notification.email_state == "skipped"
    assert Notification.objects.filter(recipient=unverified).count() == 1  # still in-app


def test_inactive_user_gets_no_email(deferred_tasks, on_commit):
    inactive = UserFactory(is_active=False)
    with on_commit():
        [notification] = burst(inactive, 1)

    assert deferred_tasks.results == []
    assert notification.email_state == "skipped"


def test_user_deactivated_before_sending_gets_no_email(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
    user.is_active = False
    user.save()

    assert run_task(deferred_tasks.results[0]) == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("now_paris", "expected_paris"),
    [
        (datetime(2026, 3, 10, 6, 59), datetime(2026, 3, 10, 7, 0)),
        (datetime(2026, 3, 10, 7, 0), datetime(2026, 3, 11, 7, 0)),
        (datetime(2026, 3, 10, 23, 30), datetime(2026, 3, 11, 7, 0)),
        # Clocks go forward on 29 March 2026: still 7:00 local time, now UTC+2.
        (datetime(2026, 3, 28, 20, 0), datetime(2026, 3, 29, 7, 0)),
    ],
)
def test_next_digest_time_is_next_seven_oclock_in_paris(settings, now_paris, expected_paris):
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    now = now_paris.replace(tzinfo=PARIS).astimezone(UTC)

    assert next_digest_time(now) == expected_paris.replace(tzinfo=PARIS)


def test_daily_digest_is_scheduled_at_next_seven_and_sends_one_email(
    user, deferred_tasks, on_commit, settings
):
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    notification_preferences_update(user=user, deliveries={"system.welcome": "daily"})
    before = next_digest_time(timezone.now())
    with on_commit():
        burst(user, 4)
        # A kind whose default is the daily digest joins the same batch.
        notify(recipient=user, kind="system.announcement", context={"title": "Nouveauté"})

    [result] = deferred_tasks.results
    assert result.task.run_after in {before, next_digest_time(timezone.now())}
    assert result.task.run_after.astimezone(PARIS).hour == 7
    assert EmailBatch.objects.get().mode == "daily"

    assert run_task(result) == 5
    [message] = mail.outbox
    assert message.subject == (
        "[Académie & Communauté] Votre résumé du jour : 5 nouvelles notifications"
    )
    assert "résumé du jour" in html_part(message)
    assert message.body.count("Sujet n° ") == 4
    assert "Nouveauté" in message.body


def test_immediate_and_daily_kinds_go_to_separate_batches(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
        notify(recipient=user, kind="system.announcement")

    assert sorted(EmailBatch.objects.values_list("mode", flat=True)) == ["daily", "immediate"]
    assert len(deferred_tasks.results) == 2


def test_email_carries_one_click_unsubscribe_headers(user, deferred_tasks, on_commit):
    with on_commit():
        burst(user, 2)
    run_task(deferred_tasks.results[0])

    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://") and header.endswith(">")
    assert "/mon-espace/notifications/desabonnement/" in header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" in message.message()
