import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.notifications import kinds
from portal.notifications.emails import ALL_KINDS, unsubscribe_token
from portal.notifications.models import NotificationPreference
from portal.notifications.services import notify
from tests.notifications.conftest import run_task

pytestmark = pytest.mark.django_db


def unsubscribe_path(user, kind="system.welcome"):
    return reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind)]
    )


def preferences_of(user):
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


@pytest.fixture
def csrf_client():
    # Logged out, and strict about CSRF like a real browser or mail client.
    return Client(enforce_csrf_checks=True)


def test_unsubscribe_get_shows_confirmation_and_changes_nothing(csrf_client, user):
    response = csrf_client.get(unsubscribe_path(user))

    assert response.status_code == 200
    assert response.context["title"] == "Se désabonner des courriels"
    assert "Confirmer le désabonnement" in response.text
    assert "Message de l&#x27;équipe du portail" in response.text
    assert preferences_of(user) == {}


def test_unsubscribe_post_sets_kind_to_never_without_login(csrf_client, user):
    response = csrf_client.post(unsubscribe_path(user))

    assert response.status_code == 200
    assert response.context["title"] == "Désabonnement confirmé"
    assert preferences_of(user) == {"system.welcome": "never"}


def test_unsubscribe_one_click_post_from_mail_client(csrf_client, user, deferred_tasks, on_commit):
    with on_commit():
        notify(recipient=user, kind="system.welcome")
    run_task(deferred_tasks.results[0])
    header_url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = header_url.removeprefix(settings.SITE_URL)

    response = csrf_client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert preferences_of(user) == {"system.welcome": "never"}


def test_unsubscribe_all_sets_every_kind_to_never(csrf_client, user):
    response = csrf_client.post(unsubscribe_path(user, ALL_KINDS))

    assert response.status_code == 200
    assert "aucun courriel de notification" in response.text
    assert preferences_of(user) == {kind.key: "never" for kind in kinds.all_kinds()}


def test_after_unsubscribe_no_email_is_sent(client, user, deferred_tasks, on_commit):
    client.post(unsubscribe_path(user))
    with on_commit():
        notification = notify(recipient=user, kind="system.welcome")

    assert deferred_tasks.results == []
    assert notification.email_state == "skipped"


def test_tampered_unsubscribe_link_is_refused_and_changes_nothing(csrf_client, user, other_user):
    token = unsubscribe_token(user_id=user.pk, kind="system.welcome")
    payload, stamp, signature = token.split(":")
    forged = unsubscribe_token(user_id=other_user.pk, kind="system.welcome").split(":")[0]

    for bad in (f"{forged}:{stamp}:{signature}", f"{payload}:{stamp}:{signature[:-2]}xx", "nope"):
        path = reverse("notifications:unsubscribe", args=[bad])
        for response in (csrf_client.get(path), csrf_client.post(path)):
            assert response.status_code == 400
            assert "Ce lien de désabonnement n'est pas valide" in response.text
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_link_for_unknown_kind_is_refused(csrf_client, user):
    response = csrf_client.post(unsubscribe_path(user, "community.disparu"))

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_expired_unsubscribe_link_says_so_and_changes_nothing(csrf_client, user):
    signed_long_ago = time.time() - settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE - 60
    with mock.patch("time.time", return_value=signed_long_ago):
        path = unsubscribe_path(user)

    for response in (csrf_client.get(path), csrf_client.post(path)):
        assert response.status_code == 410
        assert "Ce lien de désabonnement a expiré" in response.text
        assert reverse("notifications:preferences") in response.text
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_link_just_before_expiry_still_works(csrf_client, user):
    signed_a_while_ago = time.time() - settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE + 60
    with mock.patch("time.time", return_value=signed_a_while_ago):
        path = unsubscribe_path(user)

    assert csrf_client.post(path).status_code == 200
    assert preferences_of(user) == {"system.welcome": "never"}
