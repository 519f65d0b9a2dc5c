"""Reads of practice sheets, with their query plans.

Who may read a sheet is who may read its territory's space: every answer here
asks community.permissions.may_read_space, for one sheet or for all spaces at once.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from dsfr.utils import list_pages
from taggit.models import Tag
from wagtail.models import TaskState, WorkflowState

from community import permissions
from community.models import (
    Membership,
    Post,
    PracticeSheetIndexPage,
    PracticeSheetPage,
    Reaction,
    SheetTag,
    Space,
    Topic,
)
from community.models.sheets import SheetReviewTask
from portal.people.models import Operator, Territory

PER_PAGE = 12
MAX_RANKED = 500


# --- Who may read what ----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetAccess:
    space: Space | None
    membership: Membership | None
    readable: bool


def sheet_access(*, user, sheet: PracticeSheetPage) -> SheetAccess:
    """The space of the sheet and the user's place in it; two queries, once per request.

    A territory without a space has no one to restrict it to: its sheets are open.
    """
    cached = getattr(sheet, "_access", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    space = (
        Space.objects.select_related("territory").filter(territory_id=sheet.territory_id).first()
    )
    membership = permissions.membership_of(user=user, space=space) if space else None
    readable = space is None or permissions.may_read_space(
        user=user, space=space, membership=membership
    )
    access = SheetAccess(space=space, membership=membership, readable=readable)
    sheet._access = (user.pk, access)
    return access


def may_read_sheet(*, user, sheet: PracticeSheetPage) -> bool:
    return sheet_access(user=user, sheet=sheet).readable


def user_memberships(*, user) -> dict[int, Membership]:
    """The user's memberships by space id, with their spaces: one query (none if anonymous)."""
    if not user.is_authenticated:
        return {}
    return {
        m.space_id: m
        for m in Membership.objects.filter(user=user).select_related("space", "space__territory")
    }


def readable_sheets(*, user):
    """Published sheets this user may read (a queryset, filtered in the database).

    A territory without a space has no one to restrict it to: its sheets are open.
    """
    return (
        PracticeSheetPage.objects.live()
        .public()
        .filter(
            Q(territory__space__isnull=True)
            | Q(territory__space__in=permissions.readable_spaces(user=user))
        )
    )


def sheets_search_ids(*, query: str) -> list[int]:
    """Published sheets matching `query`, best first (French stemming on PostgreSQL)."""
    found = PracticeSheetPage.objects.live().search(query)[:MAX_RANKED]
    return [page.pk for page in found]


# --- The listing at /communaute/fiches/ ------------------------------------------------------


def listing_filters(get) -> dict[str, str]:
    return {
        "q": get.get("q", "").strip()[:200],
        "theme": get.get("theme", "").strip()[:100],
        "operateur": get.get("operateur", "").strip()[:60],
        "territoire": get.get("territoire", "").strip()[:80],
    }


def _within_territory(slug: str) -> Q:
    # A territory and everything under it (région → départements → comités locaux).
    return (
        Q(territory__slug=slug)
        | Q(territory__parent__slug=slug)
        | Q(territory__parent__parent__slug=slug)
        | Q(territory__parent__parent__parent__slug=slug)
    )


