"""Thin views of the Communauté: they ask the policy, call a service, and say what
happened in French."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from community import permissions, selectors, services
from community import search as community_search
from community.chat.views import PANEL_MESSAGES, chat_panel_context
from community.forms import JoinRequestForm, MemberFilterForm
from community.models import JoinRequest, Membership, Space
from community.responses import refused, space_or_404

MEMBERS_PER_PAGE = 30


def _space_page(request, space: Space, *, join_form=None, status=200):
    context = selectors.space_page_context(space=space, user=request.user)
    if context["readable"]:
        context["chat"] = chat_panel_context(
            space=space, user=request.user, membership=context["membership"], limit=PANEL_MESSAGES
        )
    context["join_form"] = join_form or JoinRequestForm()
    context["title"] = f"Espace {space.name}"
    return render(request, "community/space_detail.html", context, status=status)


@require_GET
def index(request):
    context = selectors.space_directory(user=request.user)
    context["title"] = "Communauté"
    return render(request, "community/index.html", context)


@require_GET
def space_detail(request, slug):
    return _space_page(request, space_or_404(slug))


@require_POST
def space_join(request, slug):
    space = space_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(space.get_absolute_url())
    try:
        services.space_join(user=request.user, space=space)
    except services.RateLimited as refusal:
        messages.error(request, str(refusal))
        return _space_page(request, space, status=429)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Bienvenue dans l'espace {space.name} !")
    return redirect(space.get_absolute_url())


@require_POST
def space_join_request(request, slug):
    space = space_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(space.get_absolute_url())
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        # Shown again with what was typed: nothing is lost.
        messages.error(request, "Votre demande n'a pas été envoyée : corrigez votre message.")
        return _space_page(request, space, join_form=form, status=400)
    try:
        services.join_request_create(
            user=request.user, space=space, message=form.cleaned_data["message"]
        )
    except services.RateLimited as refusal:
        # Shown again with what was typed, to send later.
        messages.error(request, f"{refusal} Votre message est conservé ci-dessous.")
        return _space_page(request, space, join_form=form, status=429)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "Votre demande est envoyée aux animateurs de l'espace. "
            "Vous serez prévenu(e) de leur réponse.",
        )
    return redirect(space.get_absolute_url())


@login_required
@require_POST
def space_leave(request, slug):
    space = space_or_404(slug)
    try:
        services.space_leave(user=request.user, space=space)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Vous avez quitté l'espace {space.name}.")
    return redirect(space.get_absolute_url())


@login_required
@require_GET
def members(request, slug):
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_see_directory(user=request.user, space=space, membership=membership):
        return refused(
            request,
            space=space,
            reason="Cet espace est privé : seuls ses membres consultent l'annuaire.",
        )
    form = MemberFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"operator_slug": "", "structure": ""}
    paginator = Paginator(selectors.space_members(space=space, **filters), MEMBERS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "community/members.html",
        {
            "space": space,
            "form": form,
            "filtered": any(filters.values()),
            "page_obj": page_obj,
            "memberships": page_obj.object_list,
            "may_moderate": permissions.may_moderate(
                user=request.user, space=space, membership=membership
            ),
            "suspended_ids": {m.pk for m in page_obj.object_list if permissions.is_suspended(m)},
            "title": f"Membres — Espace {space.name}",
        },
    )


@login_required
@require_GET
def member(request, slug, user_id):
    """A member's card in the space: what the directory shows, and their latest posts."""
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_see_directory(user=request.user, space=space, membership=membership):
        return refused(
            request,
            space=space,
            reason="Cet espace est privé : seuls ses membres consultent l'annuaire.",
        )
    shown = selectors.space_member(space=space, user_id=user_id)
    if shown is None:
        raise Http404("Cette personne n'est pas membre de l'espace.")
    return render(
        request,
        "community/member.html",
        {
            "space": space,
            "membership": shown,
            "member": shown.user,
            "posts": selectors.member_recent_posts(space=space, user_id=user_id),
            "title": f"{shown.user.public_name} — Espace {space.name}",
        },
    )


@login_required
@require_POST
def member_role(request, slug, user_id):
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_moderate(user=request.user, space=space, membership=membership):
        return refused(
            request, space=space, reason="Seuls les animateurs de l'espace attribuent les rôles."
        )
    # Only a member of the space can be given a role from its directory.
    target = get_object_or_404(
        Membership.objects.select_related("user"), space=space, user_id=user_id
    ).user
    role = request.POST.get("role", "")
    try:
        services.membership_set_role(space=space, user=target, role=role, by=request.user)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if role == Membership.Role.ANIMATOR:
            messages.success(request, f"{target.public_name} anime désormais l'espace.")
        else:
            messages.success(request, f"{target.public_name} n'anime plus l'espace.")
    return redirect(reverse("community:members", kwargs={"slug": space.slug}))


def _moderator_or_refusal(request, space: Space):
    membership = permissions.membership_of(user=request.user, space=space)
    if permissions.may_moderate(user=request.user, space=space, membership=membership):
        return None
    return refused(
        request, space=space, reason="Seuls les animateurs de l'espace décident des adhésions."
    )


@login_required
@require_GET
def join_requests(request, slug):
    space = space_or_404(slug)
    refusal = _moderator_or_refusal(request, space)
    if refusal is not None:
        return refusal
    return render(
        request,
        "community/join_requests.html",
        {
            "space": space,
            "join_requests": selectors.join_requests_pending(space=space),
            "title": f"Demandes d'adhésion — Espace {space.name}",
        },
    )


@login_required
@require_POST
def join_request_decide(request, slug, pk):
    space = space_or_404(slug)
    refusal = _moderator_or_refusal(request, space)
    if refusal is not None:
        return refusal
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"),
        pk=pk,
        space=space,
        status=JoinRequest.Status.PENDING,
    )
    decision = request.POST.get("decision")
    if decision not in {"accept", "decline"}:
        messages.error(request, "Choisissez d'accepter ou de refuser la demande.")
        return redirect("community:join_requests", slug=space.slug)
    accept = decision == "accept"
    try:
        services.join_request_decide(join_request=join_request, by=request.user, accept=accept)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        name = join_request.user.public_name
        if accept:
            messages.success(request, f"Demande acceptée : {name} est membre de l'espace.")
        else:
            messages.success(request, f"Demande de {name} refusée. Cette personne est prévenue.")
    return redirect("community:join_requests", slug=space.slug)


@require_GET
def space_search(request, slug):
    """Search the topics and replies of one space (readable ones only)."""
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_read_space(user=request.user, space=space, membership=membership):
        return refused(
            request,
            space=space,
            reason="Cet espace est privé : ses discussions sont réservées à ses membres.",
        )
    query = request.GET.get("q", "").strip()[:200]
    results = (
        community_search.topics_and_posts(query=query, user=request.user, space=space)
        if query
        else []
    )
    page_obj = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "community/space_search.html",
        {
            "space": space,
            "query": query,
            "page_obj": page_obj,
            "title": f"Rechercher dans l'espace {space.name}",
        },
    )
