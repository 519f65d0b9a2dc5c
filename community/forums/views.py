"""Thin views of the forums: they ask the policy, call a selector or a service, and
say what happened in French.

What a user may not read is a 404 (a private space's topics and files do not
exist for outsiders); what they may read but not do is a French refusal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.forums import selectors, services
from community.forums.forms import (
    ForumForm,
    PostEditForm,
    ReplyForm,
    TopicFilterForm,
    TopicForm,
)
from community.models import Attachment, Forum, Post, Space
from community.responses import refused, space_or_404

UNREAD_PARAM = "non-lu"
QUOTE_PARAM = "citer"


# --- Helpers -------------------------------------------------------------------------


class _Access:
    """The user's standing in a space, asked once per request."""

    def __init__(self, user, space: Space):
        self.membership = permissions.membership_of(user=user, space=space)
        self.readable = permissions.may_read_space(
            user=user, space=space, membership=self.membership
        )
        self.may_moderate = permissions.may_moderate(
            user=user, space=space, membership=self.membership
        )
        self.post_refusal = permissions.post_refusal(
            user=user, space=space, membership=self.membership
        )


def _readable_or_404(user, space: Space) -> _Access:
    access = _Access(user, space)
    if not access.readable:
        raise Http404
    return access


def _refused(request, *, space: Space, reason: str, status: int = 403):
    return refused(request, space=space, reason=reason, title="Action refusée", status=status)


def _back(request, fallback: str):
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _mentions_url(space: Space) -> str:
    return reverse("community:mention_autocomplete", kwargs={"slug": space.slug})


def _post_location(request, post: Post, access: _Access) -> str:
    """`…/<topic>/?page=N#post-<id>`: the page on which this user sees the post."""
    page = selectors.post_page_number(
        post=post, user=request.user, may_moderate=access.may_moderate
    )
    url = post.topic.get_absolute_url()
    if page > 1:
        url += f"?page={page}"
    return f"{url}#post-{post.pk}"


def _quote_initial(post: Post) -> str:
    lines = post.body.strip().splitlines() or [""]
    author = post.author.public_name if post.author else "Un membre"
    return f"> {author} a écrit :\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"


def _post_or_404(request, pk: int) -> tuple[Post, _Access]:
    """A post this user may see, with the user's standing in its space."""
    post = selectors.post_with_context(pk=pk)
    if post is None:
        raise Http404
    access = _readable_or_404(request.user, post.topic.forum.space)
    if not permissions.may_see_post(
        user=request.user, post=post, may_moderate=access.may_moderate
    ) or not permissions.may_see_topic(
        user=request.user, topic=post.topic, may_moderate=access.may_moderate
    ):
        raise Http404
    return post, access


# --- Forum ---------------------------------------------------------------------------


@require_GET
def forum(request, slug, forum):
    forum_obj = selectors.forum_by_slugs(space_slug=slug, forum_slug=forum, user=request.user)
    if forum_obj is None:
        raise Http404
    space = forum_obj.space
    access = _readable_or_404(request.user, space)
    form = TopicFilterForm(request.GET or None, tags=selectors.forum_tags(forum=forum_obj))
    filters = form.filters()
    paginator = Paginator(
        selectors.forum_topics(
            forum=forum_obj, user=request.user, may_moderate=access.may_moderate, **filters
        ),
        selectors.TOPICS_PER_PAGE,
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "community/forums/forum.html",
        {
            "space": space,
            "forum": forum_obj,
            "form": form,
            "filtered": any(filters.values()),
            "page_obj": page_obj,
            "topics": selectors.topics_mark_unread(page_obj.object_list, user=request.user),
            "access": access,
            "title": f"{forum_obj.name} — Espace {space.name}",
        },
    )


@require_http_methods(["GET", "POST"])
def topic_create(request, slug, forum):
    forum_obj = selectors.forum_by_slugs(space_slug=slug, forum_slug=forum, user=request.user)
    if forum_obj is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    space = forum_obj.space
    access = _readable_or_404(request.user, space)
    if access.post_refusal:
        return _refused(request, space=space, reason=access.post_refusal)
    status = 200
    error = None
    form = TopicForm(request.POST or None, request.FILES or None, mentions_url=_mentions_url(space))
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                topic = services.topic_create(
                    forum=forum_obj,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                    files=form.cleaned_data["attachments"],
                )
            except services.RateLimited as refusal:
                error, status = str(refusal), 429
            except services.ActionRefused as refusal:
                error, status = str(refusal), 403
            else:
                if topic.last_post_id is None:
                    messages.info(
                        request,
                        "Votre sujet est enregistré : il sera visible de tous dès qu'un "
                        "animateur ou une animatrice l'aura validé.",
                    )
                else:
                    messages.success(request, "Votre sujet est publié.")
                return redirect(topic.get_absolute_url())
    return render(
        request,
        "community/forums/topic_form.html",
        {
            "space": space,
            "forum": forum_obj,
            "form": form,
            "error": error,
            "title": f"Nouveau sujet — {forum_obj.name}",
        },
        status=status,
    )


