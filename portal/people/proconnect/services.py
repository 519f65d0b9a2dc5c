"""What a ProConnect sign-in writes on the portal's side."""

from allauth.account.signals import user_signed_up
from allauth.socialaccount.signals import social_account_added
from django.contrib import messages
from django.dispatch import receiver

from portal.people.models import Operator
from portal.people.proconnect.claims import identity_from_claims, operator_slug_for_siret
from portal.people.proconnect.provider import _claims


def fill_from_identity(user, extra_data: dict) -> None:
    """A new account: its displayed name, its SIRET, and its operator when the SIRET
    tells it (names and e-mail come from allauth's mapping, provider.py)."""
    identity = identity_from_claims(_claims(extra_data))
    if not user.display_name and identity.first_name:
        initial = f" {identity.last_name[:1]}." if identity.last_name else ""
        user.display_name = f"{identity.first_name.split()[0]}{initial}"[:80]
    user.siret = identity.siret
    slug = operator_slug_for_siret(identity.siret)
    if slug and user.operator_id is None:
        user.operator = Operator.objects.filter(slug=slug).first()


@receiver(social_account_added)
def tell_the_account_is_linked(sender, request, sociallogin, **kwargs):
    """An existing account found by its verified e-mail is linked, never duplicated: say so."""
    if sociallogin.account.provider == "proconnect":
        messages.info(
            request,
            f"Votre compte existant ({sociallogin.user.email}) est désormais relié à "
            "ProConnect : vous pouvez vous connecter avec l'un ou l'autre.",
        )


@receiver(user_signed_up)
def ask_to_complete_the_profile(sender, request, user, sociallogin=None, **kwargs):
    """A first sign-in with ProConnect lands on the profile: say what is left to fill."""
    if sociallogin is None or sociallogin.account.provider != "proconnect":
        return
    known = "votre nom et votre adresse électronique"
    if user.operator_id:
        known += f", et votre opérateur ({user.operator.name}) d'après le SIRET de votre structure"
    messages.info(
        request,
        f"Bienvenue ! ProConnect a rempli {known}. Complétez votre profil : ce que "
        "ProConnect ne transmet pas (structure, fonction, territoires"
        f"{'' if user.operator_id else ', opérateur'}).",
    )
