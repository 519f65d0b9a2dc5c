from django.urls import path

from pilotage import views

app_name = "pilotage"

urlpatterns = [
    path("", views.home, name="home"),
    # Public: what each figure means (docs/indicateurs.md says the same).
    path("indicateurs/", views.definitions, name="definitions"),
    path("calculer/", views.run_now, name="run_now"),
    path("<slug:slug>/", views.territory, name="territory"),
]
