from django import forms

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
