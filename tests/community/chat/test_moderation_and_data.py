"""Reported chat messages in the space's moderation queue, and a member's chat data."""

import json

import pytest
from django.urls import reverse

from community.chat import services
from community.chat.selectors import chat_room_for_slug
from community.models import ChatMessage, ModerationLogEntry, Report
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(nord):
    return chat_room_for_slug(slug="nord")


@pytest.fixture
def reported(room, open_cast):
    sent = services.chat_message_send(
        room=room, author=open_cast.member, body="Un propos déplacé.", client_id="c-1"
    )
    report = services.chat_message_report(
        room=room, user=open_cast.animator, number=sent.message.number, reason="Hors charte."
    )
    return sent.message, report


def _handle(user, report, decision):
    return client_for(user).post(
        reverse("community:moderation_report_handle", kwargs={"pk": report.pk}),
        {"decision": decision, "note": "Vu."},
    )


def test_reported_chat_message_counts_in_the_badge_of_the_queue(open_cast, reported, nord):
    from community.moderation.selectors import open_report_count

    assert open_report_count(space=nord) == 1
    _handle(open_cast.animator, reported[1], "dismissed")
    assert open_report_count(space=nord) == 0


def test_reported_chat_message_appears_in_its_space_queue(open_cast, reported):
    response = client_for(open_cast.animator).get(
        reverse("community:moderation_queue", kwargs={"slug": "nord"})
    )
    text = page_text(response)
    assert "Messages de la discussion en direct signalés (1)" in text
    assert "Un propos déplacé." in text
    assert "Hors charte." in text


def test_animator_deletes_reported_chat_message_from_the_queue(open_cast, reported):
    message, report = reported
    response = _handle(open_cast.animator, report, "hidden")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == ""
    report.refresh_from_db()
    assert report.status == Report.Status.HIDDEN
    actions = set(ModerationLogEntry.objects.values_list("action", flat=True))
    assert actions == {ModerationLogEntry.Action.CHAT_DELETE, ModerationLogEntry.Action.REPORT}
    # The reporter is the animator here: nobody is told of their own decision.
    assert not Notification.objects.filter(kind="community.report_handled").exists()


def test_dismissed_chat_report_keeps_the_message_and_tells_the_reporter(open_cast, room):
    sent = services.chat_message_send(
        room=room, author=open_cast.animator, body="Réunion jeudi.", client_id="c-2"
    )
    report = services.chat_message_report(
        room=room, user=open_cast.member, number=sent.message.number, reason="Spam ?"
    )
    _handle(open_cast.animator, report, "dismissed")
    sent.message.refresh_from_db()
    assert sent.message.deleted_at is None
    notice = Notification.objects.get(recipient=open_cast.member, kind="community.report_handled")
    assert "classé sans suite" in notice.title


@pytest.mark.parametrize("role", ["member", "other_animator", "non_member"])
def test_only_the_space_animators_handle_chat_reports(open_cast, reported, role):
    message, report = reported
    response = _handle(getattr(open_cast, role), report, "hidden")
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.deleted_at is None
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN


def test_member_exports_their_chat_messages(open_cast, room):
    services.chat_message_send(
        room=room, author=open_cast.member, body="Bonjour à tous", client_id="c-3"
    )
    response = client_for(open_cast.member).get("/mon-espace/donnees/export.json")
    data = json.loads(response.content)
    [exported] = data["communaute"]["discussion"]
    assert exported["message"] == "Bonjour à tous"
    assert exported["espace"] == "Nord"


def test_erased_account_leaves_its_messages_without_author(open_cast, room):
    sent = services.chat_message_send(
        room=room, author=open_cast.member, body="Bonjour", client_id="c-4"
    )
    open_cast.member.delete()
    message = ChatMessage.objects.get(pk=sent.message.pk)
    assert message.author is None
    assert message.number == 1
