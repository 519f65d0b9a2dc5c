"""Every write of practice sheets: proposal into review, the review's decisions, first
publication (and its discussion), the "Utile" reaction.

Members never reach the Wagtail admin: they propose here, and the sheet enters the
workflow of the sheets' index, "Relecture des fiches pratiques", whose one step is a
SheetReviewTask ("Relecture par l'animation de l'espace"). The space's animateurs
are told of each proposal and decide from the Communauté's review queue, without any
Wagtail rights; editors who may publish the sheet decide in the admin. Both go through
Wagtail's workflow API, and the author hears of the decision from our notifications.
See docs/decisions.md, « relecture des fiches par l'animation ».
"""

import re
from dataclasses import dataclass
from html import unescape

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from community import permissions
from community.models import (
    Forum,
    Post,
    PracticeSheetIndexPage,
    PracticeSheetPage,
    Space,
    Topic,
    Watch,
)
from community.models.sheets import SheetReviewTask
from community.services import ActionRefused, space_animators
from community.sheets.notifications import SHEET_REVIEWED, SHEET_SUBMITTED
from portal.markdown import render_markdown
from portal.notifications.services import notify

INDEX = {
    "title": "Fiches pratiques",
    "slug": "fiches-pratiques",
    "intro": "Ce qui marche, territoire par territoire : des pratiques partagées par les "
    "professionnels du réseau pour l'emploi.",
}
# Installed by migration community 0007_sheet_review_task (same names).
REVIEW_TASK_NAME = "Relecture par l'animation de l'espace"
REVIEW_WORKFLOW_NAME = "Relecture des fiches pratiques"
REVIEW_COMMENT_MAX_LENGTH = 2000
NOT_IN_REVIEW = "Cette fiche n'attend plus de relecture : une décision a déjà été prise."
DISCUSSION_FORUM = {
    "name": "Fiches pratiques",
    "slug": "fiches-pratiques",
    "description": "Les discussions des fiches pratiques de l'espace.",
}


@dataclass(frozen=True)
class Step:
    title: str
    detail: str = ""


def text_to_html(text: str) -> str:
    """Plain text typed in a form, as the paragraphs of a rich text field."""
    return linebreaks(escape(text.strip())) if text.strip() else ""


