"""Forms of the Académie's public pages."""

import re

from django import forms

CODE_IN_URL = re.compile(r"/certificats/([A-Za-z0-9_-]+)")


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Il figure au bas de l'attestation, par exemple « q3Xk9…». "
        "Vous pouvez aussi coller l'adresse de vérification entière.",
        max_length=300,
        error_messages={"required": "Saisissez le code de vérification de l'attestation."},
    )

    def clean_code(self) -> str:
        value = self.cleaned_data["code"].strip()
        found = CODE_IN_URL.search(value)
        code = found.group(1) if found else value
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", code):
            raise forms.ValidationError(
                "Ce code n'a pas la forme d'un code de vérification : lettres, chiffres, "
                "tirets et soulignés, sans espace."
            )
        return code
