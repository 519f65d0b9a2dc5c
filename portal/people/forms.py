from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from portal.forms import DsfrForm, DsfrModelForm
from portal.people.models import Territory, User
from portal.people.selectors import territory_choices


class TerritoryMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ProfileForm(DsfrModelForm):
    territories = TerritoryMultipleChoiceField(
        label="Territoires",
        queryset=Territory.objects.all(),
        help_text="Un ou plusieurs : ceux où vous travaillez. Maintenez Ctrl (ou Cmd) pour "
        "en choisir plusieurs.",
        error_messages={
            "required": "Choisissez au moins un territoire.",
            "invalid_choice": "Ce territoire n'existe pas.",
            "invalid_pk_value": "Ce territoire n'existe pas.",
        },
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = User
        fields = ["display_name", "operator", "structure_name", "job_title", "territories", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "display_name": {
                "required": "Indiquez le nom que les autres membres verront.",
                "max_length": "Le nom affiché ne peut pas dépasser %(limit_value)d caractères.",
            },
            "operator": {"required": "Choisissez votre opérateur."},
            "bio": {
                "max_length": "La présentation ne peut pas dépasser %(limit_value)d caractères."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["operator"].required = True
        self.fields["operator"].empty_label = "Choisissez votre opérateur"
        self.fields["territories"].choices = territory_choices()

    def clean_display_name(self):
        value = self.cleaned_data["display_name"].strip()
        if "@" in value:
            raise forms.ValidationError(
                "Le nom affiché ne doit pas contenir d'adresse électronique : il est visible "
                "de tous les membres."
            )
        return value


class AccountDeleteForm(DsfrForm):
    password = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe pour confirmer."},
    )
    confirm = forms.BooleanField(
        label="Je comprends que mon compte, ma progression et mes attestations seront "
        "définitivement supprimés.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mot de passe incorrect : le compte n'a pas été supprimé.")
        return password


# allauth's WebAuthn forms, in French where allauth leaves it to Django (a field named
# « Name ») or says « Code incorrect. » of a key (its one message for a failed check).
KEY_NAME_LABEL = "Nom de la clé"
KEY_NAME_HELP = "Pour la reconnaître parmi vos clés, par exemple « Clé du bureau »."
KEY_NOT_RECOGNISED = (
    "Cette clé de sécurité n'a pas été reconnue. Rien n'a été modifié : utilisez la clé "
    "associée à votre compte, ou un code."
)
KEY_NOT_REGISTERED = (
    "La réponse de la clé de sécurité n'a pas pu être vérifiée. Aucune clé n'a été "
    "ajoutée : réessayez."
)


def _in_french(error: ValidationError, message: str) -> ValidationError:
    """A failed check of allauth (code "incorrect_code") told as `message`; any other
    refusal (too many attempts) as allauth says it."""
    if getattr(error, "code", None) == "incorrect_code":
        return ValidationError(message, code="incorrect_code")
    return error


class AddSecurityKeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL
        self.fields["name"].help_text = KEY_NAME_HELP

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            raise _in_french(error, KEY_NOT_REGISTERED) from error


class EditSecurityKeyForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL
        self.fields["name"].help_text = KEY_NAME_HELP


class _KeyAnswerInFrench:
    def clean_credential(self):
        try:
            return super().clean_credential()
        except ValidationError as error:
            raise _in_french(error, KEY_NOT_RECOGNISED) from error


class SecurityKeyForm(_KeyAnswerInFrench, AuthenticateWebAuthnForm):
    """The key's answer at a sign-in's second step."""


class ReauthenticateSecurityKeyForm(_KeyAnswerInFrench, ReauthenticateWebAuthnForm):
    """The key's answer when a signed-in person confirms their access with it."""


class SecondFactorCodeForm(AuthenticateForm):
    """allauth's code form of a sign-in's second step; it also tells the page which
    authenticators the account holds, so that the page offers what it can use."""

    @cached_property
    def authenticator_types(self) -> set[str]:
        return set(Authenticator.objects.filter(user=self.user).values_list("type", flat=True))
