"""The proposal form of a practice sheet, rendered with DSFR markup."""

from django import forms
from taggit.utils import parse_tags

from community.sheets.services import REVIEW_COMMENT_MAX_LENGTH, Step
from portal.forms import DsfrForm
from portal.people.models import Operator

STEP_TITLE_MAX_LENGTH = 200
MAX_STEPS = 30
MAX_TAGS = 10
TAG_MAX_LENGTH = 100


def _text(label, *, max_length, required=True, rows=None, help_text="", missing=""):
    messages = {
        "max_length": "Saisissez au plus %(limit_value)d caractères (vous en avez saisi "
        "%(show_value)d).",
    }
    if missing:
        messages["required"] = missing
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages=messages,
    )


class SheetProposalForm(DsfrForm):
    title = _text("Titre de la fiche", max_length=200, missing="Donnez un titre à la fiche.")
    summary = _text(
        "Résumé",
        max_length=300,
        rows=3,
        help_text="En deux ou trois phrases : ce que la pratique apporte, et à qui.",
        missing="Résumez la fiche en quelques phrases.",
    )
    context = _text(
        "Contexte",
        max_length=5000,
        rows=5,
        help_text="La situation de départ : le besoin, le territoire, les partenaires.",
        missing="Décrivez le contexte de la pratique.",
    )
    target_public = _text(
        "Public visé",
        max_length=300,
        help_text="Par exemple « allocataires du RSA de moins de 30 ans ».",
        missing="Indiquez le public visé.",
    )
    steps = _text(
        "Étapes",
        max_length=10_000,
        rows=8,
        help_text="Une étape par paragraphe, séparés par une ligne vide : la première ligne "
        "donne le titre de l'étape, les suivantes la décrivent.",
        missing="Décrivez au moins une étape.",
    )
    results = _text(
        "Résultats",
        max_length=5000,
        rows=4,
        required=False,
        help_text="Ce que la pratique a permis : chiffres, retours des personnes, suites.",
    )
    operators = forms.ModelMultipleChoiceField(
        label="Opérateurs impliqués",
        queryset=Operator.objects.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins un opérateur impliqué.",
            "invalid_choice": "Cet opérateur n'existe pas : cochez-en un de la liste.",
            "invalid_pk_value": "Cet opérateur n'existe pas : cochez-en un de la liste.",
        },
    )
    contact = _text(
        "Contact",
        max_length=300,
        required=False,
        rows=2,
        help_text="Qui joindre pour en savoir plus (nom, structure, adresse professionnelle). "
        "Visible de tous les lecteurs de la fiche.",
    )
    tags = _text(
        "Thèmes",
        max_length=300,
        required=False,
        help_text="Séparés par des virgules, par exemple « RSA, relations entreprises ».",
    )

    def clean_steps(self) -> list[Step]:
        paragraphs = [
            block.strip()
            for block in self.cleaned_data["steps"].replace("\r\n", "\n").split("\n\n")
            if block.strip()
        ]
        if not paragraphs:
            raise forms.ValidationError("Décrivez au moins une étape.")
        if len(paragraphs) > MAX_STEPS:
            raise forms.ValidationError(
                f"Une fiche compte au plus {MAX_STEPS} étapes (vous en avez saisi "
                f"{len(paragraphs)}) : regroupez-en certaines."
            )
        steps = []
        for number, paragraph in enumerate(paragraphs, start=1):
            title, _, detail = paragraph.partition("\n")
            title = title.strip()
            if len(title) > STEP_TITLE_MAX_LENGTH:
                raise forms.ValidationError(
                    f"Le titre de l'étape {number} (sa première ligne) dépasse "
                    f"{STEP_TITLE_MAX_LENGTH} caractères : passez à la ligne après le titre."
                )
            steps.append(Step(title=title, detail=detail.strip()))
        return steps

    def clean_tags(self) -> list[str]:
        names = [name.strip() for name in parse_tags(self.cleaned_data["tags"]) if name.strip()]
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Indiquez au plus {MAX_TAGS} thèmes.")
        for name in names:
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    f"Un thème compte au plus {TAG_MAX_LENGTH} caractères : « {name[:30]}… »."
                )
        return names


class SheetReviewForm(DsfrForm):
    """The reviewer's comment; the decision is the button pressed ("approve" or "reject")."""

    comment = _text(
        "Commentaire pour l'auteur ou l'autrice",
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        required=False,
        rows=4,
        help_text="Obligatoire pour demander des modifications : dites ce qu'il faut revoir. "
        "L'auteur ou l'autrice le reçoit avec la décision.",
    )

    def __init__(self, *args, decision: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if self.decision == "reject" and not comment:
            raise forms.ValidationError(
                "Dites ce qu'il faut revoir : le commentaire est obligatoire pour demander "
                "des modifications."
            )
        return comment

    def clean(self):
        cleaned_data = super().clean()
        if self.decision not in {"approve", "reject"}:
            raise forms.ValidationError(
                "Choisissez de publier la fiche ou de demander des modifications."
            )
        return cleaned_data
