import pytest
from django.test import override_settings
from django.utils.html import escape

from portal.models import HomePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_a_wagtail_page_served_at_the_root(client, site_root):
    response = client.get("/")
    assert response.status_code == 200
    assert isinstance(response.context["page"], HomePage)
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert escape(site_root.title) in html


def test_home_page_renders_empty_lists_gracefully(client, site_root):
    html = client.get("/").content.decode()
    assert "Aucune formation n'est encore publiée" in html
    assert "Aucun espace n'a encore de membres" in html


def test_home_page_has_dsfr_shell_navigation_skip_links_and_footer(client, site_root):
    html = client.get("/").content.decode()
    assert 'class="fr-header"' in html
    assert 'class="fr-skiplinks"' in html and 'href="#content"' in html
    for label, url in [
        ("Académie", "/academie/"),
        ("Communauté", "/communaute/"),
        ("Recherche", "/recherche/"),
        ("Mon espace", "/mon-espace/profil/"),
    ]:
        assert f'href="{url}" target="_self"' in html and label in html
    for footer_link in [
        "Accessibilité : non conforme",
        "Mentions légales",
        "Données personnelles",
        "Plan du site",
        "Paramètres d'affichage",
    ]:
        assert footer_link in html
    assert 'id="fr-theme-modal"' in html  # the display settings dialog itself


def test_footer_legal_links_lead_to_published_pages(client, site_root):
    for url in [
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/plan-du-site/",
    ]:
        assert client.get(url).status_code == 200, url


def test_footer_accessibility_status_follows_the_site_setting(client, site_root):
    from portal.models import PortalSettings

    settings_row = PortalSettings.load()
    settings_row.accessibility_status = PortalSettings.AccessibilityStatus.PARTIAL
    settings_row.save()
    assert "Accessibilité : partiellement conforme" in client.get("/").content.decode()


def test_header_shows_login_links_to_anonymous_and_account_links_to_members(client, site_root):
    html = client.get("/").content.decode()
    assert "Se connecter" in html and "Créer un compte" in html
    member = UserFactory(display_name="Camille D.")
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Camille D." in html and "Se déconnecter" in html and "Notifications" in html
    assert member.email not in html


def test_home_page_query_count_is_pinned_for_anonymous(
    client, site_root, django_assert_max_num_queries
):
    client.get("/")  # warm Wagtail's site-root cache as any running server has it
    # site, page, alias check, 2 view restrictions, latest courses, active spaces, settings
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_home_page_query_count_is_pinned_for_a_member(
    client, site_root, django_assert_max_num_queries
):
    client.force_login(UserFactory())
    client.get("/")
    # the same, plus the session's user and the unread notifications count
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_django_admin_is_refused_to_anonymous(client, site_root):
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response.url


@override_settings(DEBUG=False)
def test_unknown_page_gives_a_404(client, site_root):
    assert client.get("/cette-page-n-existe-pas/").status_code == 404
