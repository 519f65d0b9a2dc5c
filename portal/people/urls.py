from django.urls import path

from portal.people import views

app_name = "people"

urlpatterns = [
    path("", views.my_space, name="my_space"),
    path("profil/", views.profile, name="profile"),
]
