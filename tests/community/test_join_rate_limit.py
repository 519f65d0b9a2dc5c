"""Joining open spaces and asking to join private ones: at most JOINS_PER_HOUR an hour
per person, in one shared window; a refused request keeps its message (429)."""

import pytest
from django.urls import reverse

from community import services
from community.models import JoinRequest, Membership
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory, space
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OPEN_SLUGS = ["nord", "aisne", "oise", "pas-de-calais", "paris"]
RATE_REFUSAL = (
    "Vous avez rejoint ou demandé à rejoindre 5 espaces en moins d'une heure : c'est le "
    "maximum. Réessayez plus tard."
)


@pytest.fixture
def open_spaces(db):
    return [space(slug) for slug in OPEN_SLUGS]


@pytest.fixture
def somme_animator(somme):
    animator = UserFactory(display_name="Alice Animatrice")
    MembershipFactory(space=somme, user=animator, animator=True)
    return animator


def _use_up_the_window(user, spaces):
    assert len(spaces) == services.JOINS_PER_HOUR
    for found in spaces:
        services.space_join(user=user, space=found)


def test_five_joins_an_hour_are_allowed_and_the_sixth_is_refused_with_a_429(open_spaces, user):
    _use_up_the_window(user, open_spaces)
    sixth = space("yvelines")

    response = client_for(user).post(reverse("community:join", kwargs={"slug": sixth.slug}))

    assert response.status_code == 429
    assert RATE_REFUSAL in page_text(response)
    assert "Rejoindre l'espace" in page_text(response)  # still offered, for later
    assert not Membership.objects.filter(user=user, space=sixth).exists()
    sixth.refresh_from_db()
    assert sixth.member_count == 0


def test_a_rate_limited_join_request_keeps_the_typed_message(
    open_spaces, somme, somme_animator, user
):
    _use_up_the_window(user, open_spaces)
    message = "Je coordonne le référent unique RSA à Amiens : puis-je vous rejoindre ?"

    response = client_for(user).post(
        reverse("community:join_request", kwargs={"slug": "somme"}), {"message": message}
    )

    assert response.status_code == 429
    text = page_text(response)
    assert f"{RATE_REFUSAL} Votre message est conservé ci-dessous." in text
    assert message in text
    assert "Demander à rejoindre" in text
    assert not JoinRequest.objects.exists()
    assert not Notification.objects.filter(kind="community.join_request").exists()


def test_joins_and_join_requests_share_one_window(open_spaces, somme, user):
    for found in open_spaces[:4]:
        services.space_join(user=user, space=found)
    services.join_request_create(user=user, space=somme, message="Bonjour")

    with pytest.raises(services.RateLimited, match="5 espaces en moins d'une heure"):
        services.space_join(user=user, space=open_spaces[4])

    assert Membership.objects.filter(user=user).count() == 4


def test_joining_again_or_asking_again_while_pending_does_not_count(open_spaces, somme, user):
    services.join_request_create(user=user, space=somme)
    for _ in range(10):
        services.space_join(user=user, space=open_spaces[0])
        services.join_request_create(user=user, space=somme, message="Relance")

    # 2 taken of 5: three other open spaces still join.
    for found in open_spaces[1:4]:
        services.space_join(user=user, space=found)
    assert Membership.objects.filter(user=user).count() == 4
    assert JoinRequest.objects.filter(user=user).count() == 1


def test_leaving_and_joining_again_counts_each_time(nord, user):
    for _ in range(services.JOINS_PER_HOUR):
        services.space_join(user=user, space=nord)
        services.space_leave(user=user, space=nord)

    with pytest.raises(services.RateLimited):
        services.space_join(user=user, space=nord)
    assert not Membership.objects.filter(user=user).exists()


def test_the_limit_is_per_person(open_spaces, user):
    _use_up_the_window(user, open_spaces)
    colleague = UserFactory()

    response = client_for(colleague).post(reverse("community:join", kwargs={"slug": "nord"}))

    assert response.status_code == 302
    assert Membership.objects.filter(user=colleague, space__territory__slug="nord").exists()


def test_a_refused_request_does_not_use_up_the_window(open_spaces, somme, user):
    MembershipFactory(space=somme, user=user)
    for _ in range(10):
        with pytest.raises(services.ActionRefused, match="déjà membre"):
            services.join_request_create(user=user, space=somme)

    for found in open_spaces:
        services.space_join(user=user, space=found)
    assert Membership.objects.filter(user=user).count() == 6
