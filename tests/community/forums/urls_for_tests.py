"""The forum URLs as community/urls.py will include them (namespace "community"),
with the space pages alongside so that every link of the pages resolves."""

from django.urls import include, path

from community.forums.urls import urlpatterns as forum_urlpatterns
from community.urls import urlpatterns as community_urlpatterns

_named = {pattern.name for pattern in community_urlpatterns}

urlpatterns = [
    path(
        "communaute/",
        include(
            (
                [p for p in forum_urlpatterns if p.name not in _named] + community_urlpatterns,
                "community",
            )
        ),
    ),
    path("", include("portal.urls")),
]
