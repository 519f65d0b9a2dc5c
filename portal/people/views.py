from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.people.forms import ProfileForm
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
    return render(
        request,
        "people/profile.html",
        {"form": form, "title": "Mon profil", "missing": user.profile_missing},
    )
