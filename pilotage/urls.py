from django.urls import path

from pilotage import api_pages, views

app_name = "pilotage"

urlpatterns = [
    path("", views.home, name="home"),
    # Public: what each figure means (docs/indicateurs.md says the same).
    path("indicateurs/", views.definitions, name="definitions"),
    path("calculer/", views.run_now, name="run_now"),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path("api/", api_pages.documentation, name="api_docs"),
    path("cles/", api_pages.keys, name="keys"),
    path("cles/<int:pk>/revoquer/", api_pages.revoke_key, name="revoke_key"),
    path("schemas/<slug:name>.json", views.table_schema, name="schema"),
    path("<slug:slug>/indicateurs.csv", views.territory_export, {"fmt": "csv"}, name="export_csv"),
    path(
        "<slug:slug>/indicateurs.json", views.territory_export, {"fmt": "json"}, name="export_json"
    ),
    path("<slug:slug>/", views.territory, name="territory"),
]
