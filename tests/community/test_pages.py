"""The directory of spaces (/communaute/) and the page of one space."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Space
from tests.academy.factories import course_session, course_tree
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory, space
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return page_text(response).split("<main", 1)[1].split("</main>", 1)[0]


# --- /communaute/ ---------------------------------------------------------------------


def test_index_is_readable_anonymously_and_lists_every_space(db):
    response = client_for(None).get("/communaute/")

    assert response.status_code == 200
    assert response.context["title"] == "Communauté"
    text = _main(response)
    for name in ("National", "Hauts-de-France", "Nord", "Somme", "Corse"):
        assert f">{name}</a>" in text, name
    assert "Mes espaces" not in text


def test_index_groups_spaces_national_then_regions_then_departements(db):
    text = _main(client_for(None).get("/communaute/"))

    national = text.index(">National</h2>")
    regions = text.index(">Régions</h2>")
    departements = text.index(">Départements</h2>")
    assert national < text.index(">National</a>") < regions
    assert regions < text.index(">Hauts-de-France</a>") < departements
    assert departements < text.index(">Nord</a>")


def test_index_puts_my_spaces_first_with_counts_and_activity(nord, somme):
    MembershipFactory(space=nord)
    member = MembershipFactory(space=somme).user
    MembershipFactory(space=nord, user=member)
    Space.objects.filter(pk=nord.pk).update(last_activity_at=timezone.now() - timedelta(days=1))

    response = client_for(member).get("/communaute/")

    text = _main(response)
    mine = text.split(">Mes espaces</h2>", 1)[1].split("</section>", 1)[0]
    assert ">Nord</a>" in mine
    assert ">Somme</a>" in mine
    assert ">Aisne</a>" not in mine
    assert text.index(">Mes espaces</h2>") < text.index(">National</h2>")
    assert "2 membres" in mine
    assert "Dernière activité le" in mine
    assert "Pas encore d'activité" in text


def test_private_spaces_carry_the_prive_badge(somme, nord):
    text = _main(client_for(None).get("/communaute/"))

    somme_tile = text.split(">Somme</a>", 1)[1].split("fr-tile__body", 1)[0]
    nord_tile = text.split(">Nord</a>", 1)[1].split("fr-tile__body", 1)[0]
    assert 'fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">Privé' in somme_tile
    assert "Privé" not in nord_tile


# --- /communaute/<slug>/ ----------------------------------------------------------------


def test_unknown_space_is_404(db):
    assert client_for(None).get("/communaute/atlantide/").status_code == 404


def test_space_page_names_animateurs_links_parent_and_children(db):
    region = space("hauts-de-france", description="Toute la région, tous les opérateurs.")
    space("somme", private=True)
    MembershipFactory(space=region, animator=True, user=UserFactory(display_name="Alice Anim"))
    MembershipFactory(space=region, user=UserFactory(display_name="Marc Membre"))

    response = client_for(None).get("/communaute/hauts-de-france/")

    assert response.context["title"] == "Espace Hauts-de-France"
    text = _main(response)
    assert "<h1>Hauts-de-France</h1>" in text
    assert "Toute la région, tous les opérateurs." in text
    assert "Alice Anim (France Travail)" in text
    assert "Marc Membre" not in text  # members are in the directory, for logged-in people
    assert 'href="/communaute/national/"' in text
    for child in ("nord", "aisne", "somme", "oise", "pas-de-calais"):
        assert f'href="/communaute/{child}/"' in text
    somme_item = text.split('href="/communaute/somme/"', 1)[1].split("</li>", 1)[0]
    assert "Privé" in somme_item
    assert "Se connecter pour rejoindre" in text


def test_member_is_offered_to_leave_non_member_to_join(nord, user):
    member = MembershipFactory(space=nord).user

    as_member = _main(client_for(member).get("/communaute/nord/"))
    as_visitor = _main(client_for(user).get("/communaute/nord/"))

    assert "Vous êtes membre de cet espace depuis le" in as_member
    assert "Quitter l'espace" in as_member
    assert "Rejoindre l'espace" not in as_member
    assert "Rejoindre l'espace" in as_visitor
    assert "Quitter l'espace" not in as_visitor


def test_space_page_lists_upcoming_academie_sessions_of_the_territory(site_root, nord):
    tree = course_tree(site_root, title="Le contrat d'engagement réciproque")
    course_session(tree.course, territory_slug="nord")
    course_session(tree.course, territory_slug="aisne")
    course_session(tree.course, territory_slug="nord", starts_in=-timedelta(days=2))
    region = space("hauts-de-france")

    nord_page = _main(client_for(None).get("/communaute/nord/"))
    region_page = _main(client_for(None).get(region.get_absolute_url()))

    section = nord_page.split("Sessions de l'Académie à venir", 1)[1].split("</section>", 1)[0]
    # The past session is gone; Aisne's belongs to another département.
    assert section.count("Le contrat d'engagement réciproque") == 1
    assert "— Nord</p>" in section
    assert "— Aisne</p>" not in section
    # A région's page gathers the sessions of its départements.
    section = region_page.split("Sessions de l'Académie à venir", 1)[1].split("</section>", 1)[0]
    assert section.count("Le contrat d'engagement réciproque") == 2


def test_sessions_of_unpublished_courses_are_not_listed(site_root, nord):
    tree = course_tree(site_root, title="Formation en brouillon")
    course_session(tree.course, territory_slug="nord")
    tree.course.unpublish()

    text = _main(client_for(None).get("/communaute/nord/"))

    assert "Formation en brouillon" not in text
    assert "Aucune session programmée dans ce territoire" in text


def test_private_space_page_hides_sessions_and_children_from_outsiders(site_root):
    region = space("hauts-de-france", private=True, description="Réservé.")
    tree = course_tree(site_root, title="Session régionale")
    course_session(tree.course, territory_slug="hauts-de-france")

    response = client_for(UserFactory()).get(region.get_absolute_url())

    text = _main(response)
    assert "Réservé." in text
    assert "Session régionale" not in text
    assert 'href="/communaute/nord/"' not in text
    assert "membre" not in text.lower().split("<aside", 1)[0]
    assert response.context["animators"] == []
