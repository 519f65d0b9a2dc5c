"""The sheet URLs joined to the Communauté's, as community/urls.py will hold them
(fixed prefixes first: they come before the space patterns)."""

from django.urls import include, path

from community import urls as community_urls
from community.forums.urls import urlpatterns as forum_urlpatterns
from community.sheets.urls import urlpatterns as sheet_urlpatterns

urlpatterns = [
    path(
        "communaute/",
        include((sheet_urlpatterns + forum_urlpatterns + community_urls.urlpatterns, "community")),
    ),
    path("", include("portal.urls")),
]
