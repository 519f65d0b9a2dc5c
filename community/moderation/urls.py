"""Moderation URLs, relative to /communaute/; concatenated into community/urls.py
(app_name "community"). The fixed prefixes (messages/, sujets/, signalements/) must
come before the space patterns there, like any fixed prefix under /communaute/."""

from django.urls import path

from community.moderation import views

urlpatterns = [
    path("<slug:slug>/moderation/", views.queue, name="moderation_queue"),
    path("<slug:slug>/moderation/journal/", views.log, name="moderation_log"),
    path("messages/<int:pk>/signaler/", views.post_report, name="moderation_post_report"),
    path("signalements/<int:pk>/traiter/", views.report_handle, name="moderation_report_handle"),
    path("messages/<int:pk>/masquer/", views.post_hide, name="moderation_post_hide"),
    path("messages/<int:pk>/retablir/", views.post_restore, name="moderation_post_restore"),
    path("messages/<int:pk>/approuver/", views.post_approve, name="moderation_post_approve"),
    path("messages/<int:pk>/versions/", views.post_revisions, name="moderation_post_revisions"),
    path("sujets/<int:pk>/epingler/", views.topic_pin, name="moderation_topic_pin"),
    path("sujets/<int:pk>/verrouiller/", views.topic_lock, name="moderation_topic_lock"),
    path("sujets/<int:pk>/deplacer/", views.topic_move, name="moderation_topic_move"),
    path("sujets/<int:pk>/titre/", views.topic_retitle, name="moderation_topic_retitle"),
    path(
        "<slug:slug>/membres/<int:user_id>/suspendre/",
        views.member_suspend,
        name="moderation_member_suspend",
    ),
]