@transaction.atomic
def sheet_index_ensure() -> PracticeSheetIndexPage:
    """The shared index under the home page, created (and published) if missing."""
    from portal.models import HomePage

    existing = PracticeSheetIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    if home is None:
        raise ActionRefused("Le site n'est pas encore installé : lancez « setup_site ».")
    index = PracticeSheetIndexPage(
        title=INDEX["title"],
        slug=find_available_slug(home, INDEX["slug"]),
        intro=INDEX["intro"],
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    WorkflowPage.objects.create(page=index, workflow=sheet_review_workflow())
    return index


def sheet_review_workflow() -> Workflow:
    """The sheets' workflow: the active one whose step is a SheetReviewTask.

    Migration 0006 installs it; a database built another way (a flushed test database,
    an administrator who deleted it) gets it again when the index is created.
    """
    tasks = SheetReviewTask.objects.filter(active=True)
    workflow = Workflow.objects.active().filter(workflow_tasks__task__in=tasks).first()
    if workflow is not None:
        return workflow
    task = tasks.first() or SheetReviewTask.objects.create(name=REVIEW_TASK_NAME)
    workflow = Workflow.objects.create(name=REVIEW_WORKFLOW_NAME)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def _refuse_unless_may_post(user, space: Space, fallback: str) -> None:
    membership = permissions.membership_of(user=user, space=space)
    if not permissions.may_post(user=user, space=space, membership=membership):
        raise ActionRefused(
            permissions.post_refusal(user=user, space=space, membership=membership) or fallback
        )


def _fill(
    sheet: PracticeSheetPage,
    *,
    title,
    summary,
    context,
    target_public,
    steps,
    results,
    operators,
    contact,
    tags,
) -> None:
    """What the proposal form gives, onto a sheet (new, or the latest revision)."""
    sheet.title = title.strip()
    sheet.summary = summary.strip()
    sheet.context = text_to_html(context)
    sheet.target_public = target_public.strip()
    sheet.steps = [
        ("step", {"title": step.title, "detail": text_to_html(step.detail)}) for step in steps
    ]
    sheet.results = text_to_html(results)
    sheet.contact = contact.strip()
    sheet.operators.set(list(operators))
    if tags:
        sheet.tags.add(*tags)


@transaction.atomic
def sheet_propose(
    *,
    user,
    space: Space,
    title: str,
    summary: str,
    context: str,
    target_public: str,
    steps: list[Step],
    results: str = "",
    operators=(),
    contact: str = "",
    tags: list[str] = (),
) -> PracticeSheetPage:
    """A member's proposal: a draft sheet, owned by them, submitted to review.

    The space's animateurs are notified with the link to review it in the Communauté.
    """
    _refuse_unless_may_post(user, space, "Vous ne pouvez pas proposer de fiche dans cet espace.")
    index = sheet_index_ensure()
    sheet = PracticeSheetPage(
        slug=find_available_slug(index, slugify(title)[:80] or "fiche"),
        owner=user,
        live=False,
        territory=space.territory,
    )
    _fill(
        sheet,
        title=title,
        summary=summary,
        context=context,
        target_public=target_public,
        steps=steps,
        results=results,
        operators=operators,
        contact=contact,
        tags=tags,
    )
    index.add_child(instance=sheet)
    sheet.save_revision(user=user, log_action=True)
    workflow = sheet.get_workflow()
    if workflow is None:
        raise ActionRefused(
            "La relecture des fiches n'est pas configurée : contactez l'équipe du portail."
        )
    workflow.start(sheet, user)
    _notify_reviewers(
        sheet=sheet,
        space=space,
        user=user,
        title=f"{user.public_name} propose une fiche pratique dans l'espace "
        f"{space.name} : « {sheet.title} »",
    )
    return sheet


def _notify_reviewers(*, sheet, space: Space, user, title: str) -> None:
    review_url = reverse("community:sheet_review", kwargs={"slug": space.slug, "pk": sheet.pk})
    for animator in space_animators(space=space):
        notify(
            recipient=animator,
            kind=SHEET_SUBMITTED,
            target=sheet,
            actor=user,
            context={"title": title, "url": review_url},
        )


def html_to_text(html: str) -> str:
    """The reverse of text_to_html, to put a sheet's rich text back in a form."""
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", html or "")
    text = re.sub(r"<br\s*/?>\n?", "\n", text)
    return unescape(strip_tags(text)).strip()


def sheet_form_initial(sheet: PracticeSheetPage) -> dict:
    """A sheet (its latest revision) as the proposal form's initial values."""
    steps = []
    for block in sheet.steps:
        detail = html_to_text(getattr(block.value["detail"], "source", "") or "")
        steps.append(block.value["title"] + (f"\n{detail}" if detail else ""))
    return {
        "title": sheet.title,
        "summary": sheet.summary,
        "context": html_to_text(sheet.context),
        "target_public": sheet.target_public,
        "steps": "\n\n".join(steps),
        "results": html_to_text(sheet.results),
        "operators": list(sheet.operators.all()),
        "contact": sheet.contact,
        "tags": ", ".join(tag.name for tag in sheet.tags.all()),
    }


def sheet_revision_needing_changes(*, user, sheet: PracticeSheetPage):
    """The workflow state of the author's own sheet sent back for changes, or a refusal."""
    if sheet.owner_id != user.pk:
        raise ActionRefused("Seule la personne qui a proposé la fiche peut la corriger.")
    state = (
        WorkflowState.objects.for_instance(sheet)
        .select_for_update()
        .filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .first()
    )
    if state is None:
        raise ActionRefused(
            "Cette fiche n'attend pas de modification : elle est en relecture ou déjà publiée."
        )
    return state


@transaction.atomic
def sheet_resubmit(
    *,
    user,
    sheet: PracticeSheetPage,
    title: str,
    summary: str,
    context: str,
    target_public: str,
    steps: list[Step],
    results: str = "",
    operators=(),
    contact: str = "",
    tags: list[str] = (),
) -> PracticeSheetPage:
    """The author corrects a sheet the review sent back and submits it again: a new
    revision, the same workflow resumed at the task that asked for changes, and the
    space's animateurs told."""
    state = sheet_revision_needing_changes(user=user, sheet=sheet)
    space = Space.objects.select_related("territory").get(territory_id=sheet.territory_id)
    _refuse_unless_may_post(user, space, "Vous ne pouvez plus proposer de fiche dans cet espace.")
    draft = sheet.get_latest_revision_as_object()
    draft.tags.clear()
    _fill(
        draft,
        title=title,
        summary=summary,
        context=context,
        target_public=target_public,
        steps=steps,
        results=results,
        operators=operators,
        contact=contact,
        tags=tags,
    )
    draft.draft_title = draft.title
    draft.save_revision(user=user, log_action=True)
    state.resume(user)
    _notify_reviewers(
        sheet=draft,
        space=space,
        user=user,
        title=f"{user.public_name} a corrigé sa fiche pratique « {draft.title} » : "
        "elle attend votre relecture",
    )
    return PracticeSheetPage.objects.get(pk=sheet.pk)


REVIEW_DECISIONS = frozenset({"approve", "reject"})


@transaction.atomic
def sheet_review_decide(
    *, sheet: PracticeSheetPage, by, decision: str, comment: str = ""
) -> PracticeSheetPage:
    """A reviewer's decision on a sheet in review, through Wagtail's workflow.

    "approve" publishes the sheet (its discussion opens, sheet_published); "reject" asks
    its author for changes, with a comment (sheet_rejected). Who may decide is the task's
    answer (community.permissions.may_review_sheet). Returns the sheet as it now is.
    """
    comment = (comment or "").strip()
    if decision not in REVIEW_DECISIONS:
        raise ActionRefused("Choisissez de publier la fiche ou de demander des modifications.")
    if decision == "reject" and not comment:
        raise ActionRefused(
            "Pour demander des modifications, dites dans le commentaire ce qu'il faut revoir : "
            "l'auteur ou l'autrice le recevra."
        )
    if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
        raise ActionRefused(
            f"Le commentaire compte au plus {REVIEW_COMMENT_MAX_LENGTH} caractères."
        )
    # The workflow state's row is the lock: of two reviewers deciding at once, one decides.
    state = (
        WorkflowState.objects.for_instance(sheet)
        .select_for_update()
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .first()
    )
    task_state = (
        TaskState.objects.filter(
            pk=state.current_task_state_id, status=TaskState.STATUS_IN_PROGRESS
        ).first()
        if state is not None
        else None
    )
    if task_state is None:
        raise ActionRefused(NOT_IN_REVIEW)
    task_state = task_state.specific
    task = task_state.task.specific
    if decision not in {name for name, _label, _modal in task.get_actions(sheet, by)}:
        raise ActionRefused(
            permissions.SHEET_REVIEWERS_ONLY
            if isinstance(task, SheetReviewTask)
            else "Cette fiche est relue dans l'administration du portail."
        )
    task.on_action(task_state, by, decision, comment=comment)
    return PracticeSheetPage.objects.get(pk=sheet.pk)


def _publisher(sheet: PracticeSheetPage, revision):
    """Who published: the approver of the sheet's workflow, else the revision's author."""
    approved = (
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(sheet),
            status=TaskState.STATUS_APPROVED,
        )
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if approved is not None and approved.finished_by is not None:
        return approved.finished_by
    return revision.user if revision is not None else None


@transaction.atomic
def sheet_published(*, sheet: PracticeSheetPage, revision=None) -> Topic | None:
    """On every publication (page_published): the first one opens the sheet's discussion
    and tells its author; later ones change nothing. Returns the discussion."""
    row = (
        PracticeSheetPage.objects.select_for_update()
        .filter(pk=sheet.pk)
        .values("discussion_topic_id", "territory_id", "owner_id")
        .first()
    )
    if row is None or row["discussion_topic_id"] is not None:
        return None
    space = Space.objects.filter(territory_id=row["territory_id"]).first()
    if space is None:
        return None
    topic = _discussion_create(sheet=sheet, space=space)
    PracticeSheetPage.objects.filter(pk=sheet.pk).update(discussion_topic=topic)
    sheet.discussion_topic = topic
    if sheet.owner_id is not None:
        notify(
            recipient=sheet.owner,
            kind=SHEET_REVIEWED,
            target=sheet,
            actor=_publisher(sheet, revision),
            context={
                "title": f"Votre fiche pratique « {sheet.title} » est publiée",
                "url": sheet.get_url() or "",
            },
        )
    return topic


def _markdown_text(text: str) -> str:
    # A title is text, not Markdown: "[", "*" or "_" in it must not make a link or emphasis.
    return "".join(f"\\{char}" if char in "\\`*_[]<>!#" else char for char in text)


def _discussion_forum(space: Space) -> Forum:
    forums = list(Forum.objects.filter(space=space).order_by("position", "name", "pk"))
    for forum in forums:
        if forum.slug == DISCUSSION_FORUM["slug"]:
            return forum
    if forums:
        return forums[0]
    try:
        with transaction.atomic():
            return Forum.objects.create(space=space, position=100, **DISCUSSION_FORUM)
    except IntegrityError:
        return Forum.objects.get(space=space, slug=DISCUSSION_FORUM["slug"])


def _discussion_create(*, sheet: PracticeSheetPage, space: Space) -> Topic:
    forum = _discussion_forum(space)
    now = timezone.now()
    author = sheet.owner
    topic = Topic.objects.create(
        forum=forum,
        author=author,
        title=f"Discussion : {sheet.title}"[:200],
        last_post_at=now,
    )
    body = (
        f"Discussion de la fiche pratique [{_markdown_text(sheet.title)}]"
        f"(<{sheet.get_url() or ''}>)."
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        position=0,
        body=body,
        body_html=render_markdown(body),
    )
    Topic.objects.filter(pk=topic.pk).update(last_post=post)
    Forum.objects.filter(pk=forum.pk).update(
        topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_post_at=now
    )
    Space.objects.filter(pk=space.pk).update(last_activity_at=now)
    if author is not None:
        # Posting watches the topic: the author hears of the discussion of their sheet.
        Watch.objects.get_or_create(user=author, topic=topic)
    return topic


def sheet_rejected(*, sheet: PracticeSheetPage, by, comment: str = "") -> None:
    """The review asked for changes (workflow_rejected): the author is told why."""
    if sheet.owner_id is None:
        return
    title = f"Votre fiche pratique « {sheet.title} » est à revoir"
    notify(
        recipient=sheet.owner,
        kind=SHEET_REVIEWED,
        target=sheet,
        actor=by,
        context={
            "title": title,
            "comment": comment,
            "url": reverse("community:my_sheets"),
        },
    )


def sheet_useful_toggle(*, user, sheet: PracticeSheetPage) -> bool:
    """ "Utile" on a sheet is "Utile" on its discussion's opening post, with the forums'
    rules (members who may post, not on one's own post). Returns the new state."""
    from community.forums.services import post_useful_toggle

    opening = (
        Post.objects.filter(topic_id=sheet.discussion_topic_id, position=0).first()
        if sheet.discussion_topic_id
        else None
    )
    if opening is None:
        raise ActionRefused("Cette fiche n'a pas encore de discussion.")
    return post_useful_toggle(post=opening, user=user)
