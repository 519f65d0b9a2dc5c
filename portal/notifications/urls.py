from django.urls import path
from django.views.generic import TemplateView

app_name = "notifications"
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="index"),
    path("preferences/", TemplateView.as_view(template_name="base.html"), name="preferences"),
]
