"""What ProConnect's claims tell about a person, and what their SIRET tells about their operator.

ProConnect always gives given_name, usual_name, email, uid and siret (14 digits), and
idp_id, the identity provider used (docs.proconnect.gouv.fr, "Données fournies").
Operator and structure are not claims: the SIRET's first nine digits (the SIREN) name
the organisation. The table below covers the network's main operators whose SIREN is
known or follows INSEE's numbering of public bodies; a SIRET it does not know is kept
on the profile and shown for the person to choose their operator.
"""

import re
from dataclasses import dataclass

from allauth.socialaccount.providers.base import ProviderException

SIRET = re.compile(r"^\d{14}$")

# SIREN → operator slug (portal.people's Operator), for one organisation.
KNOWN_SIRENS = {
    "130005481": "france-travail",  # France Travail (ex-Pôle emploi), établissement public
}

# SIREN prefixes of INSEE's numbering of local authorities.
SIREN_PREFIXES = (
    ("21", "commune-intercommunalite"),  # communes
    ("22", "conseil-departemental"),  # départements
    ("23", "conseil-regional"),  # régions
    ("24", "commune-intercommunalite"),  # EPCI (communautés, métropoles)
    ("25", "commune-intercommunalite"),  # syndicats et autres groupements
)


class MissingClaims(ProviderException):
    """The identity lacks a claim the portal cannot do without."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


@dataclass(frozen=True)
class Identity:
    sub: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str
    siret: str  # "" when absent or not 14 digits
    idp_id: str


def identity_from_claims(claims: dict) -> Identity:
    """The person as ProConnect describes them; MissingClaims without sub or email."""
    missing = [name for name in ("sub", "email") if not str(claims.get(name) or "").strip()]
    if missing:
        raise MissingClaims(missing)
    siret = re.sub(r"\s", "", str(claims.get("siret") or ""))
    # ProConnect verifies the e-mail of every identity it federates; a provider that
    # says otherwise (email_verified false) is believed.
    verified = claims.get("email_verified")
    return Identity(
        sub=str(claims["sub"]),
        email=str(claims["email"]).strip(),
        email_verified=verified is not False and str(verified).lower() != "false",
        first_name=str(claims.get("given_name") or "").strip()[:150],
        last_name=str(claims.get("usual_name") or claims.get("family_name") or "").strip()[:150],
        siret=siret if SIRET.match(siret) else "",
        idp_id=str(claims.get("idp_id") or ""),
    )


def operator_slug_for_siret(siret: str) -> str | None:
    """The operator an organisation's SIRET belongs to, when the table knows it."""
    if not SIRET.match(siret or ""):
        return None
    siren = siret[:9]
    if siren in KNOWN_SIRENS:
        return KNOWN_SIRENS[siren]
    for prefix, slug in SIREN_PREFIXES:
        if siren.startswith(prefix):
            return slug
    return None
