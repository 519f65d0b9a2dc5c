"""Forms of the forums, rendered with DSFR markup. They check what the user typed;
the services decide whether the user may do it."""

from django import forms

from community.forums import services
from community.forums.attachments import ACCEPTED_EXTENSIONS, MAX_PER_POST, attachment_refusal
from portal.forms import DsfrForm
from portal.people.models import Operator

BODY_HELP = (
    "Markdown : **gras**, *italique*, [lien](https://…), listes, `code`, « > » pour citer. "
    "Mentionnez un membre de l'espace avec @ suivi de son nom."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_PER_POST files, each checked by its content (see attachments.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "class": "fr-upload",
                    "accept": ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS),
                }
            ),
        )
        super().__init__(**kwargs)
        self.widget.group_class = "fr-upload-group"

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_PER_POST:
            raise forms.ValidationError(f"Joignez au plus {MAX_PER_POST} fichiers à un message.")
        errors = [refusal for file in files if (refusal := attachment_refusal(file))]
        if errors:
            raise forms.ValidationError(errors)
        return files


def _body_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=kwargs.pop("label", "Message"),
        help_text=BODY_HELP,
        max_length=services.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": kwargs.pop("rows", 8)}),
        error_messages={
            "required": "Écrivez votre message avant de le publier.",
            "max_length": "Votre message compte %(show_value)d caractères : "
            "le maximum est %(limit_value)d.",
        },
        **kwargs,
    )


def _attachments_field() -> AttachmentsField:
    return AttachmentsField(
        label="Pièces jointes",
        help_text=(
            f"Facultatif. Jusqu'à {MAX_PER_POST} fichiers de 10 Mo au plus : images (PNG, JPEG, "
            "GIF, WebP), PDF, documents bureautiques (docx, xlsx, pptx, odt, ods, odp)."
        ),
        required=False,
    )


class _BodyMixin:
    """The body textarea offers @mentions when given the space's suggestions URL."""

    def __init__(self, *args, mentions_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if mentions_url:
            self.fields["body"].widget.attrs["data-mentions-url"] = mentions_url

    def attachments_lost(self) -> bool:
        """A browser never sends a file back: say so when the form comes back."""
        return self.is_bound and bool(self.files)


class TopicForm(_BodyMixin, DsfrForm):
    title = forms.CharField(
        label="Titre",
        help_text="Votre question ou votre sujet, en une phrase.",
        max_length=services.TITLE_MAX_LENGTH,
        error_messages={
            "required": "Donnez un titre à votre sujet.",
            "max_length": "Le titre compte au plus %(limit_value)d caractères "
            "(il en compte %(show_value)d).",
        },
    )
    body = _body_field(rows=10)
    tags = forms.CharField(
        label="Étiquettes",
        help_text=f"Facultatif. Séparées par des virgules, {services.MAX_TAGS} au plus "
        "(par exemple « RSA, mobilité »).",
        required=False,
        max_length=400,
        error_messages={"max_length": "Saisissez au plus %(limit_value)d caractères."},
    )
    attachments = _attachments_field()

    def clean_tags(self):
        tags = services.parse_tags(self.cleaned_data["tags"])
        if len(tags) > services.MAX_TAGS:
            raise forms.ValidationError(f"Indiquez au plus {services.MAX_TAGS} étiquettes.")
        for tag in tags:
            if len(tag) > services.TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    f"Une étiquette compte au plus {services.TAG_MAX_LENGTH} caractères."
                )
        return tags


class ReplyForm(_BodyMixin, DsfrForm):
    body = _body_field(label="Votre réponse")
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = _attachments_field()


class PostEditForm(_BodyMixin, DsfrForm):
    body = _body_field()


class TopicFilterForm(DsfrForm):
    """The forum's filters (GET). An unknown value is an error, not an empty list."""

    tag = forms.ChoiceField(label="Étiquette", required=False)
    operator = forms.ModelChoiceField(
        label="Opérateur de l'auteur ou l'autrice",
        queryset=Operator.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Tous les opérateurs",
        error_messages={"invalid_choice": "Cet opérateur n'existe pas : choisissez-en un."},
    )
    sans_reponse = forms.BooleanField(label="Sans réponse uniquement", required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Toutes les étiquettes")] + [
            (t.slug, t.name) for t in tags
        ]
        self.fields["tag"].error_messages["invalid_choice"] = (
            "Cette étiquette n'est utilisée dans aucun sujet de ce forum."
        )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"tag": "", "unanswered": False, "operator_slug": ""}
        operator = self.cleaned_data["operator"]
        return {
            "tag": self.cleaned_data["tag"],
            "unanswered": self.cleaned_data["sans_reponse"],
            "operator_slug": operator.slug if operator else "",
        }


class ForumForm(DsfrForm):
    """A forum's name and description, written by the animateurs of its space."""

    name = forms.CharField(
        label="Nom du forum",
        help_text="Par exemple « Accompagnement des allocataires du RSA ».",
        max_length=services.FORUM_NAME_MAX_LENGTH,
        error_messages={
            "required": "Donnez un nom au forum.",
            "max_length": "Le nom compte au plus %(limit_value)d caractères "
            "(il en compte %(show_value)d).",
        },
    )
    description = forms.CharField(
        label="Description",
        help_text="Facultatif. Ce dont on y parle, en une ou deux phrases.",
        required=False,
        max_length=services.FORUM_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "La description compte au plus %(limit_value)d caractères "
            "(elle en compte %(show_value)d).",
        },
    )
