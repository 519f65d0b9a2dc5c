"""Enrolment indicators of the Académie, for editors: per course, operator and territory.

Counting rules, the same on the course page and in the admin report:
- « Inscrits »: active enrolments;
- « En cours »: active enrolments not completed yet;
- « Terminés »: completed enrolments, including learners who left the course afterwards
  (the certificate stays theirs).
A learner with several territories counts once in each of them, so territory rows
do not add up to the totals.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from wagtail.permissions import page_permission_policy

from academy.models import AcademyIndexPage, CoursePage, Enrolment
from portal.people.models import Operator, Territory

NO_OPERATOR = "Opérateur non renseigné"
NO_TERRITORY = "Territoire non renseigné"
# In the report's territory breakdown: none of the learner's territories is at, or
# inside, a territory of the chosen level (no territory, or only a wider one).
NOT_AT_LEVEL = "Aucun territoire à ce niveau"
ALL_TERRITORIES = "Tous territoires"

# From the widest to the finest: a territory's parent is one step to the left.
LEVELS = [
    Territory.Level.NATIONAL,
    Territory.Level.REGION,
    Territory.Level.DEPARTEMENT,
    Territory.Level.LOCAL,
]

# The join on territories repeats an enrolment once per territory of its learner:
# counting distinct enrolments keeps each learner once per row.
COUNTS = {
    "enrolled": Count("pk", filter=Q(active=True), distinct=True),
    "in_progress": Count("pk", filter=Q(active=True, completed_at__isnull=True), distinct=True),
    "completed": Count("pk", filter=Q(completed_at__isnull=False), distinct=True),
}


@dataclass(frozen=True)
class EnrolmentCounts:
    label: str
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0


@dataclass(frozen=True)
class CourseEnrolmentStats:
    totals: EnrolmentCounts
    by_operator: list[EnrolmentCounts]
    by_territory: list[EnrolmentCounts]


def _counted_enrolments() -> QuerySet:
    # An enrolment left before completion counts nowhere.
    return Enrolment.objects.filter(Q(active=True) | Q(completed_at__isnull=False))


def course_enrolment_stats(*, course: CoursePage) -> CourseEnrolmentStats:
    """Totals, by operator and by territory for one course: two queries, whatever the size.

    The totals are the sum of the operator rows (every learner has at most one operator).
    """
    enrolments = _counted_enrolments().filter(course=course)
    operator_rows = (
        enrolments.values("user__operator_id")
        .annotate(
            label=Coalesce("user__operator__name", Value(NO_OPERATOR)),
            position=F("user__operator__position"),
            **COUNTS,
        )
        .order_by(F("position").asc(nulls_last=True), "label")
    )
    by_operator = [
        EnrolmentCounts(row["label"], row["enrolled"], row["in_progress"], row["completed"])
        for row in operator_rows
    ]
    territory_rows = (
        enrolments.values("user__territories__id")
        .annotate(label=Coalesce("user__territories__name", Value(NO_TERRITORY)), **COUNTS)
        .order_by()
    )
    by_territory = sorted(
        (
            EnrolmentCounts(row["label"], row["enrolled"], row["in_progress"], row["completed"])
            for row in territory_rows
        ),
        key=lambda counts: (counts.label == NO_TERRITORY, counts.label),
    )
    totals = EnrolmentCounts(
        "Total",
        sum(row.enrolled for row in by_operator),
        sum(row.in_progress for row in by_operator),
        sum(row.completed for row in by_operator),
    )
    return CourseEnrolmentStats(totals=totals, by_operator=by_operator, by_territory=by_territory)


def _territory_at_level(level: str, attribute: str) -> Case:
    """The learner's territory at this level: their own, or the ancestor at this level.

    Levels are a fixed four-step tree, so walking up is a bounded chain of joins.
    """
    whens = []
    for hops in range(len(LEVELS) - LEVELS.index(level)):
        path = "user__territories" + "__parent" * hops
        whens.append(When(**{f"{path}__level": level}, then=F(f"{path}__{attribute}")))
    return Case(*whens, default=None)


def enrolment_report_rows(
    *,
    course: CoursePage | None = None,
    operator: Operator | None = None,
    territory_level: str | None = None,
) -> QuerySet:
    """One row per course × operator (× territory at `territory_level`, when given).

    Rows are dicts: course_id, course_title, operator_name, territory_name, enrolled,
    in_progress, completed. One query (two with pagination's count).
    """
    enrolments = _counted_enrolments()
    if course is not None:
        enrolments = enrolments.filter(course=course)
    if operator is not None:
        enrolments = enrolments.filter(user__operator=operator)
    if territory_level:
        territory_id = _territory_at_level(territory_level, "id")
        territory_name = Coalesce(_territory_at_level(territory_level, "name"), Value(NOT_AT_LEVEL))
    else:
        territory_id = Value(None, output_field=IntegerField())
        territory_name = Value(ALL_TERRITORIES)
    return (
        enrolments.annotate(
            course_title=F("course__title"),
            operator_position=F("user__operator__position"),
            operator_name=Coalesce("user__operator__name", Value(NO_OPERATOR)),
            territory_key=territory_id,
            territory_name=territory_name,
        )
        .values(
            "course_id",
            "course_title",
            "user__operator_id",
            "operator_position",
            "operator_name",
            "territory_key",
            "territory_name",
        )
        .annotate(**COUNTS)
        .order_by(
            "course_title",
            "course_id",
            F("operator_position").asc(nulls_last=True),
            "operator_name",
            Case(When(territory_key__isnull=True, then=Value(1)), default=Value(0)),
            "territory_name",
        )
    )


# --- Who may read them --------------------------------------------------------------------
# These belong with the Académie's policy (academy.permissions) and move there with it.


def may_see_course_indicators(*, user, page: CoursePage) -> bool:
    """The course's indicators are for those who may edit the course in the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    # Most readers are members without any page rights: one query tells them apart;
    # the full check (locks, workflow tasks) is for the others.
    if not user.is_superuser and not page_permission_policy.get_cached_permissions_for_user(user):
        return False
    return page.permissions_for_user(user).can_edit()


def may_view_enrolment_report(*, user) -> bool:
    """The all-courses report: admin access and edit rights on the whole Académie.

    Wagtail's "Editors" and "Moderators" groups have them through their page permissions
    on the tree's root; a group limited to one course does not see the others' figures.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    index = AcademyIndexPage.objects.first()
    return index is not None and index.permissions_for_user(user).can_edit()
