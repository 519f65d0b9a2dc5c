"""Practice sheets under /communaute/ (joined to community.urls, namespace "community").

These fixed prefixes must come before the space patterns (`<slug:slug>/`).
The sheets themselves are Wagtail pages under /fiches-pratiques/.
"""

from django.urls import path

from community.sheets import views

urlpatterns = [
    path("fiches/", views.sheets, name="sheets"),
    path("fiches/<int:pk>/utile/", views.sheet_useful, name="sheet_useful"),
    path("fiches-proposees/", views.my_sheets, name="my_sheets"),
    path("fiches-proposees/<int:pk>/corriger/", views.sheet_revise, name="sheet_revise"),
    path("<slug:slug>/proposer-une-fiche/", views.sheet_propose, name="sheet_propose"),
    path("<slug:slug>/fiches/a-relire/", views.review_queue, name="sheet_review_queue"),
    path("<slug:slug>/fiches/a-relire/<int:pk>/", views.review_sheet, name="sheet_review"),
]
