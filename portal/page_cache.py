"""Whole pages for anonymous visitors, from the cache, invalidated by every write they show.

A page is the same for everyone who has no session: no name in the header, no
private space, no enrolment. Those requests (GET, no session or messages cookie)
are answered from the cache when a copy is there; the copy was stored by an
earlier anonymous request whose response set no cookie (so no CSRF token, no new
session), said nothing against being cached, and came back 200. Django's own
rules and key functions decide (`learn_cache_key`, `get_cache_key`: the key holds
the URL and the headers the response varies on).

Every key also holds a *generation*, replaced after any write that an anonymous
page may show (a page published, a post, a registration, a settings change…):
the next request misses and renders afresh; the older copies expire. The models
whose writes never reach an anonymous page (sessions, notifications, progress,
chat, tasks…) are listed in IGNORED and do not invalidate.

The generation lives in the cache when it is shared (Redis, in production). The
embedded default's cache is local to each process: there the generation is a
file under VAR_DIR, so a write in the task worker or in another server process
reaches them all.

The CSP nonce of the page that was stored is replaced by a fresh one in each
answer: a nonce is never served twice.
"""

import base64
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_cache_key, has_vary_header, learn_cache_key
from django.utils.deprecation import MiddlewareMixin

logger = logging.getLogger(__name__)

GENERATION_KEY = "anonymous-pages:generation"
NONCE_MARK = b"@@portal-csp-nonce@@"
SKIPPED_PREFIXES = (
    "/admin/",
    "/api/",
    "/comptes/",
    "/mon-espace/",
    "/static/",
    "/media/",
    "/livez",
    "/healthz",  # says whether the cache answers: must not depend on it
)

# Models whose writes no anonymous page shows (labels, or whole apps as "app.*").
IGNORED = {
    "sessions.*",
    "admin.*",
    "account.*",
    "socialaccount.*",
    "mfa.*",
    "django_tasks_database.*",
    "notifications.*",
    "academy.LessonProgress",
    "academy.QuizAttempt",
    "academy.CalendarFeed",
    "community.ChatRoom",
    "community.ChatMessage",
    "community.TopicRead",
    "community.Watch",
    "community.Report",
    "community.JoinRequest",
    "community.ModerationLogEntry",
    "pilotage.Aggregate",
    "pilotage.ApiToken",
    "pilotage.PiloteRole",
    "wagtailadmin.*",
    "wagtailusers.*",
    "wagtailsearch.*",
    "wagtailimages.Rendition",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.PageSubscription",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.PageViewRestriction",
}
# For `shared`: the generation renews its values long before.
SHARED_SECONDS = 3600
# Saves that only touch these fields of a user change nothing a visitor sees.
USER_PRIVATE_FIELDS = {"last_login", "password"}


def seconds() -> int:
    return settings.ANONYMOUS_PAGE_CACHE_SECONDS


def generation() -> str:
    if path := settings.ANONYMOUS_PAGE_CACHE_GENERATION_FILE:
        try:
            return Path(path).read_text()
        except FileNotFoundError:
            invalidate()
            return Path(path).read_text()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate() -> None:
    """Every anonymous page renders afresh from now on."""
    value = uuid.uuid4().hex
    try:
        if path := settings.ANONYMOUS_PAGE_CACHE_GENERATION_FILE:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{value}")
            temporary.write_text(value)
            temporary.replace(path)  # atomic: a reader sees the old value or the new one
        else:
            cache.set(GENERATION_KEY, value, None)
    except Exception:  # a write must not fail for the cache; its copies expire
        logger.error("Cache des pages anonymes : invalidation impossible", exc_info=True)


def shared(name: str, build):
    """What `build()` returns, kept under the current generation: for what is the same
    for every reader and changes only by a write that renews the generation (the
    Wagtail site and its root page, the site's settings, a course's outline, the
    catalogue's filters, the latest courses, the pilotage's territory tree). None is
    never kept."""
    try:
        key = f"shared:{generation()}:{name}"
        value = cache.get(key)
    except Exception:
        logger.warning("Cache partagé injoignable", exc_info=True)
        return build()
    if value is None:
        value = build()
        if value is not None:
            try:
                cache.set(key, value, SHARED_SECONDS)
            except Exception:
                logger.warning("Cache partagé injoignable", exc_info=True)
    return value


