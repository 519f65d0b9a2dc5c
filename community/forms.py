"""Forms of the Communauté's pages, rendered with DSFR markup."""

from django import forms

from portal.forms import DsfrForm
from portal.people.models import Operator

JOIN_MESSAGE_MAX_LENGTH = 500


class JoinRequestForm(DsfrForm):
    message = forms.CharField(
        label="Message aux animateurs",
        help_text="Facultatif. Présentez-vous en quelques mots : pourquoi rejoindre cet espace ?",
        required=False,
        max_length=JOIN_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Votre message ne doit pas dépasser %(limit_value)d caractères "
            "(il en compte %(show_value)d)."
        },
    )


class MemberFilterForm(DsfrForm):
    """The directory's filters (GET): an unknown operator is an error, not an empty list."""

    operator = forms.ModelChoiceField(
        label="Opérateur",
        queryset=Operator.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Tous les opérateurs",
        error_messages={"invalid_choice": "Cet opérateur n'existe pas : choisissez-en un."},
    )
    structure = forms.CharField(
        label="Structure",
        help_text="Une partie du nom, par exemple « Lille ».",
        required=False,
        max_length=160,
        error_messages={"max_length": "Saisissez au plus %(limit_value)d caractères."},
    )

    def filters(self) -> dict:
        """The filters to apply: none of them when the form is invalid."""
        if not self.is_valid():
            return {"operator_slug": "", "structure": ""}
        operator = self.cleaned_data["operator"]
        return {
            "operator_slug": operator.slug if operator else "",
            "structure": self.cleaned_data["structure"].strip(),
        }
