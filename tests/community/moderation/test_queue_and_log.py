"""The animateurs' pages: the queue, the append-only log, a post's edit history, and the
fixed number of queries of the queue and the log."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import ModerationLogEntry, Post, PostRevision, Report
from community.moderation import services
from community.moderation.selectors import open_report_count
from tests.community.conftest import client_for, page_text
from tests.community.moderation.conftest import make_post, make_topic
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.community.moderation.urls_for_tests"),
]


def _queue_url() -> str:
    return reverse("community:moderation_queue", kwargs={"slug": "nord"})


def _log_url() -> str:
    return reverse("community:moderation_log", kwargs={"slug": "nord"})


# --- The queue --------------------------------------------------------------------------


def test_queue_shows_each_open_report_with_excerpt_author_reporter_reason_and_date(open_cast, post):
    services.post_report(post=post, reporter=open_cast.member, reason="Propos agressifs.")
    response = client_for(open_cast.animator).get(_queue_url())
    assert response.context["title"] == "Modération — Espace Nord"
    text = page_text(response)
    assert "Signalements à traiter (1)" in text
    assert "Un message qui dérape." in text
    assert "Paul Auteur" in text
    assert "Inès Membre" in text
    assert "Propos agressifs." in text
    assert 'class="fr-table' in text
    assert 'name="decision" value="hidden"' in text
    assert 'name="decision" value="dismissed"' in text
    assert '<label class="fr-label" for="note-' in text


def test_queue_groups_the_reports_of_one_post(open_cast, post):
    services.post_report(post=post, reporter=open_cast.member, reason="Premier motif.")
    services.post_report(post=post, reporter=open_cast.suspended, reason="Second motif.")
    response = client_for(open_cast.animator).get(_queue_url())
    assert len(response.context["reported_posts"]) == 1
    assert "Signalements à traiter (1)" in page_text(response)
    assert "Second motif." in page_text(response)


def test_queue_leaves_out_handled_reports_and_other_spaces(open_cast, post, aisne_forum):
    handled = services.post_report(post=post, reporter=open_cast.member, reason="Traité.")
    services.report_handle(report=handled, by=open_cast.animator, decision="dismissed")
    aisne_post = make_post(make_topic(aisne_forum), author=UserFactory(), body="Dans l'Aisne.")
    Report.objects.create(post=aisne_post, reporter=open_cast.member, reason="Ailleurs.")
    text = page_text(client_for(open_cast.staff).get(_queue_url()))
    assert "Aucun signalement à traiter." in text
    assert "Ailleurs." not in text


def test_queue_lists_pending_posts_to_approve_or_hide(open_cast, topic):
    make_post(topic, author=open_cast.member, body="Mon premier message.", state=Post.State.PENDING)
    text = page_text(client_for(open_cast.animator).get(_queue_url()))
    assert "Messages en attente de validation (1)" in text
    assert "Mon premier message." in text
    assert "Approuver" in text


def test_queue_lists_current_suspensions_with_a_way_to_lift_them(open_cast):
    text = page_text(client_for(open_cast.animator).get(_queue_url()))
    assert "Suspensions en cours (1)" in text
    assert "Hugo Suspendu" in text
    assert 'name="lift"' in text


def _fill_queue(*, nord_forum, reporters, rows: int):
    for n in range(rows):
        author = UserFactory(display_name=f"Auteur {n}")
        topic = make_topic(nord_forum, author=author, title=f"Sujet {n}")
        reported = make_post(topic, author=author, body=f"Message signalé {n}")
        for reporter in reporters:
            Report.objects.create(post=reported, reporter=reporter, reason=f"Motif {n}")
        make_post(topic, author=author, body=f"En attente {n}", state=Post.State.PENDING)


def _queries(client, url) -> int:
    client.get(url)  # warm the caches (sessions, shared settings)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_query_count_does_not_grow_with_the_number_of_reports(open_cast, nord_forum):
    client = client_for(open_cast.animator)
    reporters = [open_cast.member, open_cast.suspended]
    _fill_queue(nord_forum=nord_forum, reporters=reporters, rows=5)
    few = _queries(client, _queue_url())
    _fill_queue(nord_forum=nord_forum, reporters=reporters, rows=35)
    many = _queries(client, _queue_url())
    assert Report.objects.count() == 80
    # User (the session is cached), space, membership; reports with their posts, topics,
    # authors and reporters; reported live-chat messages; pending posts; suspensions;
    # unread notifications (base template; the portal settings come from the shared cache).
    assert few == many == 8


# --- The log ----------------------------------------------------------------------------


def test_log_lists_who_did_what_when_to_what(open_cast, post):
    services.post_hide(post=post, by=open_cast.animator, note="Hors charte.")
    response = client_for(open_cast.staff).get(_log_url())
    assert response.context["title"] == "Journal de modération — Espace Nord"
    text = page_text(response)
    assert "Alice Animatrice" in text
    assert "Message masqué" in text
    assert "Message de Paul Auteur dans « Référent unique : vos retours ? »" in text
    assert f'href="{reverse("community:post", kwargs={"pk": post.pk})}"' in text
    assert "Hors charte." in text
    assert 'class="fr-table' in text


def _fill_log(space, actors, rows: int):
    for n in range(rows):
        ModerationLogEntry.objects.create(
            space=space,
            actor=actors[n % len(actors)],
            action=ModerationLogEntry.Action.LOCK,
            target_label=f"Sujet {n}",
            target_url="/communaute/nord/",
        )


def test_log_is_paginated_by_50_newest_first(open_cast, nord):
    _fill_log(nord, [open_cast.animator], 55)
    client = client_for(open_cast.animator)
    first = client.get(_log_url())
    assert len(first.context["entries"]) == 50
    assert first.context["entries"][0].target_label == "Sujet 54"
    assert "page 1 sur 2" in page_text(first)
    second = client.get(_log_url() + "?page=2")
    assert [e.target_label for e in second.context["entries"]] == [
        f"Sujet {n}" for n in range(4, -1, -1)
    ]


def test_log_query_count_does_not_grow_with_the_number_of_entries(open_cast, nord):
    client = client_for(open_cast.animator)
    actors = [UserFactory() for _ in range(5)]
    _fill_log(nord, actors, 5)
    few = _queries(client, _log_url())
    _fill_log(nord, actors, 35)
    many = _queries(client, _log_url())
    # User (the session is cached), space, membership; count; entries with their actors;
    # unread notifications (base template; the portal settings come from the shared cache).
    assert few == many == 6


def test_log_shows_only_this_spaces_entries(open_cast, nord, aisne):
    _fill_log(aisne, [open_cast.other_animator], 1)
    assert "Aucune action de modération" in page_text(client_for(open_cast.staff).get(_log_url()))


def test_a_log_entry_cannot_be_changed_or_deleted(open_cast, nord):
    entry = ModerationLogEntry.objects.create(
        space=nord, actor=open_cast.animator, action="hide", target_label="Un message"
    )
    entry.detail = "Réécrit après coup"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        entry.save()
    with pytest.raises(ValueError, match="ne se modifie pas"):
        entry.delete()
    entry.refresh_from_db()
    assert entry.detail == ""


def test_the_log_only_grows_across_actions(open_cast, post, topic, author):
    counts = [ModerationLogEntry.objects.count()]
    services.post_hide(post=post, by=open_cast.animator)
    counts.append(ModerationLogEntry.objects.count())
    services.post_restore(post=post, by=open_cast.animator)
    counts.append(ModerationLogEntry.objects.count())
    services.topic_lock(topic=topic, by=open_cast.staff, locked=True)
    counts.append(ModerationLogEntry.objects.count())
    assert counts == [0, 1, 2, 3]
    first = ModerationLogEntry.objects.order_by("pk").first()
    assert first.action == ModerationLogEntry.Action.HIDE


def test_the_log_page_offers_no_way_to_change_it(open_cast, nord):
    _fill_log(nord, [open_cast.animator], 1)
    client = client_for(open_cast.staff)
    assert client.post(_log_url()).status_code == 405
    assert client.delete(_log_url()).status_code == 405
    assert 'method="post"' not in page_text(client.get(_log_url())).split("<main")[1]
    assert ModerationLogEntry.objects.count() == 1


# --- Edit history -----------------------------------------------------------------------


def test_post_history_lists_earlier_versions_newest_first(open_cast, post, author):
    PostRevision.objects.create(post=post, body="Version une.", edited_by=author)
    PostRevision.objects.create(post=post, body="Version deux.", edited_by=author)
    response = client_for(open_cast.animator).get(
        reverse("community:moderation_post_revisions", kwargs={"pk": post.pk})
    )
    text = page_text(response)
    assert "Versions précédentes (2)" in text
    assert text.index("Version deux.") < text.index("Version une.")
    assert "Un message qui dérape." in text


def test_post_history_escapes_what_was_written(open_cast, post):
    PostRevision.objects.create(post=post, body="<script>alert(1)</script>")
    response = client_for(open_cast.animator).get(
        reverse("community:moderation_post_revisions", kwargs={"pk": post.pk})
    )
    assert "<script>alert(1)</script>" not in response.content.decode()


# --- Tools for the topic page -----------------------------------------------------------


def _render(template, user, **context):
    request = RequestFactory().get("/communaute/nord/sujet/")
    request.user = user
    return render_to_string(template, {**context, "user": user}, request=request)


def test_post_tools_offer_report_to_readers_and_hide_to_animateurs(open_cast, post):
    member_tools = _render(
        "community/moderation/includes/post_tools.html",
        open_cast.member,
        post=post,
        may_moderate=False,
    )
    assert reverse("community:moderation_post_report", kwargs={"pk": post.pk}) in member_tools
    assert reverse("community:moderation_post_hide", kwargs={"pk": post.pk}) not in member_tools
    animator_tools = _render(
        "community/moderation/includes/post_tools.html",
        open_cast.animator,
        post=post,
        may_moderate=True,
    )
    assert reverse("community:moderation_post_hide", kwargs={"pk": post.pk}) in animator_tools


def test_topic_tools_offer_pin_lock_move_and_retitle(open_cast, topic):
    tools = _render(
        "community/moderation/includes/topic_tools.html", open_cast.animator, topic=topic
    )
    for name in ["pin", "lock", "move", "retitle"]:
        assert reverse(f"community:moderation_topic_{name}", kwargs={"pk": topic.pk}) in tools


def test_open_report_count_is_per_space_and_leaves_out_handled_reports(open_cast, nord, post):
    first = services.post_report(post=post, reporter=open_cast.member, reason="Un.")
    services.post_report(post=post, reporter=open_cast.suspended, reason="Deux.")
    assert open_report_count(space=nord) == 2
    services.report_handle(report=first, by=open_cast.animator, decision="dismissed")
    assert open_report_count(space=nord) == 0
