"""A staff account's second factor, in Chromium with axe's RGAA rules: the step page,
the activation of an authenticator app, the recovery codes, the code asked at the
next sign-in (portal/people/second_factor.py)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from portal.setup import site_setup
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory


def sign_in_again(page, staff) -> None:
    """Signs out, then in with the password: allauth asks for the second factor."""
    page.goto("/comptes/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/comptes/logout/" not in url)
    log_in(page, email=staff.email, password=DEFAULT_PASSWORD)
    assert "/comptes/2fa/authenticate/" in page.url


def code_of(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_staff_account_activates_its_app_then_signs_in_with_a_recovery_code(page, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code typed at the very end of its 30 seconds
    site_setup()
    staff = UserFactory(is_staff=True, is_superuser=True)

    log_in(page, email=staff.email, password=DEFAULT_PASSWORD)
    page.goto("/admin/")
    page.wait_for_url("**/comptes/double-authentification/?next=%2Fadmin%2F")
    assert page.get_by_role(
        "heading", level=1, name="Validation en deux étapes requise"
    ).is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Activer une application d'authentification").click()
    # allauth confirms the password before an authenticator is added.
    page.wait_for_url(lambda url: "/comptes/reauthenticate/" in url)
    assert_no_axe_violations(page)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/comptes/2fa/totp/activate/" in url)
    assert_no_axe_violations(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill("000000")
    page.locator("main form button[type=submit]").click()
    assert page.locator("input[name=code][aria-invalid=true]").is_visible()
    assert_no_axe_violations(page)  # the form in error
    page.locator("input[name=code]").fill(code_of(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert_no_axe_violations(page)

    page.goto("/admin/")
    assert page.url.endswith("/admin/") and "Tableau de bord" in page.title()

    sign_in_again(page, staff)
    assert_no_axe_violations(page)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    page.locator("input[name=code]").fill(codes[0])
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/comptes/2fa/authenticate/" not in url)
    page.goto("/admin/")
    assert page.url.endswith("/admin/") and "Tableau de bord" in page.title()
    assert (
        RecoveryCodes(
            Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
        ).get_unused_codes()
        == codes[1:]
    )  # that code is spent


def with_virtual_security_key(page) -> None:
    """Chromium's own virtual authenticator (DevTools WebAuthn domain): a CTAP2 USB key
    that answers at once, as a person touching their key would."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_staff_account_adds_a_security_key_then_signs_in_with_it(page):
    site_setup()
    staff = UserFactory(is_staff=True, is_superuser=True)
    with_virtual_security_key(page)

    log_in(page, email=staff.email, password=DEFAULT_PASSWORD)
    page.goto("/admin/")
    page.wait_for_url("**/comptes/double-authentification/?next=%2Fadmin%2F")
    page.get_by_role("link", name="Ajouter une clé de sécurité").click()
    page.wait_for_url(lambda url: "/comptes/reauthenticate/" in url)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/comptes/2fa/webauthn/add/" in url)
    assert page.get_by_role("heading", level=1, name="Ajouter une clé de sécurité").is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Nom de la clé").fill("Clé du bureau")
    page.get_by_role("button", name="Ajouter").click()
    # The first key comes with recovery codes, shown once.
    page.wait_for_url(lambda url: "/comptes/2fa/recovery-codes/" in url)
    assert_no_axe_violations(page)
    key = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
    assert str(key) == "Clé du bureau"

    page.goto("/admin/")
    assert page.url.endswith("/admin/") and "Tableau de bord" in page.title()
    page.goto("/comptes/2fa/webauthn/")
    assert page.get_by_role("cell", name="Clé du bureau", exact=True).is_visible()
    assert_no_axe_violations(page)

    # The same key a second time: the key refuses, the page says so in French.
    page.get_by_role("link", name="Ajouter une clé de sécurité").click()
    page.wait_for_url(lambda url: "/comptes/2fa/webauthn/add/" in url)
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Cette clé de sécurité est déjà associée à votre compte."
    )
    assert_no_axe_violations(page)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.WEBAUTHN).count() == 1

    sign_in_again(page, staff)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Utiliser ma clé de sécurité").click()
    page.wait_for_url(lambda url: "/comptes/2fa/authenticate/" not in url)
    page.goto("/admin/")
    assert page.url.endswith("/admin/") and "Tableau de bord" in page.title()
    key.refresh_from_db()
    assert key.last_used_at is not None
