"""The API's pages for people: the keys a pilote makes and revokes (/pilotage/cles/),
and the API's documentation in French, read from its OpenAPI document (/pilotage/api/)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pilotage import policy, tokens
from pilotage.api import PAGE_MAX, PER_HOUR, PER_MINUTE, api
from pilotage.models import ApiToken
from portal.forms import DsfrForm

NEW_KEY_SESSION = "pilotage_new_api_key"


class KeyForm(DsfrForm):
    name = forms.CharField(
        label="Nom de la clé",
        max_length=80,
        help_text="Pour la reconnaître : le programme ou le tableau qui l'utilise.",
        error_messages={
            "required": "Donnez un nom à la clé.",
            "max_length": "80 caractères au plus.",
        },
    )
    days = forms.TypedChoiceField(
        label="Durée de validité",
        choices=list(tokens.LIFETIMES.items()),
        coerce=int,
        initial=tokens.DEFAULT_LIFETIME,
        error_messages={"invalid_choice": "Choisissez une durée proposée."},
    )


def _may_use_api(user) -> bool:
    return bool(policy.readable_territory_ids(user, policy.TerritoryTree.load()))


@login_required
def keys(request):
    from pilotage.views import _refused

    if not _may_use_api(request.user):
        return _refused(request)
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.issue(
                request.user, form.cleaned_data["name"], form.cleaned_data["days"]
            )
        except tokens.TokenError as error:
            form.add_error(None, str(error))
        else:
            # Shown once, on the page the redirection opens, then forgotten.
            request.session[NEW_KEY_SESSION] = {"id": token.pk, "key": key}
            return redirect("pilotage:keys")
    new_key = request.session.pop(NEW_KEY_SESSION, None)
    return render(
        request,
        "pilotage/keys.html",
        {
            "title": "Mes clés d'API du pilotage",
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_key": new_key,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke_key(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke(token)
    messages.success(request, f"La clé « {token.name} » est révoquée : elle n'ouvre plus rien.")
    return redirect("pilotage:keys")


def _parameters(operation: dict) -> list[dict]:
    found = []
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        kind = schema.get("type") or " ou ".join(
            option.get("type", "") for option in schema.get("anyOf", []) if option.get("type")
        )
        found.append(
            {
                "name": parameter["name"],
                "where": {"path": "chemin", "query": "requête"}.get(parameter["in"], ""),
                "required": parameter.get("required", False),
                "type": kind.replace("null", "vide"),
                "description": parameter.get("description") or schema.get("description", ""),
            }
        )
    return found


def documentation(request):
    """The API in French, every endpoint read from the OpenAPI document itself."""
    root = api.get_root_path({})
    document = api.get_openapi_schema()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": _parameters(operation),
        }
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]
    return render(
        request,
        "pilotage/api.html",
        {
            "title": "API du pilotage",
            "meta_description": "Lire les indicateurs partagés du pilotage par programme : "
            "points d'accès, clés, limites et document OpenAPI 3.",
            "endpoints": endpoints,
            "base": request.build_absolute_uri(root).rstrip("/"),
            "openapi": root + "openapi.json",
            "per_minute": PER_MINUTE,
            "per_hour": PER_HOUR,
            "page_max": PAGE_MAX,
            "may_use_api": request.user.is_authenticated and _may_use_api(request.user),
        },
    )
