"""Reporting a post and handling the report: the reporter's side and the animateur's."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from community.models import ModerationLogEntry, Post, Report
from community.moderation import services
from portal.notifications import kinds
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.moderation.conftest import make_post
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.community.moderation.urls_for_tests"),
]


def _report_url(post) -> str:
    return reverse("community:moderation_post_report", kwargs={"pk": post.pk})


def test_report_is_recorded_with_its_reason_and_sends_back_to_next(open_cast, post):
    next_url = post.topic.get_absolute_url() + "?page=2"
    response = client_for(open_cast.member).post(
        _report_url(post), {"reason": "  Propos injurieux.  ", "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == next_url
    report = Report.objects.get()
    assert (report.post, report.reporter, report.reason) == (
        post,
        open_cast.member,
        "Propos injurieux.",
    )
    follow = client_for(open_cast.member).get(response.url)
    assert follow.status_code == 200


def test_report_ignores_a_next_on_another_site(open_cast, post):
    response = client_for(open_cast.member).post(
        _report_url(post), {"reason": "Publicité.", "next": "https://exemple.com/piege"}
    )
    assert response.url == reverse("community:post", kwargs={"pk": post.pk})


def test_report_without_reason_is_refused_in_french(open_cast, post):
    response = client_for(open_cast.member).post(_report_url(post), {"reason": "   "})
    assert response.status_code == 400
    assert "Indiquez le motif du signalement." in page_text(response)
    assert not Report.objects.exists()


def test_report_reason_longer_than_1000_characters_is_refused_and_kept(open_cast, post):
    reason = "Trop long. " * 100
    response = client_for(open_cast.member).post(_report_url(post), {"reason": reason})
    assert response.status_code == 400
    assert "ne doit pas dépasser 1000 caractères" in page_text(response)
    assert reason.strip() in page_text(response)
    assert not Report.objects.exists()


def test_second_open_report_of_the_same_post_by_the_same_user_is_refused(open_cast, post):
    client = client_for(open_cast.member)
    client.post(_report_url(post), {"reason": "Propos injurieux."})
    response = client.post(_report_url(post), {"reason": "Encore lui."})
    assert response.status_code == 400
    assert "Vous avez déjà signalé ce message." in page_text(response)
    assert "Encore lui." in page_text(response)
    assert Report.objects.count() == 1


def test_a_handled_report_may_be_followed_by_a_new_one(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    services.report_handle(report=report, by=open_cast.animator, decision="dismissed")
    services.post_report(post=post, reporter=open_cast.member, reason="Toujours injurieux.")
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 1


def test_report_rate_limit_refuses_the_eleventh_report_and_keeps_the_typed_reason(
    open_cast, topic, author
):
    posts = [make_post(topic, author=author, body=f"Message {n}") for n in range(11)]
    client = client_for(open_cast.member)
    for post in posts[:10]:
        assert client.post(_report_url(post), {"reason": "Hors sujet."}).status_code == 302
    response = client.post(
        _report_url(posts[10]), {"reason": "Le motif que j'ai pris le temps d'écrire."}
    )
    assert response.status_code == 429
    text = page_text(response)
    assert "10 signalements en moins d'une heure" in text
    assert "Le motif que j'ai pris le temps d'écrire." in text
    assert Report.objects.count() == 10
    # Another person is not slowed down by it.
    other = client_for(open_cast.suspended).post(_report_url(posts[10]), {"reason": "Spam."})
    assert other.status_code == 302


def test_refused_reports_do_not_count_towards_the_rate_limit(open_cast, post):
    client = client_for(open_cast.member)
    client.post(_report_url(post), {"reason": "Propos injurieux."})
    for _ in range(15):
        client.post(_report_url(post), {"reason": "Encore."})
    assert cache.get(services._report_rate_windows(open_cast.member)[0].key) == 1


def test_one_cannot_report_ones_own_post(open_cast, topic):
    own = make_post(topic, author=open_cast.member)
    response = client_for(open_cast.member).post(_report_url(own), {"reason": "Oups."})
    assert response.status_code == 400
    assert "Vous ne pouvez pas signaler votre propre message." in page_text(response)


@pytest.mark.parametrize("state", [Post.State.HIDDEN, Post.State.PENDING, Post.State.DELETED])
def test_posts_that_are_not_published_cannot_be_reported(open_cast, topic, author, state):
    hidden = make_post(topic, author=author, state=state)
    response = client_for(open_cast.member).post(_report_url(hidden), {"reason": "Spam."})
    assert response.status_code == 404
    with pytest.raises(services.ActionRefused, match="plus visible"):
        services.post_report(post=hidden, reporter=open_cast.member, reason="Spam.")


# --- Handling --------------------------------------------------------------------------


def _handle(user, report, decision, note=""):
    return client_for(user).post(
        reverse("community:moderation_report_handle", kwargs={"pk": report.pk}),
        {"decision": decision, "note": note},
    )


def test_hiding_through_a_report_hides_the_post_records_the_decision_and_logs_it(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    response = _handle(open_cast.animator, report, "hidden", "Contraire à la charte.")
    assert response.status_code == 302
    assert response.url == reverse("community:moderation_queue", kwargs={"slug": "nord"})
    report.refresh_from_db()
    post.refresh_from_db()
    assert post.state == Post.State.HIDDEN
    assert report.status == Report.Status.HIDDEN
    assert report.handled_by == open_cast.animator
    assert report.handled_at is not None
    assert report.decision_note == "Contraire à la charte."
    entry = ModerationLogEntry.objects.get()
    assert entry.action == ModerationLogEntry.Action.REPORT
    assert entry.actor == open_cast.animator
    assert entry.target_label == "Message de Paul Auteur dans « Référent unique : vos retours ? »"
    assert entry.target_url == reverse("community:post", kwargs={"pk": post.pk})
    assert entry.detail == "1 signalement : message masqué. Note : Contraire à la charte."


def test_dismissing_a_report_keeps_the_post_published(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Bof.")
    _handle(open_cast.staff, report, "dismissed")
    report.refresh_from_db()
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    assert report.status == Report.Status.DISMISSED
    assert report.handled_by == open_cast.staff
    assert report.decision_note == ""
    assert ModerationLogEntry.objects.get().detail == "1 signalement : classé sans suite."


def test_reporter_is_notified_when_the_report_is_handled(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    _handle(open_cast.animator, report, "hidden")
    notification = Notification.objects.get(recipient=open_cast.member)
    assert notification.kind == "community.report_handled"
    assert notification.actor == open_cast.animator
    assert notification.title == (
        "Votre signalement d'un message dans « Référent unique : vos retours ? » : message masqué"
    )
    assert notification.url == post.topic.get_absolute_url()


def test_report_handled_kind_is_registered_with_its_french_label():
    assert kinds.get("community.report_handled").label == "Suite donnée à mes signalements"


def test_one_decision_handles_every_open_report_of_the_post_and_notifies_each_reporter(
    open_cast, post
):
    first = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    services.post_report(post=post, reporter=open_cast.suspended, reason="Agressif.")
    _handle(open_cast.animator, first, "dismissed")
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.DISMISSED}
    assert set(
        Notification.objects.filter(kind="community.report_handled").values_list(
            "recipient", flat=True
        )
    ) == {open_cast.member.pk, open_cast.suspended.pk}
    assert ModerationLogEntry.objects.get().detail == "2 signalements : classé sans suite."


def test_a_report_handled_twice_is_refused_the_second_time(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    _handle(open_cast.animator, report, "dismissed")
    response = _handle(open_cast.staff, report, "hidden")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Ce signalement a déjà été traité." in messages
    report.refresh_from_db()
    post.refresh_from_db()
    assert report.handled_by == open_cast.animator
    assert post.state == Post.State.PUBLISHED
    assert ModerationLogEntry.objects.count() == 1


def test_handling_without_a_decision_is_refused_in_french(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    response = _handle(open_cast.animator, report, "maybe")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Choisissez de masquer le message ou de classer sans suite."]
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN


def test_handling_is_refused_by_the_service_to_an_animateur_of_another_space(open_cast, post):
    report = services.post_report(post=post, reporter=open_cast.member, reason="Injurieux.")
    with pytest.raises(services.PermissionRefused, match="animateurs de l'espace"):
        services.report_handle(report=report, by=open_cast.other_animator, decision="hidden")


def test_handling_a_report_of_a_deleted_reporter_notifies_nobody(open_cast, post):
    reporter = UserFactory()
    report = services.post_report(post=post, reporter=reporter, reason="Spam.")
    reporter.delete()
    report.refresh_from_db()
    services.report_handle(report=report, by=open_cast.animator, decision="hidden")
    assert not Notification.objects.filter(kind="community.report_handled").exists()
