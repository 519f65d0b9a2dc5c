"""Every role × every surface of spaces and membership, the allowed and the refused paths.

Roles: anonymous, logged-in non-member, member, suspended member, animateur of
another space, animateur of this space, staff. Surfaces: the space page, joining
(open space) or asking to join (private space), the member directory, the
animateurs' queue of join requests.
"""

import pytest
from django.urls import reverse

from community.models import JoinRequest, Membership
from tests.community.conftest import client_for, page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "non_member", "member", "suspended", "other_animator", "animator", "staff"]


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- The space page -------------------------------------------------------------------

PRIVATE_SPACE_READABLE = {
    "anonymous": False,
    "non_member": False,
    "member": True,
    "suspended": True,
    "other_animator": False,
    "animator": True,
    "staff": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_open_space_page_is_readable_by_every_role(open_cast, nord, role):
    response = client_for(_user(open_cast, role)).get(nord.get_absolute_url())
    assert response.status_code == 200
    assert response.context["readable"] is True
    assert "Alice Animatrice" in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_private_space_page_shows_only_name_description_and_button_to_outsiders(
    private_cast, somme, role
):
    response = client_for(_user(private_cast, role)).get(somme.get_absolute_url())
    assert response.status_code == 200
    readable = PRIVATE_SPACE_READABLE[role]
    assert response.context["readable"] is readable
    assert "Somme" in page_text(response)
    assert "Le pilote référent unique RSA." in page_text(response)
    # Animateurs, members' count and the directory link are for those who may read.
    assert ("Alice Animatrice" in page_text(response)) is readable
    assert (
        reverse("community:members", kwargs={"slug": "somme"}) in page_text(response)
    ) is readable
    if role == "anonymous":
        assert "Se connecter pour demander à rejoindre" in page_text(response)
    if role in {"non_member", "other_animator", "staff"}:
        assert "Demander à rejoindre" in page_text(response)


# --- Joining and asking to join -------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_join_open_space(open_cast, nord, role):
    user = _user(open_cast, role)
    before = Membership.objects.filter(space=nord).values_list("user", "role", "suspended_until")
    before = {row[0]: row[1:] for row in before}
    response = client_for(user).post(reverse("community:join", kwargs={"slug": "nord"}))
    if user is None:
        assert _is_login_redirect(response)
        assert Membership.objects.filter(space=nord).count() == len(before)
        return
    assert response.status_code == 302
    assert response.url == nord.get_absolute_url()
    membership = Membership.objects.get(space=nord, user=user)
    if user.pk in before:
        # Idempotent: joining again changes neither the role nor a suspension.
        assert (membership.role, membership.suspended_until) == before[user.pk]
    else:
        assert membership.role == Membership.Role.MEMBER
    nord.refresh_from_db()
    assert nord.member_count == Membership.objects.filter(space=nord).count()


ASK_TO_JOIN_PRIVATE = {
    "anonymous": "login",
    "non_member": "requested",
    "member": "already member",
    "suspended": "already member",
    "other_animator": "requested",
    "animator": "already member",
    "staff": "requested",
}


@pytest.mark.parametrize("role", ROLES)
def test_ask_to_join_private_space(private_cast, somme, role):
    user = _user(private_cast, role)
    client = client_for(user)
    response = client.post(
        reverse("community:join_request", kwargs={"slug": "somme"}),
        {"message": "Bonjour, je travaille sur le RSA."},
        follow=user is not None,
    )
    expected = ASK_TO_JOIN_PRIVATE[role]
    if expected == "login":
        assert _is_login_redirect(response)
        assert not JoinRequest.objects.exists()
    elif expected == "requested":
        request = JoinRequest.objects.get(space=somme, user=user)
        assert request.status == JoinRequest.Status.PENDING
        assert "Votre demande est envoyée aux animateurs" in page_text(response)
        assert not Membership.objects.filter(space=somme, user=user).exists()
    else:
        assert not JoinRequest.objects.filter(user=user).exists()
        assert "Vous êtes déjà membre de cet espace." in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_private_space_refuses_one_click_join_to_every_role(private_cast, somme, role):
    user = _user(private_cast, role)
    members_before = set(Membership.objects.filter(space=somme).values_list("user", flat=True))
    response = client_for(user).post(
        reverse("community:join", kwargs={"slug": "somme"}), follow=user is not None
    )
    if user is None:
        assert _is_login_redirect(response)
    elif user.pk not in members_before:
        assert "Cet espace est privé : demandez à le rejoindre." in page_text(response)
    assert set(Membership.objects.filter(space=somme).values_list("user", flat=True)) == (
        members_before
    )


# --- The member directory -------------------------------------------------------------

DIRECTORY_OPEN = {
    "anonymous": "login",
    "non_member": 200,
    "member": 200,
    "suspended": 200,
    "other_animator": 200,
    "animator": 200,
    "staff": 200,
}
DIRECTORY_PRIVATE = {
    "anonymous": "login",
    "non_member": 403,
    "member": 200,
    "suspended": 200,
    "other_animator": 403,
    "animator": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_open_space_directory_is_for_logged_in_professionals(open_cast, nord, role):
    response = client_for(_user(open_cast, role)).get(
        reverse("community:members", kwargs={"slug": "nord"})
    )
    expected = DIRECTORY_OPEN[role]
    if expected == "login":
        assert _is_login_redirect(response)
    else:
        assert response.status_code == expected
        assert "Inès Membre" in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_private_space_directory_is_for_its_members_and_staff(private_cast, somme, role):
    response = client_for(_user(private_cast, role)).get(
        reverse("community:members", kwargs={"slug": "somme"})
    )
    expected = DIRECTORY_PRIVATE[role]
    if expected == "login":
        assert _is_login_redirect(response)
        return
    assert response.status_code == expected
    if expected == 403:
        assert "Accès refusé" in page_text(response)
        assert "seuls ses membres consultent l'annuaire" in page_text(response)
        assert "Inès Membre" not in page_text(response)
    else:
        assert "Inès Membre" in page_text(response)


# --- The animateurs' queue of join requests -------------------------------------------

QUEUE = {
    "anonymous": "login",
    "non_member": 403,
    "member": 403,
    "suspended": 403,
    "other_animator": 403,
    "animator": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_join_request_queue_is_for_animateurs_and_staff(private_cast, somme, role):
    requester = UserFactory(display_name="Réda Demandeur")
    JoinRequest.objects.create(space=somme, user=requester, message="Coucou")
    response = client_for(_user(private_cast, role)).get(
        reverse("community:join_requests", kwargs={"slug": "somme"})
    )
    expected = QUEUE[role]
    if expected == "login":
        assert _is_login_redirect(response)
        return
    assert response.status_code == expected
    assert ("Réda Demandeur" in page_text(response)) is (expected == 200)
    if expected == 403:
        assert "Seuls les animateurs de l'espace décident des adhésions." in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_and_staff_decide_join_requests(private_cast, somme, role):
    request = JoinRequest.objects.create(space=somme, user=private_cast.non_member)
    response = client_for(_user(private_cast, role)).post(
        reverse("community:join_request_decide", kwargs={"slug": "somme", "pk": request.pk}),
        {"decision": "accept"},
    )
    request.refresh_from_db()
    joined = Membership.objects.filter(space=somme, user=private_cast.non_member).exists()
    expected = QUEUE[role]
    if expected == 200:
        assert response.status_code == 302
        assert request.status == JoinRequest.Status.ACCEPTED
        assert joined
    else:
        if expected == "login":
            assert _is_login_redirect(response)
        else:
            assert response.status_code == 403
        assert request.status == JoinRequest.Status.PENDING
        assert not joined
