"""Operators and territories loaded by migration 0002 (COG 2024), and the territory rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from portal.people.models import Operator, Territory
from tests.factories import territory

pytestmark = pytest.mark.django_db

Level = Territory.Level

EXPECTED_OPERATORS = [
    "France Travail",
    "Mission locale",
    "Cap emploi",
    "Conseil départemental",
    "Conseil régional",
    "Commune / intercommunalité",
    "Services de l'État",
    "Structure de l'insertion par l'activité économique",
    "Association",
    "Autre",
]


def departement(code: str) -> Territory:
    return Territory.objects.select_related("parent").get(level=Level.DEPARTEMENT, insee_code=code)


def test_there_are_18_regions_and_101_departements():
    assert Territory.objects.filter(level=Level.REGION).count() == 18
    assert Territory.objects.filter(level=Level.DEPARTEMENT).count() == 101


def test_the_national_level_exists_once_at_the_top():
    national = Territory.objects.get(level=Level.NATIONAL)

    assert national.slug == "national"
    assert national.parent is None
    assert Territory.objects.filter(level=Level.REGION).exclude(parent=national).count() == 0


def test_every_departement_hangs_under_a_region():
    assert not Territory.objects.filter(level=Level.DEPARTEMENT).exclude(parent__level=Level.REGION)


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("59", "Nord", "Hauts-de-France"),
        ("13", "Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur"),
        ("2A", "Corse-du-Sud", "Corse"),
        ("971", "Guadeloupe", "Guadeloupe"),
    ],
)
def test_departement_belongs_to_its_region(code, name, region):
    found = departement(code)

    assert found.name == name
    assert found.parent.name == region


def test_known_slugs_exist_at_their_levels():
    assert territory("hauts-de-france").level == Level.REGION
    for slug in ("nord", "somme", "aisne"):
        assert territory(slug).level == Level.DEPARTEMENT
        assert territory(slug).parent.slug == "hauts-de-france"


def test_slugs_are_unique_across_all_levels():
    duplicates = Territory.objects.values("slug").annotate(n=Count("pk")).filter(n__gt=1)

    assert list(duplicates) == []
    for slug in ("hauts-de-france", "nord", "somme", "aisne"):
        assert Territory.objects.filter(slug=slug).count() == 1


def test_overseas_departement_slug_differs_from_its_region():
    assert territory("guadeloupe").level == Level.REGION
    assert territory("guadeloupe-departement").parent == territory("guadeloupe")


def test_local_territory_without_departement_parent_is_refused_in_french():
    local = Territory(level=Level.LOCAL, name="CLE de Roubaix", slug="cle-roubaix")

    with pytest.raises(ValidationError) as refused:
        local.clean()

    assert refused.value.message_dict == {
        "parent": ["Choisissez un territoire parent de niveau « Département »."]
    }


def test_local_territory_under_a_region_is_refused_in_french():
    local = Territory(
        level=Level.LOCAL,
        name="CLE de Roubaix",
        slug="cle-roubaix",
        parent=territory("nord").parent,
    )

    with pytest.raises(ValidationError) as refused:
        local.clean()

    assert refused.value.message_dict == {
        "parent": [
            "Un territoire de niveau « Comité local pour l'emploi » doit dépendre d'un "
            "territoire de niveau « Département »."
        ]
    }


def test_local_territory_under_a_departement_is_accepted():
    local = Territory(
        level=Level.LOCAL, name="CLE de Roubaix", slug="cle-roubaix", parent=territory("nord")
    )

    local.full_clean()
    local.save()

    assert territory("cle-roubaix").parent == territory("nord")


def test_national_level_refuses_a_parent():
    national = Territory(level=Level.NATIONAL, name="Autre", slug="autre", parent=territory("nord"))

    with pytest.raises(ValidationError) as refused:
        national.clean()

    assert refused.value.message_dict == {"parent": ["Le niveau national n'a pas de parent."]}


def test_the_ten_operators_have_their_french_names_in_order():
    assert list(Operator.objects.values_list("name", flat=True)) == EXPECTED_OPERATORS
