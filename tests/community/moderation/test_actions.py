"""The animateurs' actions on posts, topics and members, and what each leaves in the log."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community.models import Forum, Membership, ModerationLogEntry, Post, Topic
from community.moderation import services
from tests.community.conftest import client_for, page_text
from tests.community.moderation.conftest import make_post, make_topic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.community.moderation.urls_for_tests"),
]

Action = ModerationLogEntry.Action


def _messages(response) -> list[str]:
    """The messages this request added (earlier ones wait in the cookie, unread)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


def _only_log_entry() -> ModerationLogEntry:
    return ModerationLogEntry.objects.get()


# --- Posts ------------------------------------------------------------------------------


def test_hiding_a_post_logs_it_and_goes_back_to_a_safe_next(open_cast, post):
    back = post.topic.get_absolute_url() + "?page=3"
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_post_hide", kwargs={"pk": post.pk}), {"next": back}
    )
    assert response.url == back
    assert _messages(response) == ["Message masqué : seuls les animateurs le voient désormais."]
    post.refresh_from_db()
    assert post.state == Post.State.HIDDEN
    entry = _only_log_entry()
    assert (entry.space.slug, entry.actor, entry.action) == (
        "nord",
        open_cast.animator,
        Action.HIDE,
    )
    assert entry.target_url == reverse("community:post", kwargs={"pk": post.pk})


def test_an_unsafe_next_falls_back_to_the_post(open_cast, post):
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_post_hide", kwargs={"pk": post.pk}),
        {"next": "//exemple.com/piege"},
    )
    assert response.url == reverse("community:post", kwargs={"pk": post.pk})


def test_restoring_a_hidden_post_publishes_it_again_and_logs_it(open_cast, post):
    services.post_hide(post=post, by=open_cast.animator)
    client_for(open_cast.staff).post(
        reverse("community:moderation_post_restore", kwargs={"pk": post.pk})
    )
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    assert list(ModerationLogEntry.objects.order_by("pk").values_list("action", "actor")) == [
        (Action.HIDE, open_cast.animator.pk),
        (Action.RESTORE, open_cast.staff.pk),
    ]


def test_hiding_twice_or_restoring_a_visible_post_is_refused_in_french(open_cast, post):
    client = client_for(open_cast.animator)
    restore = client.post(reverse("community:moderation_post_restore", kwargs={"pk": post.pk}))
    assert _messages(restore) == ["Ce message n'est pas masqué."]
    client.post(reverse("community:moderation_post_hide", kwargs={"pk": post.pk}))
    again = client.post(reverse("community:moderation_post_hide", kwargs={"pk": post.pk}))
    assert _messages(again) == ["Ce message est déjà masqué."]
    assert ModerationLogEntry.objects.count() == 1


def test_a_post_deleted_by_its_author_stays_deleted(open_cast, topic, author):
    deleted = make_post(topic, author=author, state=Post.State.DELETED)
    with pytest.raises(services.ActionRefused, match="supprimé par son auteur"):
        services.post_hide(post=deleted, by=open_cast.animator)


def test_approving_a_pending_post_publishes_it_and_logs_approve(open_cast, topic):
    pending = make_post(topic, author=open_cast.member, state=Post.State.PENDING)
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_post_approve", kwargs={"pk": pending.pk})
    )
    assert response.url == reverse("community:moderation_queue", kwargs={"slug": "nord"})
    pending.refresh_from_db()
    assert pending.state == Post.State.PUBLISHED
    assert _only_log_entry().action == Action.APPROVE


def test_approving_a_published_post_is_refused(open_cast, post):
    with pytest.raises(services.ActionRefused, match="n'attend pas de validation"):
        services.post_approve(post=post, by=open_cast.animator)


def test_a_pending_post_may_be_hidden_instead_of_approved(open_cast, topic):
    pending = make_post(topic, author=open_cast.member, state=Post.State.PENDING)
    services.post_hide(post=pending, by=open_cast.animator)
    pending.refresh_from_db()
    assert pending.state == Post.State.HIDDEN


