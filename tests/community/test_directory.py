"""The member directory of a space: who is there, filters, pagination, roles."""

import pytest
from django.test import Client
from django.urls import reverse

from community import services
from community.models import Membership
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory, refresh_member_counts
from tests.community.forums.factories import make_forum, publish_reply, publish_topic
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db


def _url(slug="nord", **params):
    url = reverse("community:members", kwargs={"slug": slug})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


@pytest.fixture
def people(nord):
    """Three members of Nord of different operators and structures."""
    rows = [
        ("Amélie France-Travail", "france-travail", "Agence de Lille Centre", "Conseillère"),
        ("Bruno Mission-Locale", "mission-locale", "Mission locale de Roubaix", "Conseiller"),
        ("Chloé Cap-Emploi", "cap-emploi", "Cap emploi Lille Métropole", "Chargée de mission"),
    ]
    members = []
    for name, operator_slug, structure, job in rows:
        user = UserFactory(
            display_name=name,
            operator=operator(operator_slug),
            structure_name=structure,
            job_title=job,
        )
        MembershipFactory(space=nord, user=user)
        members.append(user)
    return members


def test_directory_shows_name_operator_structure_and_job_never_the_email(people):
    viewer = people[0]

    response = client_for(viewer).get(_url())

    text = page_text(response)
    for member in people:
        assert member.public_name in text
        assert member.operator.name in text
        assert member.structure_name in text
        assert member.job_title in text
        assert member.email not in text
    assert "@" not in text.split("<main", 1)[1].split("</main>", 1)[0]


def test_directory_filters_by_operator(people):
    response = client_for(people[0]).get(_url(operator="mission-locale"))

    text = page_text(response)
    assert "1 membre correspondant aux filtres" in text
    assert "Bruno Mission-Locale" in text
    assert "Amélie France-Travail" not in text.split("<table", 1)[1]
    assert "Chloé Cap-Emploi" not in text


def test_directory_filters_by_structure_containing_the_text_in_any_case(people):
    response = client_for(people[1]).get(_url(structure="lille"))

    text = page_text(response).split("<table", 1)[1]
    assert "Amélie France-Travail" in text
    assert "Chloé Cap-Emploi" in text
    assert "Bruno Mission-Locale" not in text


def test_directory_combines_both_filters(people):
    response = client_for(people[1]).get(_url(operator="cap-emploi", structure="Lille"))

    text = page_text(response).split("<table", 1)[1]
    assert "Chloé Cap-Emploi" in text
    assert "Amélie France-Travail" not in text


