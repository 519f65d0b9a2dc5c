"""The portal's French error pages answer also under DEBUG (the embedded default)."""

import pytest
from django.http import Http404
from django.test import RequestFactory, override_settings

from portal.middleware import PortalErrorPagesMiddleware

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_an_unknown_address_gets_the_french_404_page_under_debug(client, site_root):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    assert "Using the URLconf" not in html  # Django's technical page lists the routes
    assert 'href="/academie/certificats/"' in html


@override_settings(DEBUG=True, DJANGO_DEBUG_PAGES=True)
def test_a_developer_can_ask_for_django_s_technical_pages(client, site_root):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert "Page non trouvée" not in response.content.decode()


@override_settings(DEBUG=True)
def test_a_crash_gets_the_french_500_page_under_debug_and_is_logged(caplog):
    middleware = PortalErrorPagesMiddleware(lambda request: None)
    request = RequestFactory().get("/academie/")

    response = middleware.process_exception(request, ZeroDivisionError("division by zero"))

    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()
    assert "ZeroDivisionError" in caplog.text


@override_settings(DEBUG=False)
def test_without_debug_django_s_own_handlers_answer():
    middleware = PortalErrorPagesMiddleware(lambda request: None)

    assert middleware.process_exception(RequestFactory().get("/"), Http404()) is None


def test_the_404_page_without_debug_is_the_french_one(client, site_root):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()