def test_actions_are_post_only(open_cast, post, topic):
    client = client_for(open_cast.animator)
    for name, pk in [
        ("moderation_post_hide", post.pk),
        ("moderation_post_restore", post.pk),
        ("moderation_post_approve", post.pk),
        ("moderation_topic_pin", topic.pk),
        ("moderation_topic_lock", topic.pk),
    ]:
        assert client.get(reverse(f"community:{name}", kwargs={"pk": pk})).status_code == 405


def test_actions_need_the_csrf_token(open_cast, post):
    client = client_for(open_cast.animator)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("community:moderation_post_hide", kwargs={"pk": post.pk}))
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED


def test_unknown_post_or_topic_is_404(open_cast):
    client = client_for(open_cast.animator)
    assert (
        client.post(reverse("community:moderation_post_hide", kwargs={"pk": 999})).status_code
        == 404
    )
    assert (
        client.post(reverse("community:moderation_topic_pin", kwargs={"pk": 999})).status_code
        == 404
    )


# --- Topics -----------------------------------------------------------------------------


def test_pin_and_unpin_a_topic_each_logged(open_cast, topic):
    client = client_for(open_cast.animator)
    url = reverse("community:moderation_topic_pin", kwargs={"pk": topic.pk})
    assert _messages(client.post(url, {"pinned": "1"})) == ["Sujet épinglé en tête du forum."]
    topic.refresh_from_db()
    assert topic.pinned
    client.post(url, {"pinned": "0"})
    topic.refresh_from_db()
    assert not topic.pinned
    assert list(ModerationLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.PIN,
        Action.UNPIN,
    ]


def test_lock_and_unlock_a_topic_each_logged(open_cast, topic):
    client = client_for(open_cast.staff)
    url = reverse("community:moderation_topic_lock", kwargs={"pk": topic.pk})
    client.post(url, {"locked": "1"})
    topic.refresh_from_db()
    assert topic.locked
    client.post(url, {"locked": "0"})
    topic.refresh_from_db()
    assert not topic.locked
    assert list(ModerationLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.LOCK,
        Action.UNLOCK,
    ]


def test_pinning_an_already_pinned_topic_changes_nothing(open_cast, topic):
    services.topic_pin(topic=topic, by=open_cast.animator, pinned=True)
    services.topic_pin(topic=topic, by=open_cast.animator, pinned=True)
    assert ModerationLogEntry.objects.count() == 1


def test_pin_without_a_choice_is_refused_in_french(open_cast, topic):
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_topic_pin", kwargs={"pk": topic.pk})
    )
    assert _messages(response) == ["Choisissez d'épingler ou de désépingler le sujet."]
    assert not ModerationLogEntry.objects.exists()


def test_move_a_topic_to_another_forum_of_the_space_updates_both_forums(
    open_cast, topic, post, nord_forum, nord_other_forum
):
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_topic_move", kwargs={"pk": topic.pk}),
        {"forum": nord_other_forum.pk},
    )
    topic.refresh_from_db()
    # Back to the topic at its new address, not the old one.
    assert response.url == topic.get_absolute_url()
    assert nord_other_forum.slug in response.url
    assert _messages(response) == [
        "Sujet déplacé dans le forum « Relations entreprises et recrutement »."
    ]
    topic.refresh_from_db()
    assert topic.forum == nord_other_forum
    origin, target = Forum.objects.get(pk=nord_forum.pk), Forum.objects.get(pk=nord_other_forum.pk)
    assert (origin.topic_count, origin.post_count) == (0, 0)
    assert (target.topic_count, target.post_count) == (1, 1)
    entry = _only_log_entry()
    assert entry.action == Action.MOVE
    assert entry.detail == (
        "De « Accompagnement des allocataires du RSA » vers « Relations entreprises et "
        "recrutement »."
    )


def test_move_to_a_forum_of_another_space_is_refused_by_the_service(
    open_cast, topic, aisne_forum, nord_forum
):
    with pytest.raises(services.ActionRefused, match="forum du même espace"):
        services.topic_move(topic=topic, by=open_cast.staff, forum=aisne_forum)
    topic.refresh_from_db()
    assert topic.forum == nord_forum
    assert not ModerationLogEntry.objects.exists()


