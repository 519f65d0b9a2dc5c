from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health
from portal import search as site_search
from portal.models import ContentPage


def too_many_requests(request, exception=None):
    """allauth (and any rate limit) answers with this French page."""
    return render(request, "429.html", {"title": "Trop de tentatives"}, status=429)


@require_GET
def favicon(request):
    """Browsers and feed readers ask /favicon.ico whatever the page declares: the DSFR's."""
    return HttpResponsePermanentRedirect(static("dsfr/dist/favicon/favicon.ico"))


@never_cache
@require_GET
def livez(request):
    """Liveness: the process answers, without touching any dependency (benchmark anchor)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request):
    results = health.run_checks()
    status = 200 if all(value == "ok" for value in results.values()) else 503
    return JsonResponse(results, status=status)


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = site_search.search(query=query, user=request.user) if query else []
    paginator = Paginator(results, 10)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/search.html",
        {"query": query, "page_obj": page_obj, "title": "Recherche"},
    )


@require_GET
def sitemap(request):
    pages = ContentPage.objects.live().public().order_by("title").only("title", "url_path", "slug")
    return render(request, "portal/sitemap.html", {"pages": pages, "title": "Plan du site"})


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /django-admin/
Disallow: /comptes/
Disallow: /mon-espace/
Disallow: /recherche/
Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request):
    """Crawlers may read the public pages; accounts, search and the admin are not theirs."""
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    return HttpResponse(ROBOTS.format(sitemap=sitemap_url), content_type="text/plain")
