"""Who reaches the two admins: the Django admin is for superusers only (portal/urls.py),
the Wagtail admin is the editors' tool."""

import pytest

from tests.factories import UserFactory
from tests.people.pages import soup, text

pytestmark = pytest.mark.django_db

DJANGO_ADMIN = "/django-admin/"
WAGTAIL_ADMIN = "/admin/"


def test_django_admin_refuses_a_staff_member_who_is_not_superuser(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(DJANGO_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{DJANGO_ADMIN}login/")
    refused = client.get(response["Location"])
    assert refused.status_code == 403
    assert "Votre compte n'a pas accès à cette administration." in text(soup(refused))


def test_django_admin_refuses_a_staff_member_even_on_a_model_page(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(f"{DJANGO_ADMIN}people/user/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{DJANGO_ADMIN}login/")


def test_django_admin_refuses_an_ordinary_member(client, user):
    client.force_login(user)

    response = client.get(DJANGO_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{DJANGO_ADMIN}login/")


def test_django_admin_refuses_anonymous_visitors(client):
    response = client.get(DJANGO_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{DJANGO_ADMIN}login/")


def test_django_admin_opens_for_a_superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    index = client.get(DJANGO_ADMIN)
    users = client.get(f"{DJANGO_ADMIN}people/user/")

    assert index.status_code == 200
    assert "Administration technique" in index.content.decode()
    assert users.status_code == 200


def test_wagtail_admin_opens_for_a_superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(WAGTAIL_ADMIN)

    assert response.status_code == 200


def test_wagtail_admin_refuses_an_ordinary_member(client, user):
    client.force_login(user)

    response = client.get(WAGTAIL_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{WAGTAIL_ADMIN}login/")