def test_move_to_a_forum_of_another_space_is_refused_by_the_page(
    open_cast, topic, aisne_forum, nord_forum
):
    response = client_for(open_cast.staff).post(
        reverse("community:moderation_topic_move", kwargs={"pk": topic.pk}),
        {"forum": aisne_forum.pk},
    )
    assert response.status_code == 400
    assert "Choisissez un forum de cet espace." in page_text(response)
    topic.refresh_from_db()
    assert topic.forum == nord_forum


def test_move_page_offers_only_the_forums_of_the_space(
    open_cast, topic, nord_other_forum, aisne_forum
):
    response = client_for(open_cast.animator).get(
        reverse("community:moderation_topic_move", kwargs={"pk": topic.pk})
    )
    text = page_text(response)
    assert "Relations entreprises et recrutement" in text
    assert "Formation et compétences" not in text
    assert 'class="fr-select' in text
    assert '<label for="id_forum" class="fr-label">' in text


def test_move_to_the_same_forum_is_refused(open_cast, topic, nord_forum):
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_topic_move", kwargs={"pk": topic.pk}),
        {"forum": nord_forum.pk},
    )
    assert _messages(response) == ["Le sujet est déjà dans ce forum."]


def test_retitle_a_topic_logs_the_former_title(open_cast, topic):
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_topic_retitle", kwargs={"pk": topic.pk}),
        {"title": "  Référent   unique RSA  "},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Référent unique RSA"
    entry = _only_log_entry()
    assert (entry.action, entry.target_label) == (Action.RETITLE, "Référent unique RSA")
    assert entry.detail == "Ancien titre : « Référent unique : vos retours ? »."


def test_retitle_refused_keeps_the_typed_title(open_cast, topic):
    typed = "T" * 201
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_topic_retitle", kwargs={"pk": topic.pk}), {"title": typed}
    )
    assert response.status_code == 400
    assert typed in page_text(response)
    assert "ne doit pas dépasser 200 caractères" in page_text(response)
    topic.refresh_from_db()
    assert topic.title == "Référent unique : vos retours ?"


def test_moderating_another_spaces_topic_is_refused_to_this_spaces_animateur(
    open_cast, aisne_forum
):
    aisne_topic = make_topic(aisne_forum, title="Sujet de l'Aisne")
    response = client_for(open_cast.animator).post(
        reverse("community:moderation_topic_lock", kwargs={"pk": aisne_topic.pk}),
        {"locked": "1"},
    )
    assert response.status_code == 403
    assert not Topic.objects.get(pk=aisne_topic.pk).locked


# --- Members ----------------------------------------------------------------------------


def _suspend_url(user) -> str:
    return reverse(
        "community:moderation_member_suspend", kwargs={"slug": "nord", "user_id": user.pk}
    )


def _nord_membership(user) -> Membership:
    return Membership.objects.get(space__territory__slug="nord", user=user)


@pytest.mark.parametrize("days", [1, 7, 30])
def test_suspend_a_member_for_a_number_of_days(open_cast, author, days):
    before = timezone.now()
    response = client_for(open_cast.animator).post(
        _suspend_url(author), {"duration": str(days), "reason": "Propos répétés."}
    )
    assert response.status_code == 302
    until = _nord_membership(author).suspended_until
    assert before + timedelta(days=days) <= until <= timezone.now() + timedelta(days=days)
    assert _messages(response)[0].startswith("Paul Auteur est suspendu(e) de l'espace jusqu'au")
    entry = _only_log_entry()
    assert (entry.action, entry.target_label) == (Action.SUSPEND, "Paul Auteur")
    assert entry.detail.endswith("Note : Propos répétés.")


def test_suspend_a_member_until_the_end_of_a_date(open_cast, author):
    end = timezone.localdate() + timedelta(days=10)
    client_for(open_cast.animator).post(
        _suspend_url(author), {"duration": "date", "end_date": end.isoformat()}
    )
    until = timezone.localtime(_nord_membership(author).suspended_until)
    assert (until.date(), until.time().replace(microsecond=0)) == (end, time(23, 59, 59))
    assert _only_log_entry().detail == f"Jusqu'au {end:%d/%m/%Y} à 23:59."


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"duration": "date"}, "Indiquez la date de fin de la suspension."),
        ({"duration": "date", "end_date": "2020-01-01"}, "postérieure à aujourd'hui"),
        ({"duration": "365"}, "Choisissez une des durées proposées."),
        ({}, "Choisissez la durée de la suspension."),
    ],
)
def test_suspension_form_errors_are_french_and_keep_the_reason(open_cast, author, data, error):
    response = client_for(open_cast.animator).post(
        _suspend_url(author), {**data, "reason": "Motif saisi."}
    )
    assert response.status_code == 400
    assert error in page_text(response)
    assert 'value="Motif saisi."' in page_text(response)
    assert _nord_membership(author).suspended_until is None


