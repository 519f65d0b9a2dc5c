"""A staff account's second factor, in Chromium with axe's RGAA rules: the step page,
the activation of an authenticator app, the recovery codes, the code asked at the
next sign-in (portal/people/second_factor.py)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from portal.setup import site_setup
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory


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

    page.get_by_role("link", name="Activer la validation en deux étapes").click()
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

    page.goto("/comptes/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/comptes/logout/" not in url)

    log_in(page, email=staff.email, password=DEFAULT_PASSWORD)
    assert "/comptes/2fa/authenticate/" in page.url
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
