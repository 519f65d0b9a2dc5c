import pytest

from portal.models import ContentPage

pytestmark = pytest.mark.django_db


def _page(home, *, title, slug, intro, live=True, capture):
    page = ContentPage(title=title, slug=slug, intro=intro)
    with capture(execute=True):
        home.add_child(instance=page)
        if live:
            page.save_revision().publish()
        else:
            page.unpublish()
    return page


def test_search_finds_a_published_page_by_its_exact_word(
    client, site_root, django_capture_on_commit_callbacks
):
    _page(
        site_root,
        title="Accompagnement intensif",
        slug="accompagnement-intensif",
        intro="Quinze heures d'activité hebdomadaire",
        capture=django_capture_on_commit_callbacks,
    )
    response = client.get("/recherche/", {"q": "accompagnement"})
    assert response.status_code == 200
    assert "Accompagnement intensif" in response.content.decode()


@pytest.mark.postgres
def test_search_finds_a_published_page_by_a_stemmed_french_word(
    client, site_root, django_capture_on_commit_callbacks
):
    _page(
        site_root,
        title="Nos formations au recrutement",
        slug="formations-recrutement",
        intro="Des ateliers pour les entreprises",
        capture=django_capture_on_commit_callbacks,
    )
    html = client.get("/recherche/", {"q": "formation"}).content.decode()
    assert "Nos formations au recrutement" in html
    html = client.get("/recherche/", {"q": "entreprise"}).content.decode()
    assert "Nos formations au recrutement" in html


def test_search_does_not_find_an_unpublished_page(
    client, site_root, django_capture_on_commit_callbacks
):
    _page(
        site_root,
        title="Brouillon confidentiel",
        slug="brouillon",
        intro="Projet de parcours non publié",
        live=False,
        capture=django_capture_on_commit_callbacks,
    )
    html = client.get("/recherche/", {"q": "confidentiel"}).content.decode()
    assert "Brouillon confidentiel" not in html
    assert "0 résultat" in html


def test_search_page_without_query_shows_the_form_only(client, site_root):
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert response.context["page_obj"].paginator.count == 0
