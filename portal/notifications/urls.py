from django.urls import path

from portal.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/ouvrir/", views.open_notification, name="open"),
    path("<int:pk>/marquer-comme-lue/", views.mark_read, name="mark_read"),
    path("tout-marquer-comme-lu/", views.mark_all_read, name="mark_all_read"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