@login_required
@require_POST
def forum_watch(request, slug, forum):
    forum_obj = selectors.forum_by_slugs(space_slug=slug, forum_slug=forum, user=request.user)
    if forum_obj is None:
        raise Http404
    return _watch(request, forum_obj, forum_obj.space, fallback=forum_obj.get_absolute_url())


# --- Topic ---------------------------------------------------------------------------


def _topic_or_404(request, slug, forum, pk):
    topic = selectors.topic_for_page(pk=pk, user=request.user)
    if topic is None:
        raise Http404
    access = _readable_or_404(request.user, topic.forum.space)
    if not permissions.may_see_topic(
        user=request.user, topic=topic, may_moderate=access.may_moderate
    ):
        raise Http404
    return topic, access


def _topic_page(request, topic, access: _Access, *, reply_form=None, error=None, status=200):
    user = request.user
    space = topic.forum.space
    paginator = Paginator(
        selectors.topic_posts(topic=topic, user=user, may_moderate=access.may_moderate),
        selectors.POSTS_PER_PAGE,
    )
    page = request.GET.get("page")
    if reply_form is not None:
        page = paginator.num_pages  # a refused reply comes back under the latest posts
    page_obj = paginator.get_page(page)
    posts = list(page_obj.object_list)
    for post in posts:
        post.content_visible = permissions.may_see_post_content(
            user=user, post=post, may_moderate=access.may_moderate
        )
        post.is_mine = user.is_authenticated and post.author_id == user.pk
    accepted = topic.accepted_post
    if accepted is not None and accepted.state != Post.State.PUBLISHED:
        accepted = None
    reply_refusal = permissions.reply_refusal(
        user=user, topic=topic, space=space, membership=access.membership
    )
    if reply_form is None and not reply_refusal:
        initial = {}
        quoted_id = request.GET.get(QUOTE_PARAM, "")
        quoted = next((p for p in posts if str(p.pk) == quoted_id), None)
        if quoted is None and quoted_id.isdigit():
            quoted = (
                selectors.visible_posts(topic=topic, user=user, may_moderate=access.may_moderate)
                .select_related("author")
                .filter(pk=quoted_id)
                .first()
            )
        if quoted is not None and quoted.state == Post.State.PUBLISHED:
            initial = {"body": _quote_initial(quoted), "quoted": quoted.pk}
        reply_form = ReplyForm(initial=initial, mentions_url=_mentions_url(space))
    last_read = getattr(topic, "last_read", None)
    if user.is_authenticated and posts:
        services.topic_read_mark(
            user=user, topic=topic, position=posts[-1].position, known=last_read
        )
    has_unread = bool(
        user.is_authenticated
        and topic.last_post_id is not None
        and last_read is not None
        and last_read < topic.last_post.position
    )
    may_accept = (
        permissions.accept_refusal(
            user=user, topic=topic, space=space, membership=access.membership
        )
        is None
    )
    return render(
        request,
        "community/forums/topic.html",
        {
            "space": space,
            "forum": topic.forum,
            "topic": topic,
            "posts": posts,
            "accepted": accepted,
            "page_obj": page_obj,
            "access": access,
            "may_accept": may_accept,
            "reply_form": reply_form,
            "reply_refusal": reply_refusal,
            "reply_error": error,
            "has_unread": has_unread,
            "unread_param": UNREAD_PARAM,
            "title": f"{topic.title} — {topic.forum.name}",
        },
        status=status,
    )


@require_GET
def topic(request, slug, forum, pk):
    topic, access = _topic_or_404(request, slug, forum, pk)
    canonical = topic.get_absolute_url()
    if request.path != canonical:
        # A moved topic keeps its old addresses.
        query = request.GET.urlencode()
        return HttpResponseRedirect(canonical + (f"?{query}" if query else ""))
    if request.GET.get(UNREAD_PARAM) and request.user.is_authenticated:
        last_read = topic.last_read
        target = None
        if last_read is not None:
            target = selectors.first_unread_post(
                topic=topic, user=request.user, may_moderate=access.may_moderate, after=last_read
            )
        if target is None:
            return redirect(canonical)
        target.topic = topic
        return redirect(_post_location(request, target, access))
    return _topic_page(request, topic, access)