def _shown_to_visitors(sender, update_fields=None) -> bool:
    meta = sender._meta
    if f"{meta.app_label}.*" in IGNORED or meta.label in IGNORED:
        return False
    if meta.label == settings.AUTH_USER_MODEL and update_fields:
        return not set(update_fields) <= USER_PRIVATE_FIELDS
    return True


def _on_write(sender, update_fields=None, **kwargs) -> None:
    if not _shown_to_visitors(sender, update_fields):
        return
    # Now, for the requests of this transaction; and once more at commit, for a
    # request that read the old rows meanwhile and stored them under the new generation.
    invalidate()
    transaction.on_commit(invalidate, robust=True)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"anonymous-pages-{id(signal)}")


def _cookie_free(request) -> bool:
    names = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
    return not any(name in request.COOKIES for name in names)


def _request_cacheable(request) -> bool:
    return (
        seconds() > 0
        and request.method == "GET"
        and _cookie_free(request)
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_HX_REQUEST" not in request.META
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def _response_cacheable(request, response) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.streaming or response.status_code != 200 or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    return not has_vary_header(response, "*")


def _freeze(request, response) -> dict:
    nonce = getattr(request, "_csp_nonce", None)
    content = response.content
    headers = dict(response.headers)
    if nonce:
        mark = nonce.encode()
        content = content.replace(mark, NONCE_MARK)
        headers = {k: v.replace(nonce, NONCE_MARK.decode()) for k, v in headers.items()}
    return {"content": content, "headers": headers}


def _thaw(frozen: dict) -> HttpResponse:
    nonce = base64.b64encode(os.urandom(16)).decode("ascii")
    content = frozen["content"].replace(NONCE_MARK, nonce.encode())
    response = HttpResponse(content)
    mark = NONCE_MARK.decode()
    for name, value in frozen["headers"].items():
        response.headers[name] = value.replace(mark, nonce)
    response.headers["Content-Length"] = str(len(content))
    response.headers["X-Cache"] = "HIT"
    return response


def _site_with_root(request):
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 — loaded now, kept with the site
    return site


class WagtailSiteMiddleware(MiddlewareMixin):
    """Before Wagtail serves a page, it looks the site up by host name, then loads its
    root page (three queries before routing): here they come from `shared`, set
    where `Site.find_for_request` reads them first. Other views are left alone."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is not serve or hasattr(request, "_wagtail_site"):
            return None
        try:
            host = f"{request.get_host()}|{request.get_port()}"  # in ALLOWED_HOSTS only
        except DisallowedHost:
            return None  # CommonMiddleware has answered 400 already
        request._wagtail_site = shared(f"site:{host}", lambda: _site_with_root(request))
        return None


class AnonymousPageCacheMiddleware:
    """Placed right after WhiteNoise: a copy is answered before sessions, users and
    templates are touched, with the headers (CSP included) of the response stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_cacheable(request):
            return self.get_response(request)
        try:
            prefix = f"anonymous-pages:{generation()}"
            key = get_cache_key(request, prefix, "GET", cache=cache)
            frozen = None if key is None else cache.get(key)
        except Exception:  # the cache is down: the page is still served, afresh
            logger.warning("Cache des pages anonymes injoignable", exc_info=True)
            return self.get_response(request)
        if frozen is not None:
            return _thaw(frozen)
        response = self.get_response(request)
        if _response_cacheable(request, response):
            try:
                key = learn_cache_key(request, response, seconds(), prefix, cache=cache)
                cache.set(key, _freeze(request, response), seconds())
            except Exception:
                logger.warning("Cache des pages anonymes injoignable", exc_info=True)
            else:
                response.headers["X-Cache"] = "MISS"
        return response
