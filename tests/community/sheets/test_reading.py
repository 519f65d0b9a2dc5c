"""Reading practice sheets: who may, the listing's filters and search, the site search,
"Utile", and a fixed number of queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Post, Reaction
from community.sheets.search import practice_sheets
from portal import search as site_search
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory, space
from tests.community.sheets.conftest import publish_sheet
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.community.sheets.urls_for_tests"),
]

LISTING = "/communaute/fiches/"
JOB_DATING = "Un job-dating entre France Travail et la Mission locale"
REFERENT = "Un référent unique pour les allocataires du RSA"
DIAGNOSTIC = "Un diagnostic des besoins en compétences"
ATELIERS = "Des ateliers numériques pour les candidats"


@pytest.fixture
def sheets(site_root, private_cast, indexed):
    """Nord (open), Somme (private), Aisne (open) in Hauts-de-France; Paris elsewhere."""
    with indexed():
        return {
            "nord": publish_sheet(
                territory_slug="nord", title=JOB_DATING, owner=private_cast.staff
            ),
            "somme": publish_sheet(
                territory_slug="somme",
                title=REFERENT,
                summary="Un seul interlocuteur pour l'emploi et le social.",
                operators=("france-travail", "conseil-departemental"),
                tags=("RSA",),
                owner=private_cast.member,
            ),
            "aisne": publish_sheet(
                territory_slug="aisne",
                title=DIAGNOSTIC,
                summary="Interroger les employeurs avant de former.",
                operators=("cap-emploi",),
                tags=("Compétences",),
            ),
            "paris": publish_sheet(
                territory_slug="paris",
                title=ATELIERS,
                summary="Le numérique pour chercher un emploi.",
                operators=("association",),
                tags=("Numérique",),
            ),
        }


def _titles(response) -> set[str]:
    assert response.status_code == 200
    return {sheet.title for sheet in response.context["sheets"]}


# --- Who reads a private space's sheet ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("non_member", 404),
        ("other_animator", 404),
        ("member", 200),
        ("suspended", 200),
        ("animator", 200),
        ("staff", 200),
    ],
)
def test_private_space_sheet_is_read_by_its_members_only(sheets, private_cast, who, status):
    user = None if who == "anonymous" else getattr(private_cast, who)

    response = client_for(user).get(sheets["somme"].url)

    assert response.status_code == status
    if status == 200:
        assert REFERENT in page_text(response)


def test_open_space_sheet_is_read_by_anyone(sheets):
    response = client_for(None).get(sheets["nord"].url)

    assert response.status_code == 200
    text = page_text(response)
    assert JOB_DATING in text
    assert "Choisir les offres" in text
    assert "Demandeurs d'emploi de moins de 26 ans" in text
    assert "The body of a sheet" not in text  # a template comment is never printed


@pytest.mark.parametrize(
    ("who", "sees_private"),
    [("anonymous", False), ("non_member", False), ("member", True), ("staff", True)],
)
def test_listing_shows_private_space_sheets_to_members_only(
    sheets, private_cast, who, sees_private
):
    user = None if who == "anonymous" else getattr(private_cast, who)

    titles = _titles(client_for(user).get(LISTING))

    assert {JOB_DATING, DIAGNOSTIC, ATELIERS} <= titles
    assert (REFERENT in titles) is sees_private


def _user(cast, who):
    return AnonymousUser() if who == "anonymous" else getattr(cast, who)


@pytest.mark.parametrize(
    ("who", "finds"), [("anonymous", False), ("non_member", False), ("member", True)]
)
def test_sheet_search_provider_returns_private_sheets_to_members_only(
    sheets, private_cast, who, finds
):
    results = practice_sheets(query="référent", user=_user(private_cast, who))

    assert [r.title for r in results] == ([REFERENT] if finds else [])
    if finds:
        assert results[0].url == sheets["somme"].url
        assert results[0].kind == "Fiche pratique — Somme"
        assert results[0].summary == "Un seul interlocuteur pour l'emploi et le social."


@pytest.mark.parametrize(
    ("who", "finds"), [("anonymous", False), ("non_member", False), ("member", True)]
)
def test_site_search_shows_a_private_sheet_to_members_only(sheets, private_cast, who, finds):
    results = site_search.search(query="référent", user=_user(private_cast, who))

    assert (REFERENT in [r.title for r in results]) is finds


# --- The listing's filters and search -------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": "recrutement"}, {JOB_DATING}),
        ({"operateur": "cap-emploi"}, {DIAGNOSTIC}),
        ({"operateur": "france-travail"}, {JOB_DATING, REFERENT}),
        ({"territoire": "hauts-de-france"}, {JOB_DATING, REFERENT, DIAGNOSTIC}),
        ({"territoire": "nord"}, {JOB_DATING}),
        ({"territoire": "ile-de-france"}, {ATELIERS}),
        ({"q": "employeurs"}, {DIAGNOSTIC}),
        ({"q": "référent", "territoire": "hauts-de-france"}, {REFERENT}),
        ({"q": "référent", "territoire": "ile-de-france"}, set()),
        ({"theme": "inconnu"}, set()),
    ],
)
def test_listing_filters_and_search(sheets, private_cast, filters, expected):
    response = client_for(private_cast.member).get(LISTING, filters)

    assert _titles(response) == expected


def test_region_filter_leaves_out_private_sheets_of_non_members(sheets, private_cast):
    response = client_for(private_cast.non_member).get(LISTING, {"territoire": "hauts-de-france"})

    assert _titles(response) == {JOB_DATING, DIAGNOSTIC}


def test_themes_facet_names_only_readable_sheets_themes(sheets, private_cast):
    response = client_for(private_cast.non_member).get(LISTING)

    themes = {tag.name for tag in response.context["facet_themes"]}
    assert themes == {"Recrutement", "Compétences", "Numérique"}


@pytest.mark.postgres
def test_search_uses_french_stemming(sheets, private_cast):
    response = client_for(private_cast.member).get(LISTING, {"q": "diagnostics employeur"})

    assert DIAGNOSTIC in _titles(response)


def test_listing_paginates_by_twelve(site_root, indexed):
    with indexed():
        for number in range(13):
            publish_sheet(title=f"Fiche numéro {number}")

    first = client_for(None).get(LISTING)
    second = client_for(None).get(LISTING, {"page": 2})

    assert len(first.context["sheets"]) == 12
    assert first.context["result_count"] == 13
    assert len(second.context["sheets"]) == 1
    assert "Page suivante" in page_text(first)


def test_listing_offers_members_to_propose_in_their_spaces(sheets, private_cast):
    text = page_text(client_for(private_cast.member).get(LISTING))
    assert reverse("community:sheet_propose", args=["somme"]) in text

    text = page_text(client_for(private_cast.suspended).get(LISTING))
    assert reverse("community:sheet_propose", args=["somme"]) not in text


def test_index_page_sends_visitors_to_the_listing(sheets):
    response = client_for(None).get("/fiches-pratiques/", {"theme": "rsa"})

    assert response.status_code == 302
    assert response["Location"] == f"{LISTING}?theme=rsa"


# --- Discussion and "Utile" -----------------------------------------------------------------------


def test_sheet_links_to_its_discussion_with_its_reply_count(sheets, private_cast):
    topic = sheets["somme"].discussion_topic
    topic.reply_count = 3
    topic.save(update_fields=["reply_count"])

    text = page_text(client_for(private_cast.member).get(sheets["somme"].url))

    assert f'href="{topic.get_absolute_url()}"' in text
    assert "3 réponses" in text


def test_useful_on_a_sheet_is_useful_on_its_discussion_opening_post(sheets, private_cast):
    sheet = sheets["somme"]
    client = client_for(private_cast.animator)
    url = reverse("community:sheet_useful", args=[sheet.pk])
    opening = Post.objects.get(topic=sheet.discussion_topic, position=0)

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{sheet.url}#utile"
    assert Reaction.objects.filter(post=opening, user=private_cast.animator).exists()
    assert Post.objects.get(pk=opening.pk).useful_count == 1
    assert "1 personne trouve cette fiche utile." in page_text(client.get(sheet.url))

    client.post(url)
    assert not Reaction.objects.filter(post=opening).exists()
    assert Post.objects.get(pk=opening.pk).useful_count == 0


def test_useful_is_refused_to_those_who_may_not_post(sheets, private_cast):
    url = reverse("community:sheet_useful", args=[sheets["somme"].pk])

    response = client_for(private_cast.suspended).post(url, follow=True)
    assert "vous pouvez lire mais pas publier" in page_text(response)
    # A non-member does not even learn that the private sheet exists.
    assert client_for(private_cast.non_member).post(url).status_code == 404
    assert not Reaction.objects.exists()


def test_author_does_not_mark_their_own_sheet_useful(sheets, private_cast):
    sheet = sheets["somme"]
    client = client_for(private_cast.member)
    url = reverse("community:sheet_useful", args=[sheet.pk])

    assert url not in page_text(client.get(sheet.url))
    client.post(url)
    assert not Reaction.objects.exists()


def test_useful_asks_anonymous_visitors_to_log_in(sheets):
    response = client_for(None).post(reverse("community:sheet_useful", args=[sheets["nord"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- A fixed number of queries --------------------------------------------------------------------

# The listing's queries, whatever the number of sheets: a new query must show up here.
# (readable spaces are a subquery of the sheets query, not a scan of every space)
PINNED = {"anonymous": 9, "member, search and every filter": 13}


@pytest.mark.parametrize("count", [5, 40])
def test_listing_runs_a_fixed_number_of_queries(site_root, indexed, count, no_page_cache):
    nord = space("nord")
    member = UserFactory()
    MembershipFactory(space=nord, user=member)
    with indexed():
        for number in range(count):
            publish_sheet(title=f"Recrutement {number}", tags=("Recrutement", f"t{number}"))
    filtered = {
        "q": "recrutement",
        "theme": "recrutement",
        "operateur": "france-travail",
        "territoire": "hauts-de-france",
    }
    measured = {}
    for label, user, params in [
        ("anonymous", None, {}),
        ("member, search and every filter", member, filtered),
    ]:
        client = client_for(user)
        client.get(LISTING, params)  # warm the site root paths cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LISTING, params)
        assert len(response.context["sheets"]) == min(count, 12)
        measured[label] = len(queries)
    assert measured == PINNED
