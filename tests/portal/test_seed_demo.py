from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.people.models import Operator, User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"people", "portal", "wagtailcore", "account", "mfa", "notifications"}
    }


def test_seed_demo_twice_gives_the_same_row_counts(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert _row_counts() == first


def test_seed_demo_creates_members_of_four_operators_an_editor_an_animatrice_and_a_superuser(
    settings, capsys
):
    settings.DEBUG = True
    call_command("seed_demo")
    output = capsys.readouterr().out
    operators = set(
        Operator.objects.filter(members__email__endswith="@demo.academie.fr").values_list(
            "slug", flat=True
        )
    )
    assert {"france-travail", "mission-locale", "cap-emploi", "conseil-departemental"} <= operators
    assert User.objects.filter(is_superuser=True, email__endswith="@demo.academie.fr").exists()
    assert (
        User.objects.get(email="elodie.rousseau@demo.academie.fr")
        .groups.filter(name="Editors")
        .exists()
    )
    assert (
        User.objects.get(email="nadia.haddad@demo.academie.fr")
        .territories.filter(slug="hauts-de-france")
        .exists()
    )
    assert not EmailAddress.objects.filter(
        email__endswith="@demo.academie.fr", verified=False
    ).exists()
    assert "camille.dupont@demo.academie.fr" in output and "mot de passe" in output


def test_demo_user_can_log_in_with_the_printed_password(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    from portal.demo import DEMO_PASSWORD

    assert client.login(email="yanis.benali@demo.academie.fr", password=DEMO_PASSWORD)


def test_the_demo_admin_reaches_the_admin_with_the_password_and_the_printed_code(settings, client):
    settings.DEBUG = True
    settings.MFA_TOTP_TOLERANCE = 1  # a code printed at the very end of its 30 seconds
    out = StringIO()
    call_command("seed_demo", stdout=out)
    from portal.demo import DEMO_PASSWORD

    assert "code_demo" in out.getvalue()
    signed_in = client.post(
        reverse("account_login"),
        {"login": "admin@demo.academie.fr", "password": DEMO_PASSWORD},
    )
    assert signed_in["Location"] == reverse("mfa_authenticate")
    code = StringIO()
    call_command("code_demo", stdout=code)
    assert client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})
    assert client.get("/admin/").status_code == 200


def test_the_demo_code_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        call_command("code_demo", stdout=StringIO())


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        call_command("seed_demo")
    assert not User.objects.filter(email__endswith="@demo.academie.fr").exists()


def test_seed_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=StringIO())
    from portal.demo import DEMO_USERS

    emails = {row[0] for row in DEMO_USERS}
    assert User.objects.filter(email__in=emails).count() == len(emails)
