from django import forms
from dsfr.utils import dsfr_input_class_attr

from portal.forms import DsfrForm
from portal.notifications import kinds
from portal.notifications.kinds import Delivery


class NotificationPreferencesForm(DsfrForm):
    """One choice per registered kind: how its e-mails reach the member."""

    def __init__(self, *args, deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_by_field = {}
        for kind in kinds.all_kinds():
            name = kind.key.replace(".", "-")
            self.kind_by_field[name] = kind.key
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=deliveries.get(kind.key, kind.default_delivery),
                error_messages={
                    "required": "Choisissez comment recevoir ces notifications.",
                    "invalid_choice": "Ce choix n'existe pas.",
                },
            )
            dsfr_input_class_attr(self[name])

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[name] for name, kind in self.kind_by_field.items()}
