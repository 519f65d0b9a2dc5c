from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns
from django.urls import path

from portal.people.proconnect import views
from portal.people.proconnect.provider import ProConnectProvider

urlpatterns = [
    *default_urlpatterns(ProConnectProvider),
    path("proconnect/logout/", views.logout_callback, name="proconnect_logout_callback"),
]
