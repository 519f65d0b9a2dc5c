"""DSFR rendering for our own forms, through django-dsfr's bound fields and templates."""

from django import forms
from dsfr.forms import DsfrBoundField, DsfrDjangoTemplates
from dsfr.utils import dsfr_input_class_attr


class DsfrFormMixin:
    """Renders fields with DSFR markup; marks optional fields, as the DSFR now asks."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField
    default_renderer = DsfrDjangoTemplates

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class DsfrForm(DsfrFormMixin, forms.Form):
    pass


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):
    pass
