"""Joining, leaving, asking to join and deciding: services and the pages that call them."""

import pytest
from django.core import mail
from django.urls import reverse

from community import services
from community.models import JoinRequest, Membership
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.factories import JoinRequestFactory, MembershipFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE_REFUSAL = (
    "Complétez votre profil avant de rejoindre la Communauté : indiquez "
    "votre opérateur et au moins un territoire."
)


def _join_url(slug):
    return reverse("community:join", kwargs={"slug": slug})


def _request_url(slug):
    return reverse("community:join_request", kwargs={"slug": slug})


def _decide_url(join_request):
    return reverse(
        "community:join_request_decide",
        kwargs={"slug": join_request.space.slug, "pk": join_request.pk},
    )


# --- Open spaces: one click ------------------------------------------------------------


def test_joining_an_open_space_in_one_click_makes_a_member_and_counts_them(nord, user):
    response = client_for(user).post(_join_url("nord"), follow=True)

    assert "Bienvenue dans l'espace Nord !" in page_text(response)
    membership = Membership.objects.get(space=nord, user=user)
    assert membership.role == Membership.Role.MEMBER
    nord.refresh_from_db()
    assert nord.member_count == 1
    assert "Quitter l'espace" in page_text(response)


def test_joining_twice_keeps_one_membership_and_the_count(nord, user):
    first = services.space_join(user=user, space=nord)
    second = services.space_join(user=user, space=nord)
    client_for(user).post(_join_url("nord"))

    assert first.pk == second.pk
    assert Membership.objects.filter(space=nord, user=user).count() == 1
    nord.refresh_from_db()
    assert nord.member_count == 1


def test_leaving_removes_the_membership_and_updates_the_count(nord, user):
    MembershipFactory(space=nord)
    services.space_join(user=user, space=nord)

    response = client_for(user).post(
        reverse("community:leave", kwargs={"slug": "nord"}), follow=True
    )

    assert "Vous avez quitté l'espace Nord." in page_text(response)
    assert not Membership.objects.filter(space=nord, user=user).exists()
    nord.refresh_from_db()
    assert nord.member_count == 1
    assert "Rejoindre l'espace" in page_text(response)


def test_leaving_a_space_one_is_not_in_changes_nothing(nord, user):
    MembershipFactory(space=nord)

    services.space_leave(user=user, space=nord)

    nord.refresh_from_db()
    assert nord.member_count == 1


def test_suspended_member_cannot_leave_to_lift_the_suspension(nord):
    suspended = MembershipFactory(space=nord, suspended=True)

    response = client_for(suspended.user).post(
        reverse("community:leave", kwargs={"slug": "nord"}), follow=True
    )

    assert "Vous ne pouvez pas quitter l'espace pendant une suspension" in page_text(response)
    assert Membership.objects.get(pk=suspended.pk).suspended_until == suspended.suspended_until


def test_suspended_member_reads_the_space_and_is_told_until_when(nord):
    suspended = MembershipFactory(space=nord, suspended=True)

    response = client_for(suspended.user).get(nord.get_absolute_url())

    assert "Vous êtes suspendu(e) de cet espace jusqu'au" in page_text(response)
    assert "Quitter l'espace" not in page_text(response)


def test_private_space_refuses_one_click_join(somme, user):
    with pytest.raises(services.ActionRefused, match="Cet espace est privé"):
        services.space_join(user=user, space=somme)

    assert not Membership.objects.filter(space=somme).exists()


def test_incomplete_profile_cannot_join_and_is_sent_to_the_profile_page(nord):
    newcomer = UserFactory(bare=True, territories=[])

    with pytest.raises(services.ActionRefused) as refusal:
        services.space_join(user=newcomer, space=nord)
    response = client_for(newcomer).post(_join_url("nord"), follow=True)

    assert str(refusal.value) == PROFILE_REFUSAL
    assert PROFILE_REFUSAL in page_text(response)
    assert 'href="/mon-espace/profil/"' in page_text(response)
    # The page offers the profile, not a join button that would be refused.
    assert "Rejoindre l'espace" not in page_text(response)
    assert not Membership.objects.filter(space=nord).exists()
    nord.refresh_from_db()
    assert nord.member_count == 0