def test_suspended_member_reads_but_cannot_post_until_the_suspension_is_lifted(
    open_cast, nord, author
):
    client = client_for(open_cast.animator)
    client.post(_suspend_url(author), {"duration": "7"})
    membership = _nord_membership(author)
    assert permissions.may_read_space(user=author, space=nord, membership=membership)
    assert not permissions.may_post(user=author, space=nord, membership=membership)
    assert "vous pouvez lire mais pas publier" in permissions.post_refusal(
        user=author, space=nord, membership=membership
    )
    response = client.post(_suspend_url(author), {"lift": "1"})
    assert _messages(response) == ["Suspension levée : Paul Auteur peut de nouveau publier."]
    membership = _nord_membership(author)
    assert membership.suspended_until is None
    assert permissions.may_post(user=author, space=nord, membership=membership)
    assert list(ModerationLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.SUSPEND,
        Action.UNSUSPEND,
    ]


def test_lifting_a_suspension_that_is_not_there_is_refused(open_cast, author):
    response = client_for(open_cast.animator).post(_suspend_url(author), {"lift": "1"})
    assert _messages(response) == ["Cette personne n'est pas suspendue."]
    assert not ModerationLogEntry.objects.exists()


def test_the_suspension_page_shows_the_current_suspension_and_the_way_to_lift_it(open_cast):
    response = client_for(open_cast.animator).get(_suspend_url(open_cast.suspended))
    text = page_text(response)
    assert "Déjà suspendu(e) jusqu'au" in text
    assert "Lever la suspension" in text
    assert 'type="radio"' in text
    assert 'type="date"' in text


@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("animator", "Vous ne pouvez pas vous suspendre vous-même."),
        ("staff", "Les membres de l'équipe du portail ne peuvent pas être suspendus."),
    ],
)
def test_animateurs_cannot_suspend_themselves_or_staff(open_cast, nord, target, refusal):
    user = getattr(open_cast, target)
    Membership.objects.get_or_create(space=nord, user=user)
    with pytest.raises(services.ActionRefused, match=refusal):
        services.member_suspend(
            space=nord, user=user, by=open_cast.animator, until=timezone.now() + timedelta(days=1)
        )


def test_an_animateur_cannot_be_suspended_without_losing_the_role_first(open_cast, nord):
    response = client_for(open_cast.staff).post(_suspend_url(open_cast.animator), {"duration": "1"})
    assert response.status_code == 400
    assert "retirez-lui d'abord l'animation" in page_text(response)


def test_suspending_a_non_member_is_refused_by_the_service(open_cast, nord):
    with pytest.raises(services.ActionRefused, match="n'est pas membre"):
        services.member_suspend(
            space=nord,
            user=open_cast.non_member,
            by=open_cast.animator,
            until=timezone.make_aware(datetime.combine(date(2999, 1, 1), time())),
        )


def test_move_counts_only_listed_topics_and_published_posts(
    open_cast, topic, post, author, nord_forum, nord_other_forum
):
    make_post(topic, author=author, body="Réponse masquée.", state=Post.State.HIDDEN)
    awaiting = make_topic(nord_forum, author=author, title="Premier sujet d'un nouveau membre")
    make_post(awaiting, author=author, state=Post.State.PENDING)
    services.topic_move(topic=topic, by=open_cast.animator, forum=nord_other_forum)
    services.topic_move(topic=awaiting, by=open_cast.animator, forum=nord_other_forum)
    target = Forum.objects.get(pk=nord_other_forum.pk)
    assert (target.topic_count, target.post_count) == (1, 1)
