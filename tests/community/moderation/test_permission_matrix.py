"""Every role × every moderation surface, the allowed and the refused paths.

Roles: anonymous, logged-in non-member, member, suspended member, animateur of
another space (Aisne), animateur of this space (Nord), staff. Surfaces: report a
post, the queue, handling a report, hide / restore / approve a post, pin / lock /
move / retitle a topic, suspend a member, the log, a post's edit history.
"""

import pytest
from django.urls import reverse

from community.models import ModerationLogEntry, Post, PostRevision, Report
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory
from tests.community.moderation.conftest import make_forum, make_post, make_topic
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.community.moderation.urls_for_tests"),
]

ROLES = ["anonymous", "non_member", "member", "suspended", "other_animator", "animator", "staff"]
MODERATORS = {"animator", "staff"}


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def _assert_refused(response, role):
    if role == "anonymous":
        assert _is_login_redirect(response)
    else:
        assert response.status_code == 403
        assert "Accès refusé" in page_text(response)


def _log_count():
    return ModerationLogEntry.objects.count()


# --- Reporting ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_logged_in_reader_may_report_a_post_of_an_open_space(open_cast, post, role):
    user = _user(open_cast, role)
    url = reverse("community:moderation_post_report", kwargs={"pk": post.pk})
    client = client_for(user)
    form_page = client.get(url)
    response = client.post(url, {"reason": "Propos injurieux envers un collègue."})
    if role == "anonymous":
        assert _is_login_redirect(form_page)
        assert _is_login_redirect(response)
        assert not Report.objects.exists()
        return
    assert form_page.status_code == 200
    assert "Motif du signalement" in page_text(form_page)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == user
    assert report.status == Report.Status.OPEN