def test_anonymous_join_goes_to_log_in_then_back_to_the_space(nord):
    response = client_for(None).post(_join_url("nord"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/communaute/nord/"


def test_join_of_unknown_space_is_404(user):
    assert client_for(user).post(_join_url("atlantide")).status_code == 404


def test_join_is_post_only(nord, user):
    assert client_for(user).get(_join_url("nord")).status_code == 405
    assert not Membership.objects.exists()


# --- Private spaces: a request, then a decision ---------------------------------------


@pytest.fixture
def somme_animator(somme):
    return MembershipFactory(
        space=somme, animator=True, user=UserFactory(display_name="Alice Animatrice")
    ).user


def test_join_request_notifies_the_space_animateurs_in_app_and_by_email(
    somme, somme_animator, user, django_capture_on_commit_callbacks
):
    MembershipFactory(space=somme, user=UserFactory(display_name="Simple Membre"))

    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(
            user=user, space=somme, message="Je suis référente RSA à Amiens."
        )

    assert request.status == JoinRequest.Status.PENDING
    assert request.message == "Je suis référente RSA à Amiens."
    [notification] = Notification.objects.filter(kind="community.join_request")
    assert notification.recipient == somme_animator
    assert notification.actor == user
    assert notification.url == "/communaute/somme/demandes/"
    assert notification.title == f"{user.public_name} demande à rejoindre l'espace Somme"
    assert [message.to for message in mail.outbox] == [[somme_animator.email]]


def test_asking_twice_keeps_one_pending_request_and_one_notification(somme, somme_animator, user):
    first = services.join_request_create(user=user, space=somme)
    second = services.join_request_create(user=user, space=somme, message="Relance")

    assert first.pk == second.pk
    assert JoinRequest.objects.filter(user=user).count() == 1
    assert Notification.objects.filter(kind="community.join_request").count() == 1


def test_open_space_refuses_a_join_request(nord, user):
    with pytest.raises(services.ActionRefused, match="Cet espace est ouvert"):
        services.join_request_create(user=user, space=nord)

    assert not JoinRequest.objects.exists()


def test_incomplete_profile_cannot_ask_to_join(somme):
    newcomer = UserFactory(bare=True, territories=[])

    response = client_for(newcomer).post(_request_url("somme"), {"message": "Bonjour"}, follow=True)

    assert PROFILE_REFUSAL in page_text(response)
    assert 'href="/mon-espace/profil/"' in page_text(response)
    assert not JoinRequest.objects.exists()


def test_too_long_message_is_refused_in_french_and_kept(somme, user):
    message = "Bonjour " + "x" * 600

    response = client_for(user).post(_request_url("somme"), {"message": message})

    assert response.status_code == 400
    text = page_text(response)
    assert "Votre demande n'a pas été envoyée : corrigez votre message." in text
    assert "Votre message ne doit pas dépasser 500 caractères (il en compte 608)." in text
    assert message in text
    assert not JoinRequest.objects.exists()


def test_requester_sees_the_pending_request_instead_of_the_form(somme, user):
    services.join_request_create(user=user, space=somme)

    response = client_for(user).get(somme.get_absolute_url())

    assert "attend la réponse des animateurs" in page_text(response)
    assert "Demander à rejoindre" not in page_text(response)


def test_accepting_makes_a_member_and_notifies_the_requester(somme, somme_animator, user):
    request = services.join_request_create(user=user, space=somme)

    response = client_for(somme_animator).post(
        _decide_url(request), {"decision": "accept"}, follow=True
    )

    assert f"Demande acceptée : {user.public_name} est membre de l'espace." in page_text(response)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.ACCEPTED
    assert request.decided_by == somme_animator
    assert request.decided_at is not None
    assert Membership.objects.get(space=somme, user=user).role == Membership.Role.MEMBER
    somme.refresh_from_db()
    assert somme.member_count == 2
    [notification] = Notification.objects.filter(recipient=user)
    assert notification.kind == "community.join_decided"
    assert notification.title == "Votre demande pour l'espace Somme a été acceptée"
    assert notification.url == "/communaute/somme/"
    assert "Aucune demande en attente." in page_text(response)


def test_declining_makes_no_member_and_notifies_the_requester(somme, somme_animator, user):
    request = services.join_request_create(user=user, space=somme)

    response = client_for(somme_animator).post(
        _decide_url(request), {"decision": "decline"}, follow=True
    )

    assert f"Demande de {user.public_name} refusée." in page_text(response)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(space=somme, user=user).exists()
    somme.refresh_from_db()
    assert somme.member_count == 1
    [notification] = Notification.objects.filter(recipient=user)
    assert notification.kind == "community.join_decided"
    assert notification.title == "Votre demande pour l'espace Somme a été refusée"


def test_after_a_decline_the_person_may_ask_again(somme, somme_animator, user):
    first = services.join_request_create(user=user, space=somme)
    services.join_request_decide(join_request=first, by=somme_animator, accept=False)

    second = services.join_request_create(user=user, space=somme)

    assert second.pk != first.pk
    assert second.status == JoinRequest.Status.PENDING


def test_member_cannot_decide_a_join_request(somme, somme_animator, user):
    member = MembershipFactory(space=somme).user
    request = services.join_request_create(user=user, space=somme)

    with pytest.raises(services.ActionRefused, match="Seuls les animateurs"):
        services.join_request_decide(join_request=request, by=member, accept=True)
    response = client_for(member).post(_decide_url(request), {"decision": "accept"})

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(space=somme, user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()


def test_animateur_of_another_space_cannot_decide(somme, aisne, user):
    other = MembershipFactory(space=aisne, animator=True).user
    request = JoinRequestFactory(space=somme, user=user)

    with pytest.raises(services.ActionRefused):
        services.join_request_decide(join_request=request, by=other, accept=True)

    assert not Membership.objects.filter(space=somme, user=user).exists()


def test_staff_decide_in_any_space(somme, user):
    staff = UserFactory(is_staff=True)
    request = JoinRequestFactory(space=somme, user=user)

    services.join_request_decide(join_request=request, by=staff, accept=True)

    assert Membership.objects.filter(space=somme, user=user).exists()


def test_deciding_twice_changes_nothing(somme, somme_animator, user):
    request = services.join_request_create(user=user, space=somme)
    services.join_request_decide(join_request=request, by=somme_animator, accept=True)

    again = services.join_request_decide(join_request=request, by=somme_animator, accept=False)
    response = client_for(somme_animator).post(_decide_url(request), {"decision": "decline"})

    assert again.status == JoinRequest.Status.ACCEPTED
    assert response.status_code == 404
    assert Membership.objects.filter(space=somme, user=user).exists()
    assert Notification.objects.filter(recipient=user).count() == 1


def test_a_request_is_decided_only_from_its_own_space(somme, aisne, user):
    # An animateur of Aisne cannot reach a Somme request through the Aisne queue.
    aisne_animator = MembershipFactory(space=aisne, animator=True).user
    request = JoinRequestFactory(space=somme, user=user)

    response = client_for(aisne_animator).post(
        reverse("community:join_request_decide", kwargs={"slug": "aisne", "pk": request.pk}),
        {"decision": "accept"},
    )

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_a_decision_without_accept_or_decline_changes_nothing(somme, somme_animator, user):
    request = JoinRequestFactory(space=somme, user=user)

    response = client_for(somme_animator).post(
        _decide_url(request), {"decision": "peut-etre"}, follow=True
    )

    assert "Choisissez d'accepter ou de refuser la demande." in page_text(response)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_queue_lists_pending_requests_oldest_first_with_their_message(somme, somme_animator):
    first = JoinRequestFactory(space=somme, user=UserFactory(display_name="Première Demande"))
    JoinRequestFactory(
        space=somme, user=UserFactory(display_name="Seconde Demande"), message="Merci !"
    )
    JoinRequestFactory(
        space=somme,
        user=UserFactory(display_name="Déjà Refusée"),
        status=JoinRequest.Status.DECLINED,
    )

    response = client_for(somme_animator).get(
        reverse("community:join_requests", kwargs={"slug": "somme"})
    )

    text = page_text(response)
    assert "2 demandes en attente" in text
    assert text.index("Première Demande") < text.index("Seconde Demande")
    assert first.message in text
    assert "Déjà Refusée" not in text
    assert first.user.email not in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_animateur_sees_the_pending_count_on_the_space_page(somme, somme_animator):
    JoinRequestFactory(space=somme)
    JoinRequestFactory(space=somme)

    response = client_for(somme_animator).get(somme.get_absolute_url())

    assert "Demandes d'adhésion en attente : 2" in page_text(response)
    assert 'href="/communaute/somme/demandes/"' in page_text(response)


def test_members_do_not_see_the_pending_count(somme):
    member = MembershipFactory(space=somme).user
    JoinRequestFactory(space=somme)

    response = client_for(member).get(somme.get_absolute_url())

    assert "Demandes d'adhésion en attente" not in page_text(response)
