"""The Communauté, included under /communaute/ (see portal/urls.py).

Spaces are addressed by their territory's slug; the fixed prefixes of the
sheets, forums, moderation and unwatch links (`fiches/`, `ne-plus-suivre/`, `messages/`, `sujets/`,
`signalements/`, `pieces-jointes/`) come first, and no territory may use them
as its slug.
"""

from django.urls import path

from community import views
from community.chat.urls import urlpatterns as chat_urlpatterns
from community.forums.urls import urlpatterns as forum_urlpatterns
from community.moderation.urls import urlpatterns as moderation_urlpatterns
from community.sheets.urls import urlpatterns as sheet_urlpatterns
from community.watching.urls import urlpatterns as watching_urlpatterns

app_name = "community"

urlpatterns = [
    *sheet_urlpatterns,
    *watching_urlpatterns,
    # The forums' edit-history page serves messages/<pk>/versions/ for both names.
    *forum_urlpatterns,
    *moderation_urlpatterns,
    *chat_urlpatterns,
    path("", views.index, name="index"),
    path("<slug:slug>/recherche/", views.space_search, name="space_search"),
    path("<slug:slug>/", views.space_detail, name="space"),
    path("<slug:slug>/rejoindre/", views.space_join, name="join"),
    path("<slug:slug>/demander/", views.space_join_request, name="join_request"),
    path("<slug:slug>/quitter/", views.space_leave, name="leave"),
    path("<slug:slug>/membres/", views.members, name="members"),
    path("<slug:slug>/membres/<int:user_id>/", views.member, name="member"),
    path("<slug:slug>/membres/<int:user_id>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/demandes/", views.join_requests, name="join_requests"),
    path(
        "<slug:slug>/demandes/<int:pk>/decision/",
        views.join_request_decide,
        name="join_request_decide",
    ),
]
