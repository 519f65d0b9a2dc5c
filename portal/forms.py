"""DSFR rendering for our own forms, through django-dsfr's bound fields and templates."""

from django import forms
from dsfr.forms import DsfrBoundField, DsfrDjangoTemplates
from dsfr.utils import dsfr_input_class_attr

# One renderer for every form of the process. Given the class, Django makes a renderer
# per form, and each builds its own template engine: every form's templates were read
# and compiled again at each request (2.9 ms of a topic page, bench/profile_pages.py).
RENDERER = DsfrDjangoTemplates()


class DsfrFormMixin:
    """Renders fields with DSFR markup; optional fields are marked (DSFR_MARK_OPTIONAL_FIELDS)."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField
    default_renderer = RENDERER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


class DsfrForm(DsfrFormMixin, forms.Form):
    pass


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):
    pass
