from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.notifications import kinds
from portal.notifications.emails import ALL_KINDS, unsubscribe_payload
from portal.notifications.forms import NotificationPreferencesForm
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_list, notification_preferences
from portal.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
    notification_unsubscribe,
)

PAGE_SIZE = 20


def _local_redirect(request, url: str):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(url)
    return redirect("notifications:index")


@login_required
@require_GET
def index(request):
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/index.html",
        {"title": "Mes notifications", "page_obj": page, "notifications": page.object_list},
    )


@login_required
@require_GET
def open_notification(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    return _local_redirect(request, notification.url)


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    messages.success(request, f"La notification « {notification.title} » est marquée comme lue.")
    return _local_redirect(request, request.POST.get("next", ""))


@login_required
@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    else:
        messages.info(request, "Vous n'aviez aucune notification non lue.")
    return _local_redirect(request, request.POST.get("next", ""))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    deliveries = notification_preferences(user=request.user)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, deliveries=deliveries)
        if form.is_valid():
            notification_preferences_update(user=request.user, deliveries=form.deliveries())
            messages.success(request, "Vos préférences de notification sont enregistrées.")
            return redirect("notifications:preferences")
        messages.error(
            request, "Les préférences n'ont pas été enregistrées : corrigez les erreurs signalées."
        )
    else:
        form = NotificationPreferencesForm(deliveries=deliveries)
    return render(
        request,
        "notifications/preferences.html",
        {"title": "Préférences de notification", "form": form},
    )


# The signed token is the authorisation, and mail clients post RFC 8058's
# one-click body without any CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@cache_control(private=True)  # personal: never a shared copy (portal/page_cache.py)
def unsubscribe(request, token):
    try:
        user_id, kind = unsubscribe_payload(token)
    except signing.SignatureExpired:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"title": "Lien expiré", "state": "expired"},
            status=410,
        )
    except signing.BadSignature:
        user_id, kind = None, None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    known_kind = kind == ALL_KINDS or kind in {k.key for k in kinds.all_kinds()}
    if user is None or not known_kind:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"title": "Lien invalide", "state": "invalid"},
            status=400,
        )
    context = {"kind_label": None if kind == ALL_KINDS else kinds.label_for(kind)}
    if request.method == "POST":
        notification_unsubscribe(user=user, kind=kind)
        context |= {"title": "Désabonnement confirmé", "state": "done"}
    else:
        context |= {"title": "Se désabonner des courriels", "state": "confirm"}
    return render(request, "notifications/unsubscribe.html", context)
