from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from portal.models import PortalSettings

MAIN_NAVIGATION = [
    ("Accueil", "/", "home"),
    ("Académie", "/academie/", "academie"),
    ("Communauté", "/communaute/", "communaute"),
    ("Recherche", "/recherche/", "recherche"),
    ("Mon espace", "/mon-espace/profil/", "mon-espace"),
]


def _navigation(path: str) -> list[dict]:
    items = []
    for label, url, key in MAIN_NAVIGATION:
        if url == "/":
            current = path == "/"
        else:
            current = path.startswith(url) or (
                key == "mon-espace" and path.startswith("/mon-espace/")
            )
        items.append({"label": label, "url": url, "current": current})
    return items


def _unread_count(request) -> int:
    from portal.notifications.selectors import notification_unread_count

    return notification_unread_count(user=request.user)


def portal(request):
    user = getattr(request, "user", None)
    context = {
        "portal_settings": SimpleLazyObject(lambda: PortalSettings.load(request_or_site=request)),
        "main_navigation": _navigation(request.path),
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#fr-navigation", "label": "Menu"},
            {"link": "#header-search", "label": "Recherche"},
            {"link": "#footer", "label": "Pied de page"},
        ],
        "search_url": reverse("search"),
    }
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = SimpleLazyObject(lambda: _unread_count(request))
    return context
