from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_xml
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from pilotage.api import api as pilotage_api
from portal import views
from portal.people import views as people_views
from portal.sitemaps import SITEMAPS


def _superuser_only(request):
    return request.user.is_active and request.user.is_superuser


handler429 = "portal.views.too_many_requests"

# The Django admin is for superusers; editors work in the Wagtail admin.
admin.site.has_permission = _superuser_only
admin.site.site_header = "Administration technique"

urlpatterns = [
    # The admins' own password forms know nothing of the second factor: both go
    # through the portal's sign-in (people/views.py, admin_sign_in).
    path("django-admin/login/", people_views.admin_sign_in),
    path("admin/login/", people_views.admin_sign_in),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comptes/double-authentification/", people_views.second_factor, name="second_factor"),
    path("comptes/", include("allauth.urls")),
    path("", include("academy.urls")),
    path("communaute/", include("community.urls")),
    path("pilotage/", include("pilotage.urls")),
    path("api/pilotage/v1/", pilotage_api.urls),
    path("mon-espace/", include("portal.people.urls")),
    path("mon-espace/notifications/", include("portal.notifications.urls")),
    path("recherche/", views.search, name="search"),
    path("plan-du-site/", views.sitemap, name="footer-sitemap"),
    path("sitemap.xml", sitemap_xml, {"sitemaps": SITEMAPS}, name="sitemap-xml"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Images and documents of the embedded default. Forum attachments are never
    # served from here: their view checks who may read the topic.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?!community/).*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