def test_unknown_operator_is_a_french_error_and_filters_nothing(people):
    response = client_for(people[0]).get(_url(operator="inconnu"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Cet opérateur n'existe pas : choisissez-en un." in text
    assert "Filtre non appliqué : corrigez le champ signalé." in text
    assert "3 membres" in text


def test_no_match_says_so(people):
    response = client_for(people[0]).get(_url(structure="Marseille"))

    assert "Aucun membre ne correspond à ces filtres." in page_text(response)


def test_directory_is_paginated_by_thirty(nord):
    for index in range(35):
        MembershipFactory(
            space=nord, user=UserFactory(display_name=f"Membre {index:02d}"), count=False
        )
    refresh_member_counts()
    viewer = Membership.objects.filter(space=nord).first().user

    first = client_for(viewer).get(_url())
    second = client_for(viewer).get(_url(page=2))

    assert len(first.context["memberships"]) == 30
    assert len(second.context["memberships"]) == 5
    assert "Membre 00" in page_text(first)
    assert "Membre 34" in page_text(second)
    assert 'class="fr-pagination"' in page_text(first)
    assert "35 membres" in page_text(first)


def test_pagination_keeps_the_filters(nord):
    for index in range(32):
        MembershipFactory(
            space=nord,
            user=UserFactory(display_name=f"ML {index:02d}", operator=operator("mission-locale")),
            count=False,
        )
    viewer = Membership.objects.filter(space=nord).first().user

    response = client_for(viewer).get(_url(operator="mission-locale"))

    assert "operator=mission-locale&amp;page=2" in response.content.decode()


# --- Roles ----------------------------------------------------------------------------


def _role_url(member, slug="nord"):
    return reverse("community:member_role", kwargs={"slug": slug, "user_id": member.pk})


def test_animateur_promotes_a_member_from_the_directory(people, nord):
    animator = MembershipFactory(space=nord, animator=True).user
    member = people[1]

    page = client_for(animator).get(_url())
    response = client_for(animator).post(_role_url(member), {"role": "animator"}, follow=True)

    assert "Nommer animateur ou animatrice" in page_text(page)
    assert f"{member.public_name} anime désormais l'espace." in page_text(response)
    assert Membership.objects.get(space=nord, user=member).role == Membership.Role.ANIMATOR
    # The space page now names them.
    assert member.public_name in page_text(client_for(None).get(nord.get_absolute_url()))


def test_animateur_withdraws_the_role(nord):
    animator = MembershipFactory(space=nord, animator=True).user
    other = MembershipFactory(space=nord, animator=True).user

    response = client_for(animator).post(_role_url(other), {"role": "member"}, follow=True)

    assert f"{other.public_name} n'anime plus l'espace." in page_text(response)
    assert Membership.objects.get(space=nord, user=other).role == Membership.Role.MEMBER


def test_member_sees_no_role_buttons_and_cannot_promote(people, nord):
    member, target = people[0], people[1]

    page = client_for(member).get(_url())
    response = client_for(member).post(_role_url(target), {"role": "animator"})

    assert "Nommer animateur ou animatrice" not in page_text(page)
    assert response.status_code == 403
    assert Membership.objects.get(space=nord, user=target).role == Membership.Role.MEMBER
    with pytest.raises(services.ActionRefused):
        services.membership_set_role(space=nord, user=target, role="animator", by=member)


def test_unknown_role_is_refused(people, nord):
    animator = MembershipFactory(space=nord, animator=True).user

    response = client_for(animator).post(_role_url(people[0]), {"role": "roi"}, follow=True)

    assert "Ce rôle n'existe pas." in page_text(response)
    assert Membership.objects.get(space=nord, user=people[0]).role == Membership.Role.MEMBER


def test_a_non_member_cannot_be_given_a_role_from_the_directory(nord):
    animator = MembershipFactory(space=nord, animator=True).user
    outsider = UserFactory()

    response = client_for(animator).post(_role_url(outsider), {"role": "animator"})

    assert response.status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_role_change_needs_the_csrf_token(people, nord):
    animator = MembershipFactory(space=nord, animator=True).user
    client = Client(enforce_csrf_checks=True)
    client.force_login(animator)

    response = client.post(_role_url(people[0]), {"role": "animator"})

    assert response.status_code == 403
    assert Membership.objects.get(space=nord, user=people[0]).role == Membership.Role.MEMBER


# --- a member's card ---------------------------------------------------------------------


def _card_url(slug, user):
    return reverse("community:member", kwargs={"slug": slug, "user_id": user.pk})


def test_directory_names_link_to_each_members_card(people):
    response = client_for(people[0]).get(_url())

    for member in people:
        assert f'href="{_card_url("nord", member)}"' in page_text(response)


def test_member_card_shows_what_the_directory_shows_and_their_latest_posts(people, nord):

    bruno = people[1]
    publish_topic(make_forum(nord), bruno, title="Atelier CV à Roubaix")

    response = client_for(people[0]).get(_card_url("nord", bruno))

    assert response.status_code == 200
    text = page_text(response)
    assert "<h1>Bruno Mission-Locale</h1>" in text
    for shown in ("Mission locale de Roubaix", "Conseiller", bruno.operator.name):
        assert shown in text
    assert "Sujet ouvert : Atelier CV à Roubaix" in text
    assert bruno.email not in text


def test_member_card_of_someone_outside_the_space_is_not_found(people, aisne):
    outsider = UserFactory(display_name="Paul Ailleurs")
    MembershipFactory(space=aisne, user=outsider)

    response = client_for(people[0]).get(_card_url("nord", outsider))

    assert response.status_code == 404
    assert "Paul Ailleurs" not in page_text(response)


def test_member_card_of_a_private_space_is_refused_outside_it(somme):
    member = UserFactory(display_name="Rose Somme")
    MembershipFactory(space=somme, user=member)

    outsider = client_for(UserFactory()).get(_card_url("somme", member))
    anonymous = Client().get(_card_url("somme", member))

    assert outsider.status_code == 403
    assert "Rose Somme" not in page_text(outsider)
    assert anonymous.status_code == 302
    assert "/comptes/login/" in anonymous["Location"]
    assert client_for(member).get(_card_url("somme", member)).status_code == 200


def test_member_card_costs_a_fixed_number_of_queries(people, nord, django_assert_max_num_queries):

    topic = publish_topic(make_forum(nord), people[1], title="Un sujet")
    for index in range(8):
        publish_reply(topic, people[1], body=f"Réponse {index}")
    viewer = client_for(people[0])
    viewer.get(_card_url("nord", people[1]))

    with django_assert_max_num_queries(8):
        viewer.get(_card_url("nord", people[1]))
