"""Forms of the moderation pages, rendered with DSFR markup."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from community.models import Forum, Report, Space
from community.moderation.services import (
    DECISION_NOTE_MAX_LENGTH,
    REPORT_REASON_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
)
from portal.forms import DsfrForm


def _too_long(what: str) -> dict:
    return {
        "max_length": f"{what} ne doit pas dépasser %(limit_value)d caractères "
        "(il en compte %(show_value)d)."
    }


class ReportForm(DsfrForm):
    reason = forms.CharField(
        label="Motif du signalement",
        help_text="Dites aux animateurs ce qui pose problème dans ce message "
        "(propos injurieux, données personnelles, publicité…).",
        max_length=REPORT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Indiquez le motif du signalement.", **_too_long("Le motif")},
    )


class ReportDecisionForm(DsfrForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            (Report.Status.HIDDEN, "Masquer le message"),
            (Report.Status.DISMISSED, "Classer sans suite"),
        ],
        error_messages={
            "required": "Choisissez de masquer le message ou de classer sans suite.",
            "invalid_choice": "Choisissez de masquer le message ou de classer sans suite.",
        },
    )
    note = forms.CharField(
        label="Note de décision",
        help_text="Visible des animateurs et dans le journal de modération.",
        required=False,
        max_length=DECISION_NOTE_MAX_LENGTH,
        error_messages=_too_long("La note"),
    )


class TopicMoveForm(DsfrForm):
    forum = forms.ModelChoiceField(
        label="Nouveau forum",
        queryset=Forum.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choisissez le forum où déplacer le sujet.",
            "invalid_choice": "Choisissez un forum de cet espace.",
        },
    )

    def __init__(self, *args, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.filter(space=space).order_by(
            "position", "name"
        )


class TopicRetitleForm(DsfrForm):
    title = forms.CharField(
        label="Titre du sujet",
        max_length=TOPIC_TITLE_MAX_LENGTH,
        error_messages={"required": "Le titre ne peut pas être vide.", **_too_long("Le titre")},
    )


class SuspensionForm(DsfrForm):
    DURATIONS = {"1": 1, "7": 7, "30": 30}

    duration = forms.ChoiceField(
        label="Durée de la suspension",
        choices=[
            ("1", "1 jour"),
            ("7", "7 jours"),
            ("30", "30 jours"),
            ("date", "Jusqu'à une date"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la durée de la suspension.",
            "invalid_choice": "Choisissez une des durées proposées.",
        },
    )
    end_date = forms.DateField(
        label="Date de fin (incluse)",
        help_text="Seulement pour « Jusqu'à une date ». Format : jj/mm/aaaa.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date valide, par exemple 31/12/2026."},
    )
    reason = forms.CharField(
        label="Motif",
        help_text="Inscrit au journal de modération.",
        required=False,
        max_length=300,
        error_messages=_too_long("Le motif"),
    )

    def clean(self):
        cleaned = super().clean()
        duration = cleaned.get("duration")
        end_date = cleaned.get("end_date")
        if duration == "date":
            if end_date is None:
                self.add_error("end_date", "Indiquez la date de fin de la suspension.")
            elif end_date <= timezone.localdate():
                self.add_error("end_date", "Choisissez une date postérieure à aujourd'hui.")
        return cleaned

    def until(self) -> datetime:
        """The end of the suspension: after N days, or the end of the chosen day."""
        duration = self.cleaned_data["duration"]
        if duration in self.DURATIONS:
            return timezone.now() + timedelta(days=self.DURATIONS[duration])
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["end_date"], time(23, 59, 59))
        )
