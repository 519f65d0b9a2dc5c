"""The profile page (/mon-espace/profil/): who may open it, what it asks, what it refuses."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, operator, territory
from tests.people.pages import assert_dsfr_page, error_texts, field, main, text

pytestmark = pytest.mark.django_db

PROFILE_URL = "/mon-espace/profil/"
NOTICE = "Pour rejoindre la Communauté"
NOT_SAVED = "Le profil n'a pas été enregistré : corrigez les erreurs signalées."


def profile_data(**overrides):
    """A complete, valid profile; an override of None leaves the field out of the POST."""
    data = {
        "display_name": "Camille D.",
        "operator": operator("mission-locale").pk,
        "structure_name": "Mission locale de Roubaix",
        "job_title": "Conseillère en insertion",
        "territories": [territory("nord").pk, territory("hauts-de-france").pk],
        "bio": "J'accompagne les jeunes de 16 à 25 ans vers l'emploi.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def snapshot(user):
    """What the database holds for a profile."""
    user.refresh_from_db()
    return {
        "display_name": user.display_name,
        "operator": user.operator_id,
        "structure_name": user.structure_name,
        "job_title": user.job_title,
        "bio": user.bio,
        "territories": sorted(user.territories.values_list("pk", flat=True)),
    }


def selected_values(control) -> set[str]:
    return {option["value"] for option in control.find_all("option", selected=True)}


def assert_typed_values_shown(response, data):
    """Nothing the person typed is lost: every posted value is back in the form."""
    for name in ("display_name", "structure_name", "job_title"):
        if name in data:
            assert field(response, name).get("value", "") == data[name], name
    if "bio" in data:
        assert field(response, "bio").get_text().strip() == data["bio"].strip()
    if "operator" in data:
        assert selected_values(field(response, "operator")) == {str(data["operator"])}
    if "territories" in data:
        assert selected_values(field(response, "territories")) == {
            str(pk) for pk in data["territories"]
        }


# --- Access -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={PROFILE_URL}"


def test_anonymous_post_is_sent_to_login_and_changes_nothing(client, user):
    before = snapshot(user)

    response = client.post(PROFILE_URL, profile_data())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot(user) == before


def test_my_space_leads_to_the_profile(client, user):
    client.force_login(user)

    response = client.get(reverse("people:my_space"))

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL


# --- Display -------------------------------------------------------------------------------


def test_incomplete_profile_shows_the_form_and_the_community_notice(client):
    user = UserFactory(bare=True, territories=[])
    client.force_login(user)

    response = client.get(PROFILE_URL)

    page = assert_dsfr_page(response, title="Mon profil")
    notice = page.find(class_="fr-alert--info")
    assert notice is not None and NOTICE in text(notice)
    assert "Indiquez votre opérateur et au moins un territoire." in text(notice)
    for name in ("display_name", "operator", "structure_name", "job_title", "territories", "bio"):
        field(response, name)


def test_profile_missing_only_territories_names_only_them(client):
    user = UserFactory(territories=[])
    client.force_login(user)

    notice = main(client.get(PROFILE_URL)).find(class_="fr-alert--info")

    assert "Indiquez au moins un territoire." in text(notice)


def test_complete_profile_shows_no_community_notice_and_its_current_values(client, user):
    client.force_login(user)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert NOTICE not in text(main(response))
    assert field(response, "display_name")["value"] == user.display_name
    assert selected_values(field(response, "operator")) == {str(user.operator_id)}
    assert selected_values(field(response, "territories")) == {str(territory("nord").pk)}


# --- Saving -------------------------------------------------------------------------------------


def test_valid_profile_is_saved_with_its_territories(client):
    user = UserFactory(bare=True, territories=[])
    client.force_login(user)
    data = profile_data()

    response = client.post(PROFILE_URL, data)

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert snapshot(user) == {**data, "territories": sorted(data["territories"])}
    page = client.get(PROFILE_URL)
    assert "Votre profil est enregistré." in text(main(page))
    assert NOTICE not in text(main(page))


def test_saving_replaces_the_territories_rather_than_adding_to_them(client, user):
    client.force_login(user)  # works in "nord"

    client.post(PROFILE_URL, profile_data(territories=[territory("somme").pk]))

    assert list(user.territories.values_list("slug", flat=True)) == ["somme"]


def test_display_name_is_saved_without_surrounding_spaces(client, user):
    client.force_login(user)

    client.post(PROFILE_URL, profile_data(display_name="  Camille D.  "))

    user.refresh_from_db()
    assert user.display_name == "Camille D."


def test_presentation_of_exactly_600_characters_is_accepted(client, user):
    client.force_login(user)

    response = client.post(PROFILE_URL, profile_data(bio="é" * 600))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.bio == "é" * 600


# --- Refusals -------------------------------------------------------------------------------

REFUSALS = [
    pytest.param("operator", None, "Choisissez votre opérateur.", id="no-operator"),
    pytest.param("territories", None, "Choisissez au moins un territoire.", id="no-territory"),
    pytest.param(
        "display_name", "", "Indiquez le nom que les autres membres verront.", id="empty-name"
    ),
    pytest.param(
        "display_name",
        "   ",
        "Indiquez le nom que les autres membres verront.",
        id="blank-name",
    ),
    pytest.param(
        "display_name",
        "camille.d@exemple.fr",
        "Le nom affiché ne doit pas contenir d'adresse électronique : il est visible de tous "
        "les membres.",
        id="name-with-at-sign",
    ),
    pytest.param(
        "bio", "x" * 601, "La présentation ne peut pas dépasser 600 caractères.", id="long-bio"
    ),
    pytest.param(
        "display_name",
        "N" * 81,
        "Le nom affiché ne peut pas dépasser 80 caractères.",
        id="long-name",
    ),
]


@pytest.mark.parametrize(("name", "value", "message"), REFUSALS)
def test_refused_profile_explains_in_french_saves_nothing_and_keeps_what_was_typed(
    client, name, value, message
):
    user = UserFactory(bare=True, territories=[])
    client.force_login(user)
    before = snapshot(user)
    data = profile_data(**{name: value})

    response = client.post(PROFILE_URL, data)

    assert response.status_code == 200
    assert snapshot(user) == before
    assert message in error_texts(response)
    assert NOT_SAVED in text(main(response))
    control = field(response, name)
    assert control["aria-invalid"] == "true"
    assert f"{control['id']}-desc-error" in control["aria-describedby"].split()
    assert_typed_values_shown(response, data)
    assert_dsfr_page(response, title="Mon profil")


def test_unknown_territory_is_refused_and_the_known_ones_are_not_saved(client, user):
    client.force_login(user)
    before = snapshot(user)

    response = client.post(PROFILE_URL, profile_data(territories=[territory("somme").pk, 999_999]))

    assert response.status_code == 200
    assert "Ce territoire n'existe pas." in error_texts(response)
    assert snapshot(user) == before


def test_several_errors_are_all_reported_at_once(client):
    user = UserFactory(bare=True, territories=[])
    client.force_login(user)

    response = client.post(
        PROFILE_URL, profile_data(operator=None, territories=None, display_name="")
    )

    errors = error_texts(response)
    assert "Choisissez votre opérateur." in errors
    assert "Choisissez au moins un territoire." in errors
    assert "Indiquez le nom que les autres membres verront." in errors
    assert "3 champs à corriger." in text(main(response))
