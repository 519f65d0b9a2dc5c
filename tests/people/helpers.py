"""Steps of the account flows, as a person takes them through allauth's pages."""

import re

from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD


def sign_in(client, email, password=DEFAULT_PASSWORD):
    """Posts allauth's login form."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_user_id(client):
    """The id of the signed-in user as a string, None when nobody is signed in."""
    return client.session.get("_auth_user_id")


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in an e-mail that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)
    assert match, f"pas de lien {path_prefix} dans : {message.body}"
    return match[1]
