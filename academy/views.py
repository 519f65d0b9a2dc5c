"""Thin views: they ask the policy, call a service, and say what happened in French."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from academy import permissions, selectors, services
from academy.calendar import session_calendar
from academy.certificates import certificate_pdf
from academy.forms import CertificateLookupForm
from academy.models import (
    CalendarFeed,
    Certificate,
    CoursePage,
    CourseSession,
    Enrolment,
    LessonPage,
    SessionRegistration,
)
from academy.quiz import submission_from_post


def _back(request, fallback: str):
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


def _live_page(model, pk):
    page = model.objects.live().public().filter(pk=pk).first()
    if page is None:
        raise Http404
    return page


@login_required
@require_POST
def course_enrol(request, course_id):
    course = _live_page(CoursePage, course_id)
    try:
        services.course_enrol(user=request.user, course=course)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Vous êtes inscrit(e) à « {course.title} ».")
    return _back(request, course.url)


@login_required
@require_POST
def course_leave(request, course_id):
    course = _live_page(CoursePage, course_id)
    services.course_leave(user=request.user, course=course)
    messages.success(
        request,
        f"Vous n'êtes plus inscrit(e) à « {course.title} ». Votre progression est conservée "
        "si vous revenez.",
    )
    return _back(request, course.url)


@login_required
@require_POST
def lesson_complete(request, lesson_id):
    lesson = _live_page(LessonPage, lesson_id)
    course = services.course_of(lesson)
    was_completed = _course_completed(request.user, course)
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(lesson.url)
    if _tell_course_completed(request, course, was_completed):
        return redirect(course.url)
    messages.success(request, "Leçon terminée.")
    context = selectors.lesson_page_context(lesson=lesson, user=request.user)
    if context["next_lesson"] is not None:
        return redirect(context["next_lesson"].url)
    return redirect(context["course"].url)


def _course_completed(user, course) -> bool:
    return Enrolment.objects.filter(user=user, course=course, completed_at__isnull=False).exists()


def _tell_course_completed(request, course, was_completed: bool) -> bool:
    """Says so when this step completed the course; True if it did."""
    if was_completed or not _course_completed(request.user, course):
        return False
    messages.success(
        request,
        f"Bravo, vous avez terminé la formation « {course.title} » ! Votre attestation "
        "est prête : téléchargez-la depuis la page de la formation ou « Mon espace ».",
    )
    return True


@login_required
@require_POST
def quiz_submit(request, lesson_id):
    lesson = _live_page(LessonPage, lesson_id)
    quiz = lesson.quiz
    if quiz is None:
        raise Http404
    submission = submission_from_post(request.POST, quiz.value)
    course = services.course_of(lesson)
    was_completed = _course_completed(request.user, course)
    try:
        result = services.quiz_submit(user=request.user, lesson=lesson, submission=submission)
    except services.ActionRefused as refusal:
        # Re-render the lesson with what the learner ticked: nothing they did is lost.
        context = lesson.get_context(request)
        context.update({"quiz_error": str(refusal), "quiz_submission": submission})
        return TemplateResponse(request, lesson.get_template(request), context, status=400)
    if result.passed:
        messages.success(request, f"Quiz réussi avec {result.score} % de bonnes réponses.")
        if _tell_course_completed(request, course, was_completed):
            return redirect(course.url)
    else:
        messages.warning(
            request,
            f"Quiz non réussi : {result.score} % de bonnes réponses, il en faut "
            f"{quiz.value['pass_mark']} %.",
        )
    return redirect(lesson.url + "#quiz")


@require_GET
def certificate_verify(request, code):
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None:
        return _certificate_lookup_page(request, code=code, status=404)
    return render(
        request,
        "academy/certificate_verify.html",
        {"certificate": certificate, "title": "Vérification d'une attestation"},
    )


@require_GET
def certificate_lookup(request):
    """Type (or paste) a verification code; a known one leads to its verification page."""
    if "code" not in request.GET:
        return _certificate_lookup_page(request, form=CertificateLookupForm())
    form = CertificateLookupForm(request.GET)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if Certificate.objects.filter(code=code).exists():
            return redirect("academy:certificate_verify", code=code)
        return _certificate_lookup_page(request, code=code, status=404)
    return _certificate_lookup_page(request, form=form)


def _certificate_lookup_page(request, *, form=None, code=None, status=200):
    if code is not None:
        form = CertificateLookupForm({"code": code})
        form.is_valid()
        form.add_error(
            "code",
            f"Aucune attestation ne porte le code « {code} ». Vérifiez-le sur l'attestation : "
            "les majuscules et les minuscules comptent.",
        )
    return render(
        request,
        "academy/certificate_lookup.html",
        {"form": form, "title": "Vérifier une attestation"},
        status=status,
    )


@login_required
@require_GET
def certificate_download(request, code):
    certificate = get_object_or_404(Certificate, code=code)
    if not permissions.may_download_certificate(user=request.user, certificate=certificate):
        raise Http404
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="attestation-{certificate.code}.pdf"'
    return response


def _session(pk):
    return get_object_or_404(
        CourseSession.objects.select_related("course", "territory").filter(course__live=True), pk=pk
    )


@require_GET
def session_detail(request, pk):
    session = _session(pk)
    registration = None
    if request.user.is_authenticated:
        registration = SessionRegistration.objects.filter(
            session=session, user=request.user
        ).first()
    counts = selectors.upcoming_sessions(course=session.course).filter(pk=session.pk).first()
    registered = (
        counts.registered_count
        if counts
        else session.registrations.filter(status=SessionRegistration.Status.REGISTERED).count()
    )
    return render(
        request,
        "academy/session_detail.html",
        {
            "session": session,
            "registration": registration,
            "seats_left": max(0, session.capacity - registered),
            "waiting_count": counts.waiting_count if counts else 0,
            "show_link": permissions.may_see_session_link(
                user=request.user, session=session, registration=registration
            ),
            "title": str(session),
        },
    )


@login_required
@require_POST
def session_register(request, pk):
    session = _session(pk)
    try:
        registration = services.session_register(user=request.user, session=session)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if registration.status == SessionRegistration.Status.REGISTERED:
            messages.success(
                request, "Votre place est réservée. Une confirmation vous est envoyée."
            )
        else:
            messages.info(
                request,
                "La session est complète : vous êtes sur la liste d'attente. Vous serez prévenu(e) "
                "dès qu'une place se libère.",
            )
    return _back(request, session.get_absolute_url())


@login_required
@require_POST
def session_cancel(request, pk):
    session = _session(pk)
    if services.session_cancel(user=request.user, session=session):
        messages.success(request, "Votre inscription à la session est annulée.")
    return _back(request, session.get_absolute_url())


@require_GET
def session_ics(request, pk):
    session = _session(pk)
    registration = None
    if request.user.is_authenticated:
        registration = SessionRegistration.objects.filter(
            session=session, user=request.user
        ).first()
    body = session_calendar(
        [session],
        include_links=permissions.may_see_session_link(
            user=request.user, session=session, registration=registration
        ),
        name=session.course.title,
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@require_GET
@cache_control(private=True)  # personal: never a shared copy (portal/page_cache.py)
def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    sessions = list(
        CourseSession.objects.filter(
            registrations__user=feed.user,
            registrations__status=SessionRegistration.Status.REGISTERED,
            course__live=True,
        ).select_related("course")
    )
    body = session_calendar(
        sessions,
        include_links=True,
        name="Mes sessions — Académie",
        base_url=request.build_absolute_uri("/"),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_POST
def calendar_feed_renew(request):
    CalendarFeed.objects.filter(user=request.user).delete()
    CalendarFeed.objects.create(user=request.user)
    messages.success(request, "Nouveau lien d'agenda créé : l'ancien ne fonctionne plus.")
    return redirect("academy:dashboard")


@login_required
@require_GET
def dashboard(request):
    context = selectors.learner_dashboard(user=request.user)
    context["calendar_feed"] = CalendarFeed.objects.filter(user=request.user).first()
    context["title"] = "Ma formation"
    return render(request, "academy/dashboard.html", context)
