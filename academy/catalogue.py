"""The catalogue at /academie/: full-text search, facets, pagination.

A fixed number of queries whatever the number of courses: matching ids (one
search query when there is a text query, one filtered id query), the page of
courses with their themes and covers, the facets, the learner's progress.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from dsfr.utils import list_pages
from taggit.models import Tag

from academy.models import CoursePage, CourseTag
from academy.selectors import course_progress_map
from portal.page_cache import shared
from portal.people.models import Operator, Territory

PER_PAGE = 12

DURATION_BANDS = [
    ("moins-1h", "Moins d'une heure", Q(duration_minutes__lt=60)),
    ("1h-3h", "De 1 à 3 heures", Q(duration_minutes__gte=60, duration_minutes__lte=180)),
    ("plus-3h", "Plus de 3 heures", Q(duration_minutes__gt=180)),
]


def _filters(request) -> dict[str, str]:
    get = request.GET
    return {
        "q": get.get("q", "").strip()[:200],
        "theme": get.get("theme", "").strip()[:100],
        "public": get.get("public", "").strip()[:60],
        "format": get.get("format", "").strip()[:20],
        "duree": get.get("duree", "").strip()[:20],
        "territoire": get.get("territoire", "").strip()[:80],
    }


def catalogue_context(*, index_page, request) -> dict:
    filters = _filters(request)
    courses = CoursePage.objects.live().public().child_of(index_page)
    if filters["theme"]:
        courses = courses.filter(tagged_items__tag__slug=filters["theme"])
    if filters["public"]:
        # A course with no audience addresses everyone.
        courses = courses.filter(Q(audience__slug=filters["public"]) | Q(audience__isnull=True))
    if filters["format"] in CoursePage.Format.values:
        courses = courses.filter(format=filters["format"])
    for key, _label, condition in DURATION_BANDS:
        if filters["duree"] == key:
            courses = courses.filter(condition)
    if filters["territoire"]:
        territory = (
            Territory.objects.filter(slug=filters["territoire"])
            .select_related("parent", "parent__parent")
            .first()
        )
        if territory is not None:
            lineage = []
            node = territory
            while node is not None:
                lineage.append(node.pk)
                node = node.parent
            # National courses, and courses of this territory or of a territory above it.
            courses = courses.filter(Q(territories__isnull=True) | Q(territories__in=lineage))
    ids = list(courses.order_by("title").values_list("pk", flat=True).distinct())
    if filters["q"]:
        ranked = [
            page.pk
            for page in CoursePage.objects.live()
            .public()
            .child_of(index_page)
            .search(filters["q"], operator="or")
        ]
        allowed = set(ids)
        ids = [pk for pk in ranked if pk in allowed]
    paginator = Paginator(ids, PER_PAGE)
    # django-dsfr's pagination tag shows the page links listed here, keeping the filters.
    page_obj = list_pages(paginator.get_page(request.GET.get("page")))
    by_id = {
        course.pk: course
        for course in CoursePage.objects.filter(pk__in=list(page_obj.object_list))
        .select_related("cover_image")
        .prefetch_related("tags")
    }
    page_courses = [by_id[pk] for pk in page_obj.object_list if pk in by_id]
    progress = course_progress_map(user=request.user, courses=page_courses)
    for course in page_courses:
        course.my_progress = progress.get(course.pk)

    return {
        "filters": filters,
        "courses": page_courses,
        "page_obj": page_obj,
        "result_count": paginator.count,
        "facet_formats": CoursePage.Format.choices,
        "facet_durations": [(key, label) for key, label, _ in DURATION_BANDS],
        # The same lists for every reader: kept with the shared copies (portal/page_cache.py).
        **shared("catalogue-facets", _facets),
    }


def _facets() -> dict:
    return {
        "facet_themes": list(
            Tag.objects.filter(
                pk__in=CourseTag.objects.filter(content_object__live=True).values("tag_id")
            ).order_by("name")
        ),
        "facet_operators": list(Operator.objects.all()),
        "facet_territories": list(
            Territory.objects.filter(
                level__in=[
                    Territory.Level.NATIONAL,
                    Territory.Level.REGION,
                    Territory.Level.DEPARTEMENT,
                ]
            )
            .order_by("level", "name")
            .only("slug", "name", "level", "insee_code")
        ),
    }