PRIVATE_REPORTERS = {"member", "suspended", "animator", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_only_readers_of_a_private_space_may_report_its_posts(private_cast, somme, role):
    user = _user(private_cast, role)
    somme_author = MembershipFactory(space=somme).user
    somme_post = make_post(
        make_topic(make_forum(somme), author=somme_author),
        author=somme_author,
        body="Un message de la Somme.",
    )
    url = reverse("community:moderation_post_report", kwargs={"pk": somme_post.pk})
    response = client_for(user).post(url, {"reason": "Données personnelles d'un allocataire."})
    if role in PRIVATE_REPORTERS:
        assert response.status_code == 302
        assert Report.objects.filter(post=somme_post, reporter=user).exists()
    else:
        _assert_refused(response, role)
        assert not Report.objects.exists()
        if role != "anonymous":
            assert "Un message de la Somme." not in page_text(response)


# --- Pages of the animateurs: queue, log, edit history ---------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_see_the_queue(open_cast, post, role):
    Report.objects.create(post=post, reporter=open_cast.member, reason="Motif confidentiel.")
    response = client_for(_user(open_cast, role)).get(
        reverse("community:moderation_queue", kwargs={"slug": "nord"})
    )
    if role in MODERATORS:
        assert response.status_code == 200
        assert "Motif confidentiel." in page_text(response)
    else:
        _assert_refused(response, role)
        if role != "anonymous":
            assert "Motif confidentiel." not in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_see_the_log(open_cast, nord, role):
    ModerationLogEntry.objects.create(
        space=nord, actor=open_cast.animator, action="hide", target_label="Sujet confidentiel"
    )
    response = client_for(_user(open_cast, role)).get(
        reverse("community:moderation_log", kwargs={"slug": "nord"})
    )
    if role in MODERATORS:
        assert response.status_code == 200
        assert "Sujet confidentiel" in page_text(response)
    else:
        _assert_refused(response, role)
        if role != "anonymous":
            assert "Sujet confidentiel" not in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_see_a_post_history(open_cast, post, role):
    PostRevision.objects.create(post=post, body="Première version regrettable.", edited_by=None)
    response = client_for(_user(open_cast, role)).get(
        reverse("community:moderation_post_revisions", kwargs={"pk": post.pk})
    )
    if role in MODERATORS:
        assert response.status_code == 200
        assert "Première version regrettable." in page_text(response)
    else:
        _assert_refused(response, role)
        if role != "anonymous":
            assert "Première version regrettable." not in page_text(response)


# --- Actions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_handle_a_report(open_cast, post, role):
    report = Report.objects.create(post=post, reporter=open_cast.member, reason="Injurieux.")
    response = client_for(_user(open_cast, role)).post(
        reverse("community:moderation_report_handle", kwargs={"pk": report.pk}),
        {"decision": "hidden", "note": "Propos contraires à la charte."},
    )
    report.refresh_from_db()
    post.refresh_from_db()
    if role in MODERATORS:
        assert response.status_code == 302
        assert report.status == Report.Status.HIDDEN
        assert post.state == Post.State.HIDDEN
    else:
        _assert_refused(response, role)
        assert report.status == Report.Status.OPEN
        assert post.state == Post.State.PUBLISHED
        assert _log_count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_hide_and_restore_a_post(open_cast, post, role):
    client = client_for(_user(open_cast, role))
    hide = client.post(reverse("community:moderation_post_hide", kwargs={"pk": post.pk}))
    post.refresh_from_db()
    if role in MODERATORS:
        assert hide.status_code == 302
        assert post.state == Post.State.HIDDEN
    else:
        _assert_refused(hide, role)
        assert post.state == Post.State.PUBLISHED
        Post.objects.filter(pk=post.pk).update(state=Post.State.HIDDEN)
    restore = client.post(reverse("community:moderation_post_restore", kwargs={"pk": post.pk}))
    post.refresh_from_db()
    if role in MODERATORS:
        assert restore.status_code == 302
        assert post.state == Post.State.PUBLISHED
        assert _log_count() == 2
    else:
        _assert_refused(restore, role)
        assert post.state == Post.State.HIDDEN
        assert _log_count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_approve_a_pending_post(open_cast, topic, role):
    pending = make_post(topic, author=open_cast.member, state=Post.State.PENDING)
    response = client_for(_user(open_cast, role)).post(
        reverse("community:moderation_post_approve", kwargs={"pk": pending.pk})
    )
    pending.refresh_from_db()
    if role in MODERATORS:
        assert response.status_code == 302
        assert pending.state == Post.State.PUBLISHED
    else:
        _assert_refused(response, role)
        assert pending.state == Post.State.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_pin_and_lock_a_topic(open_cast, topic, role):
    client = client_for(_user(open_cast, role))
    pin = client.post(
        reverse("community:moderation_topic_pin", kwargs={"pk": topic.pk}), {"pinned": "1"}
    )
    lock = client.post(
        reverse("community:moderation_topic_lock", kwargs={"pk": topic.pk}), {"locked": "1"}
    )
    topic.refresh_from_db()
    if role in MODERATORS:
        assert (pin.status_code, lock.status_code) == (302, 302)
        assert topic.pinned and topic.locked
    else:
        _assert_refused(pin, role)
        _assert_refused(lock, role)
        assert not topic.pinned and not topic.locked
        assert _log_count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_move_a_topic(
    open_cast, topic, nord_forum, nord_other_forum, role
):
    client = client_for(_user(open_cast, role))
    url = reverse("community:moderation_topic_move", kwargs={"pk": topic.pk})
    form_page = client.get(url)
    response = client.post(url, {"forum": nord_other_forum.pk})
    topic.refresh_from_db()
    if role in MODERATORS:
        assert form_page.status_code == 200
        assert response.status_code == 302
        assert topic.forum == nord_other_forum
    else:
        _assert_refused(form_page, role)
        _assert_refused(response, role)
        assert topic.forum == nord_forum


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_retitle_a_topic(open_cast, topic, role):
    client = client_for(_user(open_cast, role))
    url = reverse("community:moderation_topic_retitle", kwargs={"pk": topic.pk})
    form_page = client.get(url)
    response = client.post(url, {"title": "Référent unique RSA : retours d'expérience"})
    topic.refresh_from_db()
    if role in MODERATORS:
        assert form_page.status_code == 200
        assert response.status_code == 302
        assert topic.title == "Référent unique RSA : retours d'expérience"
    else:
        _assert_refused(form_page, role)
        _assert_refused(response, role)
        assert topic.title == "Référent unique : vos retours ?"


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_suspend_a_member(open_cast, author, role):
    client = client_for(_user(open_cast, role))
    url = reverse(
        "community:moderation_member_suspend", kwargs={"slug": "nord", "user_id": author.pk}
    )
    form_page = client.get(url)
    response = client.post(url, {"duration": "7", "reason": "Propos répétés."})
    membership = author.memberships.get(space__territory__slug="nord")
    if role in MODERATORS:
        assert form_page.status_code == 200
        assert response.status_code == 302
        assert membership.suspended_until is not None
    else:
        _assert_refused(form_page, role)
        _assert_refused(response, role)
        assert membership.suspended_until is None


def test_refused_animateur_of_another_space_learns_nothing_about_membership(open_cast):
    """403 comes before 404: a stranger cannot probe who belongs to the space."""
    stranger = UserFactory()
    url = reverse(
        "community:moderation_member_suspend", kwargs={"slug": "nord", "user_id": stranger.pk}
    )
    assert client_for(open_cast.other_animator).get(url).status_code == 403
    assert client_for(open_cast.animator).get(url).status_code == 404