def sheet_listing(*, user, filters: dict[str, str], page_number) -> dict:
    """The listing's page of sheets and facets: a fixed number of queries whatever the
    number of sheets (memberships, spaces, matching ids, [search], the page's sheets with
    their tags and operators, then the three facets as the template reads them)."""
    memberships = user_memberships(user=user)
    readable = readable_sheets(user=user)
    sheets = readable
    if filters["theme"]:
        sheets = sheets.filter(tagged_items__tag__slug=filters["theme"])
    if filters["operateur"]:
        sheets = sheets.filter(operators__slug=filters["operateur"])
    if filters["territoire"]:
        sheets = sheets.filter(_within_territory(filters["territoire"]))
    ids = list(
        sheets.order_by("-first_published_at", "-pk").values_list("pk", flat=True).distinct()
    )
    if filters["q"]:
        allowed = set(ids)
        ids = [pk for pk in sheets_search_ids(query=filters["q"]) if pk in allowed]
    paginator = Paginator(ids, PER_PAGE)
    page_obj = list_pages(paginator.get_page(page_number))  # links for dsfr_pagination
    by_id = {
        sheet.pk: sheet
        for sheet in PracticeSheetPage.objects.filter(pk__in=list(page_obj.object_list))
        .select_related("territory", "discussion_topic")
        .prefetch_related("tags", "operators")
    }
    may_propose_in = [
        m.space
        for m in memberships.values()
        if permissions.may_post(user=user, space=m.space, membership=m)
    ]
    return {
        "filters": filters,
        "filtered": any(filters.values()),
        "sheets": [by_id[pk] for pk in page_obj.object_list if pk in by_id],
        "page_obj": page_obj,
        "result_count": paginator.count,
        "may_propose_in": sorted(may_propose_in, key=lambda space: space.name),
        "facet_themes": Tag.objects.filter(
            pk__in=SheetTag.objects.filter(content_object__in=readable.values("pk")).values(
                "tag_id"
            )
        ).order_by("name"),
        "facet_operators": Operator.objects.order_by("position", "name"),
        "facet_territories": Territory.objects.filter(
            level__in=[
                Territory.Level.NATIONAL,
                Territory.Level.REGION,
                Territory.Level.DEPARTEMENT,
            ]
        )
        .order_by("level", "name")
        .only("slug", "name", "level", "insee_code"),
    }


# --- One sheet --------------------------------------------------------------------------------


def sheet_page_context(*, sheet: PracticeSheetPage, user) -> dict:
    access = sheet_access(user=user, sheet=sheet)
    topic = None
    opening = None
    if sheet.discussion_topic_id:
        topic = (
            Topic.objects.select_related("forum", "forum__space", "forum__space__territory")
            .filter(pk=sheet.discussion_topic_id)
            .first()
        )
        opening = Post.objects.filter(topic_id=sheet.discussion_topic_id, position=0).first()
    found_useful = bool(
        opening
        and user.is_authenticated
        and Reaction.objects.filter(post=opening, user=user).exists()
    )
    space = access.space
    return {
        "space": space,
        "territory": sheet.territory,
        "sheet_operators": list(sheet.operators.all()),
        "sheet_tags": list(sheet.tags.all()),
        "discussion": topic,
        "useful_count": opening.useful_count if opening else 0,
        "found_useful": found_useful,
        # The forums' rule: one does not find one's own post useful.
        "may_react": bool(
            space
            and opening
            and opening.author_id != user.pk
            and permissions.may_post(user=user, space=space, membership=access.membership)
        ),
        "react_refusal": permissions.post_refusal(
            user=user, space=space, membership=access.membership
        )
        if space
        else None,
        "title": sheet.title,
    }


# --- The author's own proposals ---------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    sheet: PracticeSheetPage
    status: str
    badge: str
    comment: str = ""
    may_revise: bool = False  # sent back for changes: its author corrects and resubmits


def sheets_proposed_by(*, user) -> list[Proposal]:
    """The sheets this user owns, newest first, with where their review stands: 2 queries."""
    sheets = list(
        PracticeSheetPage.objects.filter(owner=user)
        .select_related("territory")
        .order_by("-latest_revision_created_at", "-pk")
    )
    latest_state: dict[str, WorkflowState] = {}
    if sheets:
        states = (
            WorkflowState.objects.filter(
                base_content_type_id=sheets[0].get_base_content_type().pk,
                object_id__in=[str(sheet.pk) for sheet in sheets],
            )
            .select_related("current_task_state")
            .order_by("created_at", "pk")
        )
        for state in states:
            latest_state[state.object_id] = state
    proposals = []
    for sheet in sheets:
        state = latest_state.get(str(sheet.pk))
        status = state.status if state else None
        comment = ""
        if status == WorkflowState.STATUS_NEEDS_CHANGES and state.current_task_state:
            comment = state.current_task_state.comment
        if status == WorkflowState.STATUS_IN_PROGRESS:
            label, badge = (
                ("Publiée, modifications en relecture", "info")
                if sheet.live
                else ("En cours de relecture", "new")
            )
        elif sheet.live:
            label, badge = "Publiée", "success"
        elif status == WorkflowState.STATUS_NEEDS_CHANGES:
            label, badge = "À revoir", "warning"
        else:
            label, badge = "Brouillon", "info"
        proposals.append(
            Proposal(
                sheet=sheet,
                status=label,
                badge=badge,
                comment=comment,
                may_revise=status == WorkflowState.STATUS_NEEDS_CHANGES and not sheet.live,
            )
        )
    return proposals


