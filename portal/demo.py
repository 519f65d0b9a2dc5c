"""Demo content of the site shell: pages and the demo accounts.

Later apps add their own `demo.py` with a `seed(*, stdout)` function;
`manage.py seed_demo` runs them all, this one first. Every seeder is
idempotent: it looks rows up by a natural key and creates only what is missing.
"""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.db import transaction

from portal.people.models import Operator, Territory, User
from portal.setup import site_setup

DEMO_PASSWORD = "demo-academie-2026"  # noqa: S105 — printed on purpose, demo only
# The authenticator app of the demo's staff accounts (their second factor,
# portal/people/second_factor.py): a known key, like the password, demo only.
# `manage.py code_demo` prints its current code; any TOTP app takes the key.
DEMO_TOTP_SECRET = "DEMOACADEMIEETCOMMUNAUTE"  # noqa: S105 — printed on purpose, demo only

# (email, display name, first, last, operator slug, structure, job title, territory slugs, role)
DEMO_USERS = [
    (
        "camille.dupont@demo.academie.fr",
        "Camille Dupont",
        "Camille",
        "Dupont",
        "france-travail",
        "Agence France Travail Lille Centre",
        "Conseillère à l'emploi",
        ["nord"],
        None,
    ),
    (
        "yanis.benali@demo.academie.fr",
        "Yanis Benali",
        "Yanis",
        "Benali",
        "mission-locale",
        "Mission locale du Grand Amiénois",
        "Conseiller en insertion professionnelle",
        ["somme"],
        None,
    ),
    (
        "sophie.martin@demo.academie.fr",
        "Sophie Martin",
        "Sophie",
        "Martin",
        "cap-emploi",
        "Cap emploi de l'Aisne, Laon",
        "Chargée de mission",
        ["aisne"],
        None,
    ),
    (
        "karim.lefevre@demo.academie.fr",
        "Karim Lefèvre",
        "Karim",
        "Lefèvre",
        "conseil-departemental",
        "Département du Nord, direction de l'insertion",
        "Référent RSA",
        ["nord"],
        None,
    ),
    (
        "elodie.rousseau@demo.academie.fr",
        "Élodie Rousseau",
        "Élodie",
        "Rousseau",
        "france-travail",
        "Équipe de l'Académie France Travail",
        "Éditrice de formations",
        ["national"],
        "editor",
    ),
    (
        "nadia.haddad@demo.academie.fr",
        "Nadia Haddad",
        "Nadia",
        "Haddad",
        "france-travail",
        "Direction régionale France Travail Hauts-de-France",
        "Animatrice de la communauté Hauts-de-France",
        ["hauts-de-france"],
        "animator",
    ),
    (
        "admin@demo.academie.fr",
        "Administration du portail",
        "Admin",
        "Portail",
        "services-etat",
        "Équipe technique du portail",
        "Administrateur",
        ["national"],
        "superuser",
    ),
]

ROLE_LABELS = {
    None: "professionnel",
    "editor": "éditrice (admin Wagtail)",
    "animator": "animatrice Hauts-de-France",
    "superuser": "super-utilisateur",
}


def demo_user_ensure(
    *,
    email: str,
    operator_slug: str,
    territory_slugs: list[str],
    is_staff: bool = False,
    is_superuser: bool = False,
    **profile,
) -> tuple[User, bool]:
    """A verified demo account with the demo password; an existing one is left as it is."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            **profile,
            "operator": Operator.objects.get(slug=operator_slug),
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.territories.set(Territory.objects.filter(slug__in=territory_slugs))
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"primary": True, "verified": True}
        )
    return user, created


@transaction.atomic
def seed(*, stdout) -> list[tuple[str, str]]:
    site_setup()
    editors = Group.objects.filter(name="Editors").first()
    moderators = Group.objects.filter(name="Moderators").first()
    accounts = []
    for email, display, first, last, op, structure, job, slugs, role in DEMO_USERS:
        user, created = demo_user_ensure(
            email=email,
            display_name=display,
            first_name=first,
            last_name=last,
            operator_slug=op,
            structure_name=structure,
            job_title=job,
            territory_slugs=slugs,
            is_staff=role in {"editor", "superuser"},
            is_superuser=role == "superuser",
        )
        if created:
            if role == "editor":
                # Wagtail's default groups: editors submit for moderation,
                # moderators publish.
                user.groups.add(*[g for g in (editors,) if g])
            if role == "superuser" and moderators:
                user.groups.add(moderators)
        if user.is_staff and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        accounts.append((email, ROLE_LABELS[role]))
    return accounts


def demo_totp_code() -> str:
    """The code the demo's authenticator app shows now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
