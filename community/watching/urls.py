"""The unwatch links of the notification e-mails (namespace "community").

Joined to community.urls through community.sheets.urls, whose list community/urls.py
already concatenates; "ne-plus-suivre" is a fixed prefix that no territory uses.
"""

from django.urls import path

from community.watching import views

urlpatterns = [
    path("ne-plus-suivre/<str:token>/", views.unwatch, name="unwatch"),
]
