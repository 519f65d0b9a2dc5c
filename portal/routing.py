"""WebSocket routes of every app, gathered in one list for portal.asgi."""

from community.chat.routing import websocket_urlpatterns as chat_routes

websocket_urlpatterns: list = [*chat_routes]
