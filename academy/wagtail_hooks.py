"""The Académie in the Wagtail admin: sessions and certificates, enrolment report."""

import django_filters
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy import services
from academy.models import Certificate, CourseSession, SessionRegistration
from academy.reports import EnrolmentReportView
from academy.stats import may_view_enrolment_report
from portal.people.models import Territory


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are issued by course completion and revoked, never added or deleted by hand."""

    FORBIDDEN = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.FORBIDDEN and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.FORBIDDEN]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


# Before any viewset asks for it, or Wagtail creates its fallback policy.
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


def _session_territories(request):
    return Territory.objects.filter(pk__in=CourseSession.objects.values("territory"))


class CourseSessionFilterSet(WagtailFilterSet):
    # Only the territories that have sessions: the full list runs past a hundred.
    territory = django_filters.ModelChoiceFilter(
        label="Territoire", queryset=_session_territories, empty_label="Tous les territoires"
    )

    class Meta:
        model = CourseSession
        fields = ["format", "territory"]


class CourseSessionViewSet(SnippetViewSet):
    model = CourseSession
    icon = "date"
    menu_label = "Sessions"
    list_display = [
        "course",
        "starts_at",
        "format",
        "territory",
        "capacity",
        Column("registered_count", label="Inscrits", sort_key="registered_count"),
        Column("waiting_count", label="En attente", sort_key="waiting_count"),
    ]
    filterset_class = CourseSessionFilterSet
    ordering = ["-starts_at"]
    list_per_page = 50
    # The form validates through CourseSession.clean(), which words its errors in French.
    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="Dates"),
        MultiFieldPanel(
            [FieldPanel("format"), FieldPanel("place"), FieldPanel("visio_url")],
            heading="Format",
        ),
        FieldPanel("territory"),
        FieldPanel("trainer"),
        FieldPanel("capacity"),
        FieldPanel("cancelled"),
    ]

    def get_queryset(self, request):
        status = SessionRegistration.Status
        return CourseSession.objects.select_related("course", "territory").annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=status.REGISTERED)
            ),
            waiting_count=Count("registrations", filter=Q(registrations__status=status.WAITING)),
        )


# Set on the request by the edit view's "before" hook: was the session cancelled already?
WAS_CANCELLED = "_academy_session_was_cancelled"


@hooks.register("before_edit_snippet")
def remember_whether_the_session_was_cancelled(request, instance):
    # The instance is the saved row, before the form changes it.
    if isinstance(instance, CourseSession):
        setattr(request, WAS_CANCELLED, instance.cancelled)


@hooks.register("after_edit_snippet")
def tell_participants_when_a_session_is_cancelled(request, instance):
    """Cancelling a session (ticking "session annulée") tells its participants and waiting list."""
    if (
        isinstance(instance, CourseSession)
        and instance.cancelled
        and getattr(request, WAS_CANCELLED, True) is False
    ):
        services.session_cancellation_announce(session=instance)


@hooks.register("after_edit_snippet")
def promote_waiting_list_after_session_edit(request, instance):
    """A capacity raised in the admin gives the new seats to the waiting list, in order."""
    if not isinstance(instance, CourseSession) or instance.cancelled:
        return
    with transaction.atomic():
        # The same row lock as registrations take (academy.services).
        session = CourseSession.objects.select_for_update().get(pk=instance.pk)
        services.session_promote_waiting(session=session)


class CertificateForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        revoked_at = cleaned_data.get("revoked_at")
        reason = (cleaned_data.get("revoked_reason") or "").strip()
        if revoked_at and not reason:
            self.add_error("revoked_reason", "Indiquez le motif de la révocation.")
        if reason and not revoked_at:
            self.add_error("revoked_at", "Indiquez la date de révocation.")
        return cleaned_data


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = "Attestations"
    list_display = ["holder_name", "course_title", "issued_at", "revoked_at"]
    search_fields = ["holder_name", "code"]
    ordering = ["-issued_at"]
    list_per_page = 50
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("holder_name", read_only=True),
                    FieldPanel("course_title", read_only=True),
                    FieldPanel("completed_at", read_only=True),
                    FieldPanel("issued_at", read_only=True),
                    FieldPanel("code", read_only=True),
                ],
                heading="Attestation délivrée",
            ),
            MultiFieldPanel(
                [FieldPanel("revoked_at"), FieldPanel("revoked_reason")],
                heading="Révocation",
                help_text="Une attestation révoquée n'est plus reconnue par la page de "
                "vérification publique.",
            ),
        ],
        base_form_class=CertificateForm,
    )


class AcademyGroup(SnippetViewSetGroup):
    items = (CourseSessionViewSet, CertificateViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Académie"
    menu_name = "academy"


register_snippet(AcademyGroup)


class EnrolmentReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_enrolment_report(user=request.user)


@hooks.register("register_reports_menu_item")
def register_enrolment_report_menu_item():
    return EnrolmentReportMenuItem(
        "Inscriptions aux formations",
        reverse("academy_enrolment_report"),
        name="academy-enrolments",
        icon_name="group",
        order=1200,
    )


@hooks.register("register_admin_urls")
def register_enrolment_report_urls():
    return [
        path(
            "academie/inscriptions/",
            EnrolmentReportView.as_view(),
            name="academy_enrolment_report",
        ),
        path(
            "academie/inscriptions/resultats/",
            EnrolmentReportView.as_view(results_only=True),
            name="academy_enrolment_report_results",
        ),
    ]
