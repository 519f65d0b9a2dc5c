"""Pages of the live chat (the WebSocket endpoint is in community/chat/routing.py)."""

from django.urls import path

from community.chat import views

urlpatterns: list = [
    path("<slug:slug>/discussion/", views.chat, name="chat"),
]
