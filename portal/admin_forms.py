"""Wagtail admin forms that Wagtail leaves partly in English."""

from django import forms
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    """Wagtail's login form declares ``password`` without a label, so Django
    derives "Password" from the field name, untranslated. Same form, French label."""

    password = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"placeholder": "Saisissez votre mot de passe"}),
        strip=False,
    )
