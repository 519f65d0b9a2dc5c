"""The forums' addresses, relative to /communaute/.

A plain list (no app_name): community/urls.py adds it to its own patterns, so
every name here is reversed as "community:<name>". Fixed prefixes ("messages/",
"pieces-jointes/") never collide with a territory slug pattern, which takes one
path segment only.
"""

from django.urls import path

from community.forums import views

urlpatterns = [
    path("messages/<int:pk>/", views.post, name="post"),
    path("messages/<int:pk>/modifier/", views.post_edit, name="post_edit"),
    path("messages/<int:pk>/supprimer/", views.post_delete, name="post_delete"),
    path("messages/<int:pk>/utile/", views.post_useful, name="post_useful"),
    path("messages/<int:pk>/accepter/", views.answer_accept, name="answer_accept"),
    path("messages/<int:pk>/versions/", views.post_revisions, name="post_revisions"),
    path("pieces-jointes/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:slug>/suivre/", views.space_watch, name="space_watch"),
    path("<slug:slug>/mentions/", views.mention_autocomplete, name="mention_autocomplete"),
    # Before the forum patterns: "gerer" is no forum's slug (services.RESERVED_FORUM_SLUGS).
    path("<slug:slug>/forums/gerer/", views.forum_manage, name="forum_manage"),
    path("<slug:slug>/forums/gerer/<int:pk>/modifier/", views.forum_edit, name="forum_edit"),
    path("<slug:slug>/forums/gerer/<int:pk>/ordre/", views.forum_reorder, name="forum_reorder"),
    path("<slug:slug>/forums/gerer/<int:pk>/supprimer/", views.forum_delete, name="forum_delete"),
    path("<slug:slug>/forums/<slug:forum>/", views.forum, name="forum"),
    path("<slug:slug>/forums/<slug:forum>/suivre/", views.forum_watch, name="forum_watch"),
    path("<slug:slug>/forums/<slug:forum>/nouveau-sujet/", views.topic_create, name="topic_create"),
    path("<slug:slug>/forums/<slug:forum>/<int:pk>/", views.topic, name="topic"),
    path("<slug:slug>/forums/<slug:forum>/<int:pk>/repondre/", views.post_reply, name="post_reply"),
    path("<slug:slug>/forums/<slug:forum>/<int:pk>/suivre/", views.topic_watch, name="topic_watch"),
]
