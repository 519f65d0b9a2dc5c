"""The admin report « Inscriptions aux formations », with its CSV and XLSX exports."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from academy.models import CoursePage, Enrolment
from academy.stats import enrolment_report_rows, may_view_enrolment_report
from portal.people.models import Operator, Territory


def _courses(request):
    return CoursePage.objects.order_by("title")


class EnrolmentReportFilterSet(WagtailFilterSet):
    # The filters shape the aggregation (see EnrolmentReportView.get_queryset): their
    # own filtering is never applied to the rows.
    course = django_filters.ModelChoiceFilter(
        label="Formation", queryset=_courses, empty_label="Toutes les formations"
    )
    operator = django_filters.ModelChoiceFilter(
        label="Opérateur", queryset=Operator.objects.all(), empty_label="Tous les opérateurs"
    )
    territory_level = django_filters.ChoiceFilter(
        label="Détail par territoire",
        choices=Territory.Level.choices,
        empty_label="Aucun (tous territoires)",
    )

    class Meta:
        model = Enrolment
        fields = []


class EnrolmentReportView(ReportView):
    page_title = "Inscriptions aux formations"
    header_icon = "group"
    results_template_name = "academy/admin/enrolment_report_results.html"
    index_url_name = "academy_enrolment_report"
    index_results_url_name = "academy_enrolment_report_results"
    filterset_class = EnrolmentReportFilterSet
    paginate_by = 100
    columns = [
        Column("course_title", label="Formation"),
        Column("operator_name", label="Opérateur"),
        Column("territory_name", label="Territoire"),
        Column("enrolled", label="Inscrits"),
        Column("in_progress", label="En cours"),
        Column("completed", label="Terminés"),
    ]
    list_export = [
        "course_title",
        "operator_name",
        "territory_name",
        "enrolled",
        "in_progress",
        "completed",
    ]
    export_headings = {
        "course_title": "Formation",
        "operator_name": "Opérateur",
        "territory_name": "Territoire",
        "enrolled": "Inscrits",
        "in_progress": "En cours",
        "completed": "Terminés",
    }
    no_results_message = "Aucune inscription ne correspond à ces critères."

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's admin URLs already require admin access; this is the report's own rule.
        if not may_view_enrolment_report(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"inscriptions-formations-{datetime.date.today():%Y-%m-%d}"

    @cached_property
    def filter_values(self) -> dict:
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data
        return {}

    def get_queryset(self):
        return enrolment_report_rows(
            course=self.filter_values.get("course"),
            operator=self.filter_values.get("operator"),
            territory_level=self.filter_values.get("territory_level") or None,
        )

    def filter_queryset(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["territory_level"] = self.filter_values.get("territory_level") or None
        return context
