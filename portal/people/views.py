from collections import Counter

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.people.forms import AccountDeleteForm, ProfileForm
from portal.people.personal_data import account_erase, personal_data_export
from portal.people.second_factor import ADMIN_PREFIXES, needs_second_factor
from portal.people.services import profile_update


@login_required
def my_space(request):
    return redirect("people:profile")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            profile_update(user=user, data=form.cleaned_data)
            messages.success(request, "Votre profil est enregistré.")
            return redirect("people:profile")
        messages.error(
            request, "Le profil n'a pas été enregistré : corrigez les erreurs signalées."
        )
    else:
        form = ProfileForm(instance=user)
    missing = user.profile_missing
    proconnect_accounts = list(user.socialaccount_set.filter(provider="proconnect"))
    authenticators = Counter(user.authenticator_set.values_list("type", flat=True))
    return render(
        request,
        "people/profile.html",
        {
            "form": form,
            # After a first sign-in with ProConnect, what it did not give is left to fill.
            "title": "Compléter mon profil" if missing and proconnect_accounts else "Mon profil",
            "missing": missing,
            # How this person signs in (docs/decisions.md, "ProConnect").
            "proconnect_enabled": settings.PROCONNECT_ENABLED,
            "proconnect_accounts": proconnect_accounts,
            "has_password": user.has_usable_password(),
            "has_app": Authenticator.Type.TOTP in authenticators,
            "key_count": authenticators[Authenticator.Type.WEBAUTHN],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def personal_data(request):
    if request.method == "POST":
        form = AccountDeleteForm(request.POST, user=request.user)
        if form.is_valid():
            user = request.user
            logout(request)
            account_erase(user=user)
            messages.success(request, "Votre compte et vos données ont été supprimés.")
            return redirect("/")
    else:
        form = AccountDeleteForm(user=request.user)
    return render(
        request, "people/personal_data.html", {"form": form, "title": "Mes données personnelles"}
    )


@never_cache
@login_required
@require_GET
def personal_data_html(request):
    """The same export as the JSON file, to read in a browser or print."""
    return render(
        request,
        "people/personal_data_export.html",
        {
            "sections": personal_data_export(user=request.user).items(),
            "title": "Mes données, version lisible",
        },
    )


@never_cache
@login_required
@require_GET
def personal_data_download(request):
    response = JsonResponse(
        personal_data_export(user=request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-academie-communaute.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST", "HEAD"])
def admin_sign_in(request):
    """/admin/login/ and /django-admin/login/: the portal's sign-in, not the admins'
    own password forms, which know nothing of the second factor (allauth's MFA stage,
    ProConnect). Someone signed in who lacks the admin's permission is refused here:
    the sign-in page would send them straight back."""
    if request.user.is_authenticated:
        reason = "Votre compte n'a pas accès à cette administration."
        return render(request, "403.html", {"title": "Accès refusé", "reason": reason}, status=403)
    next_url = get_next_redirect_url(request)
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return redirect(f"{reverse('account_login')}{query}")


@never_cache
@login_required
@require_GET
def second_factor(request):
    """The step a staff account takes before its powers open (second_factor.py)."""
    next_url = get_next_redirect_url(request) or ("/admin/" if request.user.is_staff else "/")
    admin_path = next_url.startswith(ADMIN_PREFIXES)
    if not needs_second_factor(request, request.user, admin_path=admin_path):
        return redirect(next_url)
    kinds = set(Authenticator.objects.filter(user=request.user).values_list("type", flat=True))
    return render(
        request,
        "people/second_factor.html",
        {
            "title": "Validation en deux étapes requise",
            "next_url": next_url,
            "has_app": Authenticator.Type.TOTP in kinds,
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in kinds,
            "has_key": Authenticator.Type.WEBAUTHN in kinds,
            "proconnect_linked": settings.PROCONNECT_ENABLED
            and request.user.socialaccount_set.filter(provider="proconnect").exists(),
        },
    )
