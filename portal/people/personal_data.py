"""What the portal holds about a person, for its owner: export and erasure.

Each app that stores personal data registers an exporter (a function
user -> dict) from its AppConfig.ready(); the export gathers them all.
Erasure deletes the account: rows that belong to the person cascade, rows
they only touched (pages they edited, notifications they caused) keep no link.
An app whose figures depend on the person's rows registers an eraser (a
function user -> None), run in the same transaction just before the deletion.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.db import transaction

EXPORTERS: dict[str, Callable] = {}
ERASERS: dict[str, Callable] = {}


def register_exporter(section: str, exporter: Callable) -> None:
    EXPORTERS[section] = exporter


def register_eraser(section: str, eraser: Callable) -> None:
    ERASERS[section] = eraser


def _profile(user) -> dict:
    return {
        "adresse_electronique": user.email,
        "adresses": [
            {"adresse": a.email, "principale": a.primary, "verifiee": a.verified}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "nom_affiche": user.display_name,
        "prenom": user.first_name,
        "nom": user.last_name,
        "operateur": user.operator.name if user.operator_id else None,
        "structure": user.structure_name,
        "fonction": user.job_title,
        "siret_de_la_structure": user.siret,
        # What ProConnect told about this person at their last sign-in (claims).
        "proconnect": [
            {
                "relie_le": account.date_joined.isoformat(),
                "donnees_transmises": account.extra_data.get("userinfo", {}),
            }
            for account in user.socialaccount_set.filter(provider="proconnect")
        ],
        "territoires": [t.name for t in user.territories.all()],
        "presentation": user.bio,
        "inscrit_le": user.date_joined.isoformat(),
        "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
    }


def personal_data_export(*, user) -> dict:
    data = {"profil": _profile(user)}
    for section, exporter in EXPORTERS.items():
        data[section] = exporter(user)
    return data


@transaction.atomic
def account_erase(*, user) -> None:
    for eraser in ERASERS.values():
        eraser(user)
    user.delete()
