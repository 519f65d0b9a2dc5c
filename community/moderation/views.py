"""Thin views of moderation: they ask the policy, call a service, and say what happened
in French. Actions are POST only; a refused permission is a 403 page, any other
refusal a message on the page the animateur came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.models import Membership, Post, Report, Space
from community.moderation import selectors, services
from community.moderation.forms import (
    ReportDecisionForm,
    ReportForm,
    SuspensionForm,
    TopicMoveForm,
    TopicRetitleForm,
)
from community.responses import refused, space_or_404

LOG_PER_PAGE = 50
MODERATORS_ONLY = "Seuls les animateurs de l'espace ont accès à la modération."


# --- Helpers ----------------------------------------------------------------------------


def _back(request, fallback: str):
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _post_or_404(pk: int) -> Post:
    post = selectors.post_for_moderation(pk)
    if post is None:
        raise Http404
    return post


def _topic_or_404(pk: int):
    topic = selectors.topic_for_moderation(pk)
    if topic is None:
        raise Http404
    return topic


def _may_moderate(request, space: Space) -> bool:
    membership = permissions.membership_of(user=request.user, space=space)
    return permissions.may_moderate(user=request.user, space=space, membership=membership)


def _queue_url(space: Space) -> str:
    return reverse("community:moderation_queue", kwargs={"slug": space.slug})


def _act(request, *, space: Space, fallback, action, success: str):
    """Run a moderation service; say what happened and go back where the animateur was.

    `fallback` is a URL, or a function of the service's result when the action
    changes the address (a moved topic).
    """
    try:
        result = action()
    except services.PermissionRefused as refusal:
        return refused(request, space=space, reason=str(refusal))
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
        result = None
    else:
        messages.success(request, success)
    if callable(fallback):
        fallback = fallback(result)
    return _back(request, fallback)


# --- Pages of the animateurs ------------------------------------------------------------


@login_required
@require_GET
def queue(request, slug):
    space = space_or_404(slug)
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    context = selectors.moderation_queue(space=space)
    context.update(
        {
            "space": space,
            "note_max_length": services.DECISION_NOTE_MAX_LENGTH,
            "title": f"Modération — Espace {space.name}",
        }
    )
    return render(request, "community/moderation/queue.html", context)


@login_required
@require_GET
def log(request, slug):
    space = space_or_404(slug)
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    paginator = Paginator(selectors.moderation_log(space=space), LOG_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "community/moderation/log.html",
        {
            "space": space,
            "page_obj": page_obj,
            "entries": page_obj.object_list,
            "title": f"Journal de modération — Espace {space.name}",
        },
    )


@login_required
@require_GET
def post_revisions(request, pk):
    post = _post_or_404(pk)
    space = post.topic.forum.space
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    return render(
        request,
        "community/moderation/post_revisions.html",
        {
            "space": space,
            "post": post,
            "post_url": services.post_url(post),
            "revisions": selectors.post_revisions(post=post),
            "title": f"Historique d'un message — {post.topic.title}",
        },
    )


# --- Reports ----------------------------------------------------------------------------


def _report_page(request, *, post: Post, form: ReportForm, status: int = 200):
    return render(
        request,
        "community/moderation/report_form.html",
        {
            "space": post.topic.forum.space,
            "post": post,
            "post_url": services.post_url(post),
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "title": f"Signaler un message — {post.topic.title}",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request, pk):
    post = _post_or_404(pk)
    space = post.topic.forum.space
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_read_space(user=request.user, space=space, membership=membership):
        return refused(
            request,
            space=space,
            reason="Seuls les membres de cet espace privé peuvent signaler ses messages.",
        )
    if post.state != Post.State.PUBLISHED:
        raise Http404
    if request.method == "GET":
        return _report_page(request, post=post, form=ReportForm())
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, post=post, form=form, status=400)
    try:
        services.post_report(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
    except services.PermissionRefused as refusal:
        return refused(request, space=space, reason=str(refusal))
    except services.ActionRefused as refusal:
        # The form comes back with the reason as typed: nothing is lost.
        form.add_error(None, str(refusal))
        status = 429 if isinstance(refusal, services.RateLimited) else 400
        return _report_page(request, post=post, form=form, status=status)
    messages.success(request, "Merci : votre signalement est transmis aux animateurs de l'espace.")
    return _back(request, services.post_url(post))


@login_required
@require_POST
def report_handle(request, pk):
    report = selectors.report_for_handling(pk)
    if report is None:
        raise Http404
    space = report.post.topic.forum.space if report.post_id else report.chat_message.room.space
    form = ReportDecisionForm(request.POST)
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, _queue_url(space))
    decision = form.cleaned_data["decision"]
    hidden = "Message supprimé de la discussion." if report.chat_message_id else "Message masqué."
    success = (
        f"{hidden} Les personnes qui l'avaient signalé sont prévenues."
        if decision == Report.Status.HIDDEN
        else "Signalement classé sans suite. Les personnes qui l'avaient signalé sont prévenues."
    )
    return _act(
        request,
        space=space,
        fallback=_queue_url(space),
        action=lambda: services.report_handle(
            report=report, by=request.user, decision=decision, note=form.cleaned_data["note"]
        ),
        success=success,
    )


# --- Posts ------------------------------------------------------------------------------


@login_required
@require_POST
def post_hide(request, pk):
    post = _post_or_404(pk)
    return _act(
        request,
        space=post.topic.forum.space,
        fallback=services.post_url(post),
        action=lambda: services.post_hide(
            post=post, by=request.user, note=request.POST.get("note", "")[:300]
        ),
        success="Message masqué : seuls les animateurs le voient désormais.",
    )


@login_required
@require_POST
def post_restore(request, pk):
    post = _post_or_404(pk)
    return _act(
        request,
        space=post.topic.forum.space,
        fallback=services.post_url(post),
        action=lambda: services.post_restore(post=post, by=request.user),
        success="Message rétabli : il est de nouveau visible de tous.",
    )


@login_required
@require_POST
def post_approve(request, pk):
    post = _post_or_404(pk)
    space = post.topic.forum.space
    return _act(
        request,
        space=space,
        fallback=_queue_url(space),
        action=lambda: services.post_approve(post=post, by=request.user),
        success="Message approuvé : il est publié.",
    )


# --- Topics -----------------------------------------------------------------------------


def _flag(request, name: str) -> bool | None:
    return {"1": True, "0": False}.get(request.POST.get(name, ""))


@login_required
@require_POST
def topic_pin(request, pk):
    topic = _topic_or_404(pk)
    space = topic.forum.space
    pinned = _flag(request, "pinned")
    if pinned is None:
        messages.error(request, "Choisissez d'épingler ou de désépingler le sujet.")
        return _back(request, topic.get_absolute_url())
    return _act(
        request,
        space=space,
        fallback=topic.get_absolute_url(),
        action=lambda: services.topic_pin(topic=topic, by=request.user, pinned=pinned),
        success="Sujet épinglé en tête du forum." if pinned else "Sujet désépinglé.",
    )


@login_required
@require_POST
def topic_lock(request, pk):
    topic = _topic_or_404(pk)
    space = topic.forum.space
    locked = _flag(request, "locked")
    if locked is None:
        messages.error(request, "Choisissez de verrouiller ou de déverrouiller le sujet.")
        return _back(request, topic.get_absolute_url())
    return _act(
        request,
        space=space,
        fallback=topic.get_absolute_url(),
        action=lambda: services.topic_lock(topic=topic, by=request.user, locked=locked),
        success="Sujet verrouillé : plus personne ne peut y répondre."
        if locked
        else "Sujet déverrouillé : les membres peuvent de nouveau y répondre.",
    )


def _topic_form_page(request, *, template: str, topic, form, title: str, status: int = 200):
    return render(
        request,
        template,
        {"space": topic.forum.space, "topic": topic, "form": form, "title": title},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_move(request, pk):
    topic = _topic_or_404(pk)
    space = topic.forum.space
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    form = TopicMoveForm(
        request.POST if request.method == "POST" else None,
        space=space,
        initial={"forum": topic.forum_id},
    )
    if request.method == "GET" or not form.is_valid():
        return _topic_form_page(
            request,
            template="community/moderation/topic_move.html",
            topic=topic,
            form=form,
            title=f"Déplacer le sujet — {topic.title}",
            status=200 if request.method == "GET" else 400,
        )
    forum = form.cleaned_data["forum"]
    return _act(
        request,
        space=space,
        fallback=lambda moved: (moved or topic).get_absolute_url(),
        action=lambda: services.topic_move(topic=topic, by=request.user, forum=forum),
        success=f"Sujet déplacé dans le forum « {forum.name} ».",
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_retitle(request, pk):
    topic = _topic_or_404(pk)
    space = topic.forum.space
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    form = TopicRetitleForm(
        request.POST if request.method == "POST" else None, initial={"title": topic.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_retitle(topic=topic, by=request.user, title=form.cleaned_data["title"])
        except services.PermissionRefused as refusal:
            return refused(request, space=space, reason=str(refusal))
        except services.ActionRefused as refusal:
            form.add_error("title", str(refusal))
        else:
            messages.success(request, "Titre du sujet modifié.")
            return _back(request, topic.get_absolute_url())
    return _topic_form_page(
        request,
        template="community/moderation/topic_retitle.html",
        topic=topic,
        form=form,
        title=f"Modifier le titre — {topic.title}",
        status=200 if request.method == "GET" else 400,
    )


# --- Members ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_suspend(request, slug, user_id):
    space = space_or_404(slug)
    if not _may_moderate(request, space):
        return refused(request, space=space, reason=MODERATORS_ONLY)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), space=space, user_id=user_id
    )
    member = membership.user
    members_url = reverse("community:members", kwargs={"slug": space.slug})
    if request.method == "POST" and "lift" in request.POST:
        return _act(
            request,
            space=space,
            fallback=members_url,
            action=lambda: services.member_unsuspend(space=space, user=member, by=request.user),
            success=f"Suspension levée : {member.public_name} peut de nouveau publier.",
        )
    form = SuspensionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.member_suspend(
                space=space,
                user=member,
                by=request.user,
                until=form.until(),
                reason=form.cleaned_data["reason"],
            )
        except services.PermissionRefused as refusal:
            return refused(request, space=space, reason=str(refusal))
        except services.ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            until = timezone.localtime(updated.suspended_until)
            messages.success(
                request,
                f"{member.public_name} est suspendu(e) de l'espace jusqu'au "
                f"{until:%d/%m/%Y à %H:%M} : lecture seule.",
            )
            return _back(request, members_url)
    return render(
        request,
        "community/moderation/member_suspend.html",
        {
            "space": space,
            "membership": membership,
            "member": member,
            "suspended": permissions.is_suspended(membership),
            "form": form,
            "members_url": members_url,
            "title": f"Suspendre {member.public_name} — Espace {space.name}",
        },
        status=200 if request.method == "GET" else 400,
    )
