"""The page an unwatch link opens: GET asks to confirm, POST stops watching.

Never on GET: mail scanners and link previews open every link of an e-mail.
The signed token is the authorisation, so no login is needed.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from community.watching import selectors, services
from community.watching.emails import unwatch_payload

TEMPLATE = "community/watching/unwatch.html"


def _refusal(request, *, state: str, title: str, status: int):
    return render(request, TEMPLATE, {"state": state, "title": title}, status=status)


# Like the unsubscribe links: the signed token is the authorisation, no cookie is, so a
# CSRF token would protect nothing and would fail in mail apps' cookieless browsers.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@cache_control(private=True)  # personal: never a shared copy (portal/page_cache.py)
def unwatch(request, token):
    try:
        user_id, target, target_id = unwatch_payload(token)
    except signing.SignatureExpired:
        return _refusal(request, state="expired", title="Lien expiré", status=410)
    except signing.BadSignature:
        return _refusal(request, state="invalid", title="Lien invalide", status=400)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return _refusal(request, state="invalid", title="Lien invalide", status=400)
    obj = selectors.watch_target(target=target, target_id=target_id)
    if obj is None:
        return _refusal(request, state="gone", title="Suivi déjà terminé", status=404)
    context = {
        "target": target,
        "target_label": selectors.watch_target_label(target=target, obj=obj),
        "target_url": obj.get_absolute_url(),
    }
    if request.method == "POST":
        services.watch_stop(user=user, target=target, obj=obj)
        context |= {"state": "done", "title": "Suivi arrêté"}
    elif selectors.watch_exists(user=user, target=target, obj=obj):
        context |= {"state": "confirm", "title": "Ne plus suivre"}
    else:
        context |= {"state": "not_watching", "title": "Suivi déjà arrêté"}
    return render(request, TEMPLATE, context)
