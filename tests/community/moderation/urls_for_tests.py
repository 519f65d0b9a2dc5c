"""The moderation URLs as community/urls.py will include them (namespace "community").

The space pages come along so that `Space.get_absolute_url()` and the members'
page resolve. The forum, topic and post pages are built elsewhere: until
community/urls.py names them, stand-ins answer for `Forum.get_absolute_url()`,
`Topic.get_absolute_url()` and the post's stable address ("community:post").
"""

from django.http import HttpResponse
from django.urls import include, path

from community.moderation.urls import urlpatterns as moderation_urlpatterns
from community.urls import urlpatterns as community_urlpatterns


def _stand_in(request, **kwargs):
    return HttpResponse("Page du forum (remplaçant de test).")


_named = {pattern.name for pattern in community_urlpatterns}
_stand_ins = [
    pattern
    for pattern in [
        path("tests-forums/<slug:slug>/<slug:forum>/", _stand_in, name="forum"),
        path("tests-forums/<slug:slug>/<slug:forum>/<int:pk>/", _stand_in, name="topic"),
        path("tests-forums/messages/<int:pk>/", _stand_in, name="post"),
    ]
    if pattern.name not in _named
]

urlpatterns = [
    path(
        "communaute/",
        include((moderation_urlpatterns + community_urlpatterns + _stand_ins, "community")),
    ),
    path("", include("portal.urls")),
]
