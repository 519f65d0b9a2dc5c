"""The unwatch links of the notification e-mails (namespace "community", joined in
community/urls.py); "ne-plus-suivre" is a fixed prefix that no territory uses."""

from django.urls import path

from community.watching import views

urlpatterns = [
    path("ne-plus-suivre/<str:token>/", views.unwatch, name="unwatch"),
]
