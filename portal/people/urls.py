from django.urls import path

from portal.people import views

app_name = "people"

urlpatterns = [
    path("", views.my_space, name="my_space"),
    path("profil/", views.profile, name="profile"),
    path("donnees/", views.personal_data, name="personal_data"),
    path("donnees/export.json", views.personal_data_download, name="personal_data_download"),
    path("donnees/export.html", views.personal_data_html, name="personal_data_html"),
]