@require_POST
def post_reply(request, slug, forum, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(
            reverse("community:topic", kwargs={"slug": slug, "forum": forum, "pk": pk})
        )
    topic, access = _topic_or_404(request, slug, forum, pk)
    form = ReplyForm(request.POST, request.FILES, mentions_url=_mentions_url(topic.forum.space))
    if not form.is_valid():
        return _topic_page(request, topic, access, reply_form=form, status=400)
    quoted = None
    if form.cleaned_data["quoted"]:
        quoted = Post.objects.filter(pk=form.cleaned_data["quoted"], topic=topic).first()
    try:
        post = services.post_create(
            topic=topic,
            author=request.user,
            body=form.cleaned_data["body"],
            quoted=quoted,
            files=form.cleaned_data["attachments"],
        )
    except services.RateLimited as refusal:
        return _topic_page(request, topic, access, reply_form=form, error=str(refusal), status=429)
    except services.ActionRefused as refusal:
        return _topic_page(request, topic, access, reply_form=form, error=str(refusal), status=403)
    if post.state == Post.State.PENDING:
        messages.info(
            request,
            "Votre réponse est enregistrée : elle sera visible de tous dès qu'un animateur "
            "ou une animatrice l'aura validée.",
        )
    else:
        messages.success(request, "Votre réponse est publiée.")
    post.topic = topic
    return redirect(_post_location(request, post, access))


@login_required
@require_POST
def topic_watch(request, slug, forum, pk):
    topic, _access = _topic_or_404(request, slug, forum, pk)
    return _watch(request, topic, topic.forum.space, fallback=topic.get_absolute_url())


# --- Posts ---------------------------------------------------------------------------


@require_GET
def post(request, pk):
    """The stable address of a post: redirects to `…/<topic>/?page=N#post-<id>`."""
    post, access = _post_or_404(request, pk)
    return redirect(_post_location(request, post, access))


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post, access = _post_or_404(request, pk)
    space = post.topic.forum.space
    refusal = permissions.edit_refusal(
        user=request.user, post=post, space=space, membership=access.membership
    )
    if refusal:
        return _refused(request, space=space, reason=refusal)
    form = PostEditForm(
        request.POST or None, initial={"body": post.body}, mentions_url=_mentions_url(space)
    )
    status = 200
    error = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
            except services.ActionRefused as refusal:
                error, status = str(refusal), 403
            else:
                messages.success(request, "Votre message est modifié.")
                return redirect(_post_location(request, post, access))
    return render(
        request,
        "community/forums/post_edit.html",
        {
            "space": space,
            "forum": post.topic.forum,
            "topic": post.topic,
            "post": post,
            "form": form,
            "error": error,
            "title": f"Modifier mon message — {post.topic.title}",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    post, access = _post_or_404(request, pk)
    space = post.topic.forum.space
    refusal = permissions.edit_refusal(
        user=request.user, post=post, space=space, membership=access.membership
    )
    if refusal:
        return _refused(request, space=space, reason=refusal)
    if request.method == "POST":
        try:
            services.post_delete(post=post, by=request.user)
        except services.ActionRefused as refusal:
            return _refused(request, space=space, reason=str(refusal))
        messages.success(request, "Votre message est supprimé.")
        return redirect(_post_location(request, post, access))
    return render(
        request,
        "community/forums/post_delete.html",
        {
            "space": space,
            "forum": post.topic.forum,
            "topic": post.topic,
            "post": post,
            "title": f"Supprimer mon message — {post.topic.title}",
        },
    )


@login_required
@require_POST
def post_useful(request, pk):
    post, access = _post_or_404(request, pk)
    try:
        marked = services.post_useful_toggle(post=post, user=request.user)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "Message marqué comme utile." if marked else "Message retiré de vos « utiles ».",
        )
    return redirect(_post_location(request, post, access))


@login_required
@require_POST
def answer_accept(request, pk):
    post, access = _post_or_404(request, pk)
    try:
        if post.topic.accepted_post_id == post.pk:
            services.answer_unaccept(topic=post.topic, by=request.user)
            messages.success(request, "Ce message n'est plus la réponse acceptée.")
        else:
            services.answer_accept(post=post, by=request.user)
            messages.success(request, "Réponse acceptée : elle s'affiche sous la question.")
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(_post_location(request, post, access))


@login_required
@require_GET
def post_revisions(request, pk):
    post, access = _post_or_404(request, pk)
    space = post.topic.forum.space
    if not access.may_moderate:
        return _refused(
            request,
            space=space,
            reason="Seuls les animateurs de l'espace consultent l'historique des messages.",
        )
    return render(
        request,
        "community/forums/post_revisions.html",
        {
            "space": space,
            "forum": post.topic.forum,
            "topic": post.topic,
            "post": post,
            "revisions": selectors.post_revisions(post=post),
            "title": f"Historique d'un message — {post.topic.title}",
        },
    )


@require_GET
def attachment(request, pk):
    """A file, only to those who may read its post, always downloaded (never rendered)."""
    found = get_object_or_404(
        Attachment.objects.select_related("post__topic__forum__space__territory"), pk=pk
    )
    post = found.post
    access = _readable_or_404(request.user, post.topic.forum.space)
    if not permissions.may_see_post_content(
        user=request.user, post=post, may_moderate=access.may_moderate
    ) or not permissions.may_see_topic(
        user=request.user, topic=post.topic, may_moderate=access.may_moderate
    ):
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Space-wide ----------------------------------------------------------------------


def _watch(request, target, space: Space, *, fallback: str):
    _readable_or_404(request.user, space)
    watching = request.POST.get("watch") == "1"
    try:
        services.watch_set(user=request.user, target=target, watching=watching)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if watching:
            messages.success(
                request, "Vous suivez désormais ces échanges : vous serez prévenu(e) des réponses."
            )
        else:
            messages.success(request, "Vous ne suivez plus ces échanges.")
    return _back(request, fallback)


@login_required
@require_POST
def space_watch(request, slug):
    space = space_or_404(slug)
    return _watch(request, space, space, fallback=space.get_absolute_url())


@login_required
@require_GET
def mention_autocomplete(request, slug):
    space = space_or_404(slug)
    _readable_or_404(request.user, space)
    suggestions = selectors.mention_suggestions(space=space, query=request.GET.get("q", ""))
    return JsonResponse(suggestions, safe=False)


# --- Forums of a space (animateurs) ---------------------------------------------------


def _space_for_managers(request, slug):
    """The space, and a refusal page when this user may not manage its forums."""
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_moderate(user=request.user, space=space, membership=membership):
        return space, _refused(request, space=space, reason=services.FORUM_MANAGERS_ONLY)
    return space, None


def _managed_forum_or_404(space: Space, pk: int) -> Forum:
    return get_object_or_404(Forum.objects.select_related("space__territory"), pk=pk, space=space)


def _manage_page(request, space: Space, *, form, status=200):
    return render(
        request,
        "community/forums/manage.html",
        {
            "space": space,
            "forums": selectors.forums_for_management(space=space),
            "form": form,
            "title": f"Gérer les forums — Espace {space.name}",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_manage(request, slug):
    """The forums of a space in their order, with their tools, and the form to add one."""
    space, refusal = _space_for_managers(request, slug)
    if refusal is not None:
        return refusal
    form = ForumForm(request.POST or None)
    if request.method == "GET":
        return _manage_page(request, space, form=form)
    if form.is_valid():
        try:
            forum_obj = services.forum_create(
                space=space,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Le forum « {forum_obj.name} » est créé.")
            return redirect(services.forum_manage_url(space))
    return _manage_page(request, space, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def forum_edit(request, slug, pk):
    space, refusal = _space_for_managers(request, slug)
    if refusal is not None:
        return refusal
    forum_obj = _managed_forum_or_404(space, pk)
    form = ForumForm(
        request.POST or None,
        initial={"name": forum_obj.name, "description": forum_obj.description},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.forum_update(
                    forum=forum_obj,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except services.ActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Le forum est modifié.")
                return redirect(services.forum_manage_url(space))
    return render(
        request,
        "community/forums/forum_edit.html",
        {
            "space": space,
            "forum": forum_obj,
            "form": form,
            "title": f"Modifier le forum « {forum_obj.name} » — Espace {space.name}",
        },
        status=status,
    )


@login_required
@require_POST
def forum_reorder(request, slug, pk):
    space, refusal = _space_for_managers(request, slug)
    if refusal is not None:
        return refusal
    forum_obj = _managed_forum_or_404(space, pk)
    direction = request.POST.get("direction", "")
    try:
        forums = services.forum_reorder(forum=forum_obj, by=request.user, direction=direction)
    except services.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        rank = next(i for i, f in enumerate(forums, start=1) if f.pk == forum_obj.pk)
        messages.success(
            request, f"« {forum_obj.name} » est maintenant en position {rank} sur {len(forums)}."
        )
    return redirect(f"{services.forum_manage_url(space)}#forum-{forum_obj.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def forum_delete(request, slug, pk):
    space, refusal = _space_for_managers(request, slug)
    if refusal is not None:
        return refusal
    forum_obj = _managed_forum_or_404(space, pk)
    error = None
    status = 200
    if request.method == "POST":
        try:
            services.forum_delete(forum=forum_obj, by=request.user)
        except services.ActionRefused as refusal:
            error, status = str(refusal), 400
        else:
            messages.success(request, f"Le forum « {forum_obj.name} » est supprimé.")
            return redirect(services.forum_manage_url(space))
    return render(
        request,
        "community/forums/forum_delete.html",
        {
            "space": space,
            "forum": forum_obj,
            "topic_total": selectors.forum_topic_total(forum=forum_obj),
            "error": error,
            "title": f"Supprimer le forum « {forum_obj.name} » — Espace {space.name}",
        },
        status=status,
    )
