"""Actions of the Académie (included at the site root, before Wagtail's pages).

Pages themselves (catalogue, courses, lessons) are served by Wagtail under /academie/;
these prefixes (formations/, lecons/, certificats/, sessions/, calendrier/) are
therefore reserved: no course may use them as its slug.
"""

from django.urls import path

from academy import views

app_name = "academy"

urlpatterns = [
    path(
        "academie/formations/<int:course_id>/inscription/", views.course_enrol, name="course_enrol"
    ),
    path(
        "academie/formations/<int:course_id>/desinscription/",
        views.course_leave,
        name="course_leave",
    ),
    path(
        "academie/lecons/<int:lesson_id>/terminer/", views.lesson_complete, name="lesson_complete"
    ),
    path("academie/lecons/<int:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("academie/certificats/", views.certificate_lookup, name="certificate_lookup"),
    path("academie/certificats/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path(
        "academie/certificats/<str:code>/pdf/",
        views.certificate_download,
        name="certificate_download",
    ),
    path("academie/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path(
        "academie/sessions/<int:pk>/inscription/", views.session_register, name="session_register"
    ),
    path("academie/sessions/<int:pk>/annulation/", views.session_cancel, name="session_cancel"),
    path("academie/sessions/<int:pk>/agenda.ics", views.session_ics, name="session_ics"),
    path("academie/calendrier/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("mon-espace/formation/", views.dashboard, name="dashboard"),
    path(
        "mon-espace/formation/agenda/nouveau-lien/",
        views.calendar_feed_renew,
        name="calendar_feed_renew",
    ),
]