def proposal_of(*, user, sheet: PracticeSheetPage) -> Proposal:
    """Where the review of one of this user's sheets stands."""
    return next(p for p in sheets_proposed_by(user=user) if p.sheet.pk == sheet.pk)


# --- Review by the space's animateurs ----------------------------------------------------------


def may_review_sheet(*, user, sheet: PracticeSheetPage) -> bool:
    access = sheet_access(user=user, sheet=sheet)
    return permissions.may_review_sheet(
        user=user, sheet=sheet, space=access.space, membership=access.membership
    )


def _ids_as_text(sheets):
    # WorkflowState.object_id is text: compare it with the ids as text, in the database.
    return sheets.annotate(id_text=Cast("pk", output_field=CharField())).values("id_text")


def sheet_ids_reviewable_by(*, user):
    """The ids (as text) of the sheets this user may review, as a subquery; None for all of
    them (editors who may publish sheets, superusers). Wagtail's dashboard asks it."""
    if user.is_superuser:
        return None
    index = PracticeSheetIndexPage.objects.first()
    if index is not None and index.permissions_for_user(user).can_publish():
        return None
    return _ids_as_text(
        PracticeSheetPage.objects.filter(
            territory__space__in=permissions.moderated_spaces(user=user)
        )
    )


@dataclass(frozen=True)
class Review:
    sheet: PracticeSheetPage
    state: WorkflowState
    task_state: TaskState

    @property
    def proposed_by(self):
        return self.state.requested_by or self.sheet.owner


def _reviews(states, sheets_by_id) -> list[Review]:
    return [
        Review(
            sheet=sheets_by_id[int(state.object_id)],
            state=state,
            task_state=state.current_task_state,
        )
        for state in states
        if int(state.object_id) in sheets_by_id
    ]


def _waiting_for_the_space(states):
    """Workflow states of sheets whose current step is the space's review, still open."""
    return (
        states.filter(
            content_type=ContentType.objects.get_for_model(PracticeSheetPage),
            status=WorkflowState.STATUS_IN_PROGRESS,
            current_task_state__status=TaskState.STATUS_IN_PROGRESS,
            current_task_state__task__content_type=ContentType.objects.get_for_model(
                SheetReviewTask
            ),
        )
        .select_related("requested_by", "current_task_state")
        .order_by("created_at", "pk")
    )


def sheets_in_review(*, space: Space) -> list[Review]:
    """The review queue of a space: its sheets waiting for its animateurs, oldest first.

    Two queries whatever their number (the content types are cached).
    """
    sheets = PracticeSheetPage.objects.filter(territory_id=space.territory_id)
    states = list(
        _waiting_for_the_space(WorkflowState.objects.filter(object_id__in=_ids_as_text(sheets)))
    )
    if not states:
        return []
    by_id = PracticeSheetPage.objects.select_related("owner").in_bulk(
        [int(state.object_id) for state in states]
    )
    return _reviews(states, by_id)


def space_sheet(*, space: Space, pk: int) -> PracticeSheetPage | None:
    """A sheet of this space (published or not), or None."""
    return (
        PracticeSheetPage.objects.filter(pk=pk, territory_id=space.territory_id)
        .select_related("owner", "territory")
        .first()
    )


def sheet_in_review(*, sheet: PracticeSheetPage) -> Review | None:
    """The sheet's open review by its space's animateurs, or None (decided, or elsewhere)."""
    state = _waiting_for_the_space(WorkflowState.objects.for_instance(sheet)).first()
    if state is None:
        return None
    return _reviews([state], {sheet.pk: sheet})[0]


def review_page_context(*, review: Review) -> dict:
    """What the reviewer reads: the latest revision, as its page would show it."""
    preview = review.sheet.get_latest_revision_as_object()
    return {
        "review": review,
        "page": preview,
        "territory": review.sheet.territory,
        "sheet_operators": list(preview.operators.all()),
        "sheet_tags": list(preview.tags.all()),
    }
