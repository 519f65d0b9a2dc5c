"""Every write of the forums: topics, replies, edits, reactions, answers, reading, watching.

Counters on Topic, Forum and Space are denormalised for listings and kept here,
in the same transaction as the write that changes them. Notifications go
through portal.notifications.services.notify, which schedules e-mails on commit.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from community import permissions
from community.forums import notifications as kinds
from community.forums.attachments import MAX_PER_POST, attachment_refusal, sniff
from community.forums.mentions import mentioned_memberships, render_with_mentions
from community.models import (
    Attachment,
    Forum,
    Membership,
    ModerationLogEntry,
    Post,
    PostRevision,
    Reaction,
    Space,
    Topic,
    TopicRead,
    Watch,
)
from community.services import ActionRefused, RateLimited
from portal.notifications.models import Notification
from portal.notifications.services import notify
from portal.ratelimit import Window, take

__all__ = ["ActionRefused", "RateLimited"]

POST_INTERVAL_SECONDS = 10
POSTS_PER_HOUR = 30
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
MAX_TAGS = 5
TAG_MAX_LENGTH = 50


# --- Rate limit ----------------------------------------------------------------------
# A burst lock (one post per interval) and an hourly window (community.services).


def _rate_windows(user) -> list[Window]:
    return [
        Window(f"community:posts:hour:{user.pk}", POSTS_PER_HOUR, 3600),
        Window(f"community:posts:burst:{user.pk}", 1, POST_INTERVAL_SECONDS),
    ]


def rate_limit_reset(*, user) -> None:
    """Forget a user's posting counters (demo seeding writes many posts at once)."""
    cache.delete_many([window.key for window in _rate_windows(user)])


def _rate_limit_take(*, user) -> None:
    _hour, burst = windows = _rate_windows(user)
    full = take(windows)
    if full is None:
        return
    if full is burst:
        raise RateLimited(
            f"Patientez {POST_INTERVAL_SECONDS} secondes entre deux messages, puis publiez "
            "à nouveau : votre texte est conservé ci-dessous."
        )
    raise RateLimited(
        f"Vous avez publié {POSTS_PER_HOUR} messages en une heure : c'est le maximum. "
        "Réessayez plus tard ; votre texte est conservé ci-dessous."
    )


# --- Helpers -------------------------------------------------------------------------


def _check_may_post(*, user, space: Space, membership: Membership | None) -> None:
    refusal = permissions.post_refusal(user=user, space=space, membership=membership)
    if refusal:
        raise ActionRefused(refusal)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ActionRefused("Écrivez votre message avant de le publier.")
    if len(body) > BODY_MAX_LENGTH:
        raise ActionRefused(f"Un message compte au plus {BODY_MAX_LENGTH} caractères.")
    return body


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, without duplicates (case-insensitive)."""
    seen, tags = set(), []
    for raw in (text or "").split(","):
        tag = " ".join(raw.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


def _check_tags(tags) -> list[str]:
    tags = parse_tags(",".join(tags))
    if len(tags) > MAX_TAGS:
        raise ActionRefused(f"Un sujet porte au plus {MAX_TAGS} étiquettes.")
    for tag in tags:
        if len(tag) > TAG_MAX_LENGTH:
            raise ActionRefused(f"L'étiquette « {tag[:20]}… » dépasse {TAG_MAX_LENGTH} caractères.")
    return tags


def _check_files(files) -> list:
    files = list(files or [])
    if len(files) > MAX_PER_POST:
        raise ActionRefused(f"Joignez au plus {MAX_PER_POST} fichiers à un message.")
    for file in files:
        refusal = attachment_refusal(file)
        if refusal:
            raise ActionRefused(refusal)
    return files


def _attach(*, post: Post, files) -> None:
    for file in files:
        found = sniff(file)
        original_name = (file.name or "fichier")[-255:]
        attachment = Attachment(
            post=post, original_name=original_name, content_type=found.content_type, size=file.size
        )
        # A random stored name: the original one is kept for the download only.
        attachment.file.save(f"{uuid.uuid4().hex}.{found.extensions[0]}", file, save=False)
        attachment.save()


def _is_premoderated(*, user, space: Space, membership: Membership | None) -> bool:
    if not space.premoderate_first_posts:
        return False
    if permissions.may_moderate(user=user, space=space, membership=membership):
        return False
    published = Post.objects.filter(
        author=user, topic__forum__space=space, state=Post.State.PUBLISHED
    ).count()
    return published < space.premoderate_first_posts


def _next_position(topic: Topic) -> int:
    highest = Post.objects.filter(topic=topic).aggregate(m=Max("position"))["m"]
    return 0 if highest is None else highest + 1


def _watch_topic(*, user, topic: Topic) -> None:
    Watch.objects.bulk_create([Watch(user=user, topic=topic)], ignore_conflicts=True)


def post_url(post: Post) -> str:
    """The stable address of a post: it redirects to the right page of its topic."""
    return reverse("community:post", kwargs={"pk": post.pk})


def _topic_url(topic: Topic) -> str:
    return reverse(
        "community:topic",
        kwargs={"slug": topic.forum.space.slug, "forum": topic.forum.slug, "pk": topic.pk},
    )


def _readers(*, space: Space, users: list) -> list:
    """Those of `users` who may (still) read the space: one query for a private space."""
    users = [u for u in users if u.is_active]
    if not space.is_private:
        return users
    member_ids = set(
        Membership.objects.filter(space=space, user__in=users).values_list("user_id", flat=True)
    )
    return [u for u in users if u.is_staff or u.pk in member_ids]


# --- Publication -----------------------------------------------------------------------


def _create_post(
    *, topic: Topic, author, body: str, position: int, state: str, quoted=None, files=()
) -> Post:
    post = Post.objects.create(
        topic=topic,
        author=author,
        position=position,
        body=body,
        body_html=render_with_mentions(body, space=topic.forum.space),
        state=state,
        quoted=quoted,
    )
    _attach(post=post, files=files)
    return post


def post_published(*, post: Post, notify_readers: bool = True) -> None:
    """What follows a post becoming visible: counters, last activity, notifications.

    Called when a post is created published, and by the moderation queue when an
    animateur approves a pending post (which may be older than the topic's last post:
    then the counters move, the last post does not).
    """
    topic = post.topic
    forum = topic.forum
    space = forum.space
    at = post.created_at
    is_opening = post.position == 0
    Topic.objects.filter(pk=topic.pk).update(
        reply_count=F("reply_count") + (0 if is_opening else 1)
    )
    Topic.objects.filter(pk=topic.pk).filter(
        Q(last_post__isnull=True) | Q(last_post__position__lt=post.position)
    ).update(last_post=post, last_post_at=at)
    Forum.objects.filter(pk=forum.pk).update(
        topic_count=F("topic_count") + (1 if is_opening else 0), post_count=F("post_count") + 1
    )
    Forum.objects.filter(pk=forum.pk).filter(
        Q(last_post_at__isnull=True) | Q(last_post_at__lt=at)
    ).update(last_post_at=at)
    Space.objects.filter(pk=space.pk).filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=at)
    ).update(last_activity_at=at)
    topic.refresh_from_db(fields=["reply_count", "last_post", "last_post_at"])
    if notify_readers:  # a restored post was announced when first published
        mentioned = _notify_mentions(post=post, body=post.body)
        _notify_watchers(post=post, skip_ids=mentioned)


def post_unpublished(*, post: Post) -> None:
    """Counters once a published post is no longer shown as such (deleted, hidden).

    The moderation queue calls it when it hides a post, the author's delete here.
    """
    topic = post.topic
    last = (
        Post.objects.filter(topic=topic, state=Post.State.PUBLISHED)
        .exclude(pk=post.pk)
        .order_by("-position")
        .only("pk", "created_at")
        .first()
    )
    changes = {
        "last_post": last,
        "last_post_at": last.created_at if last else topic.last_post_at,
    }
    if topic.accepted_post_id == post.pk:
        changes["accepted_post"] = None
    Topic.objects.filter(pk=topic.pk).update(**changes)
    if post.position > 0:
        Topic.objects.filter(pk=topic.pk, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    Forum.objects.filter(pk=topic.forum_id, post_count__gt=0).update(post_count=F("post_count") - 1)


def _notify_mentions(*, post: Post, body: str, already=frozenset()) -> set[int]:
    """Notifies each member that `body` mentions (except those in `already`); their ids."""
    topic = post.topic
    space = topic.forum.space
    memberships = [
        m
        for m in mentioned_memberships(body=body, space=space)
        if m.user_id not in already and m.user_id != post.author_id
    ]
    readers = _readers(space=space, users=[m.user for m in memberships])
    author_name = post.author.public_name if post.author else "Un membre"
    for user in readers:
        notify(
            recipient=user,
            kind=kinds.MENTION,
            target=topic,
            actor=post.author,
            context={
                "title": f"{author_name} vous a mentionné(e) dans « {topic.title} »",
                "url": post_url(post),
            },
        )
    return {u.pk for u in readers}


def _notify_watchers(*, post: Post, skip_ids=frozenset()) -> None:
    """Watchers of the topic, its forum and its space, once each, never the author.

    A burst of replies becomes one notification (so one e-mail): whoever still has
    an unread reply notification for this topic is not notified again.
    """
    topic = post.topic
    forum = topic.forum
    space = forum.space
    watches = (
        Watch.objects.filter(Q(topic=topic) | Q(forum=forum) | Q(space=space))
        .exclude(user_id=post.author_id)
        .exclude(user_id__in=skip_ids)
        .select_related("user")
    )
    users = list({w.user_id: w.user for w in watches}.values())
    if not users:
        return
    readers = _readers(space=space, users=users)
    topic_type = ContentType.objects.get_for_model(Topic)
    already_told = set(
        Notification.objects.filter(
            recipient__in=readers,
            kind=kinds.REPLY,
            target_content_type=topic_type,
            target_object_id=str(topic.pk),
            read_at__isnull=True,
        ).values_list("recipient_id", flat=True)
    )
    author_name = post.author.public_name if post.author else "Un membre"
    if post.position == 0:
        title = f"Nouveau sujet de {author_name} dans « {forum.name} » : {topic.title}"
    else:
        title = f"{author_name} a répondu dans « {topic.title} »"
    url = _topic_url(topic) + "?non-lu=1"
    for user in readers:
        if user.pk in already_told:
            continue
        notify(
            recipient=user,
            kind=kinds.REPLY,
            target=topic,
            actor=post.author,
            context={"title": title, "url": url},
        )


@transaction.atomic
def topic_create(*, forum: Forum, author, title: str, body: str, tags=(), files=()) -> Topic:
    """Opens a topic with its first post; its author watches it."""
    space = forum.space
    membership = permissions.membership_of(user=author, space=space)
    _check_may_post(user=author, space=space, membership=membership)
    title = " ".join((title or "").split())
    if not title:
        raise ActionRefused("Donnez un titre à votre sujet.")
    if len(title) > TITLE_MAX_LENGTH:
        raise ActionRefused(f"Le titre compte au plus {TITLE_MAX_LENGTH} caractères.")
    body = _clean_body(body)
    tags = _check_tags(tags)
    files = _check_files(files)
    _rate_limit_take(user=author)
    state = (
        Post.State.PENDING
        if _is_premoderated(user=author, space=space, membership=membership)
        else Post.State.PUBLISHED
    )
    topic = Topic.objects.create(forum=forum, author=author, title=title)
    if tags:
        topic.tags.set(tags)
    post = _create_post(topic=topic, author=author, body=body, position=0, state=state, files=files)
    _watch_topic(user=author, topic=topic)
    topic_read_mark(user=author, topic=topic, position=0)
    if state == Post.State.PUBLISHED:
        post_published(post=post)
    return topic


@transaction.atomic
def post_create(*, topic: Topic, author, body: str, quoted: Post | None = None, files=()) -> Post:
    """A reply; its author then watches the topic."""
    # The topic row is the lock that numbers its posts without gaps or duplicates.
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("forum__space__territory")
        .get(pk=topic.pk)
    )
    space = topic.forum.space
    membership = permissions.membership_of(user=author, space=space)
    refusal = permissions.reply_refusal(
        user=author, topic=topic, space=space, membership=membership
    )
    if refusal:
        raise ActionRefused(refusal)
    body = _clean_body(body)
    files = _check_files(files)
    if quoted is not None and (quoted.topic_id != topic.pk or quoted.state != Post.State.PUBLISHED):
        quoted = None
    _rate_limit_take(user=author)
    state = (
        Post.State.PENDING
        if _is_premoderated(user=author, space=space, membership=membership)
        else Post.State.PUBLISHED
    )
    post = _create_post(
        topic=topic,
        author=author,
        body=body,
        position=_next_position(topic),
        state=state,
        quoted=quoted,
        files=files,
    )
    _watch_topic(user=author, topic=topic)
    topic_read_mark(user=author, topic=topic, position=post.position)
    if state == Post.State.PUBLISHED:
        post_published(post=post)
    return post


# --- Author's edits ----------------------------------------------------------------------


def _locked_post(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("topic__forum__space__territory", "author")
        .get(pk=post.pk)
    )


@transaction.atomic
def post_edit(*, post: Post, by, body: str) -> Post:
    """The author rewrites their post; the previous text is kept as a revision."""
    post = _locked_post(post)
    space = post.topic.forum.space
    membership = permissions.membership_of(user=by, space=space)
    refusal = permissions.edit_refusal(user=by, post=post, space=space, membership=membership)
    if refusal:
        raise ActionRefused(refusal)
    body = _clean_body(body)
    if body == post.body:
        return post
    previous = post.body
    PostRevision.objects.create(post=post, body=previous, edited_by=by)
    post.body = body
    post.body_html = render_with_mentions(body, space=space)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    if post.state == Post.State.PUBLISHED:
        # Only members newly named in this version hear of it.
        before = {m.user_id for m in mentioned_memberships(body=previous, space=space)}
        _notify_mentions(post=post, body=body, already=before)
    return post


@transaction.atomic
def post_delete(*, post: Post, by) -> Post:
    """Soft delete by its author: the text stays for moderation but is never shown again."""
    post = _locked_post(post)
    space = post.topic.forum.space
    membership = permissions.membership_of(user=by, space=space)
    refusal = permissions.edit_refusal(user=by, post=post, space=space, membership=membership)
    if refusal:
        raise ActionRefused(refusal)
    was_published = post.state == Post.State.PUBLISHED
    post.state = Post.State.DELETED
    post.save(update_fields=["state"])
    if was_published:
        post_unpublished(post=post)
    elif post.topic.accepted_post_id == post.pk:
        Topic.objects.filter(pk=post.topic_id).update(accepted_post=None)
    return post


# --- Reactions and accepted answer -----------------------------------------------------


@transaction.atomic
def post_useful_toggle(*, post: Post, user) -> bool:
    """Marks (or unmarks) a post as useful; returns whether it is now marked."""
    post = _locked_post(post)
    space = post.topic.forum.space
    membership = permissions.membership_of(user=user, space=space)
    _check_may_post(user=user, space=space, membership=membership)
    if post.author_id == user.pk:
        raise ActionRefused("Vous ne pouvez pas marquer votre propre message comme utile.")
    if post.state != Post.State.PUBLISHED:
        raise ActionRefused("Ce message n'est pas publié : il ne peut pas être marqué utile.")
    deleted, _ = Reaction.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, useful_count__gt=0).update(
            useful_count=F("useful_count") - 1
        )
        return False
    Reaction.objects.create(post=post, user=user)
    Post.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
    return True


@transaction.atomic
def answer_accept(*, post: Post, by) -> Topic:
    """Marks this reply as the topic's answer (replacing any other); its author is told."""
    post = _locked_post(post)
    topic = Topic.objects.select_for_update(of=("self",)).get(pk=post.topic_id)
    space = post.topic.forum.space
    membership = permissions.membership_of(user=by, space=space)
    refusal = permissions.accept_refusal(user=by, topic=topic, space=space, membership=membership)
    if refusal:
        raise ActionRefused(refusal)
    if post.position == 0:
        raise ActionRefused("La question elle-même ne peut pas être sa réponse.")
    if post.state != Post.State.PUBLISHED:
        raise ActionRefused("Seul un message publié peut être la réponse acceptée.")
    if topic.accepted_post_id == post.pk:
        return topic
    topic.accepted_post = post
    topic.save(update_fields=["accepted_post"])
    if post.author is not None:
        notify(
            recipient=post.author,
            kind=kinds.ANSWER_ACCEPTED,
            target=topic,
            actor=by,
            context={
                "title": f"Votre réponse à « {topic.title} » a été acceptée",
                "url": post_url(post),
            },
        )
    return topic


@transaction.atomic
def answer_unaccept(*, topic: Topic, by) -> Topic:
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("forum__space__territory")
        .get(pk=topic.pk)
    )
    space = topic.forum.space
    membership = permissions.membership_of(user=by, space=space)
    refusal = permissions.accept_refusal(user=by, topic=topic, space=space, membership=membership)
    if refusal:
        raise ActionRefused(refusal)
    if topic.accepted_post_id is not None:
        topic.accepted_post = None
        topic.save(update_fields=["accepted_post"])
    return topic


# --- Reading and watching ----------------------------------------------------------------


_UNKNOWN = object()


def topic_read_mark(*, user, topic: Topic, position: int, known=_UNKNOWN) -> None:
    """Moves the user's reading mark of this topic forward to `position`, never back.

    One row per user × topic, written once per page read (never per post).
    `known` is the mark the caller already fetched (None when there is no row
    yet): the topic page passes it, which saves a query.
    """
    if not user.is_authenticated:
        return
    if known is _UNKNOWN:
        known = (
            TopicRead.objects.filter(user=user, topic=topic)
            .values_list("last_read_position", flat=True)
            .first()
        )
    if known is None:
        TopicRead.objects.bulk_create(
            [TopicRead(user=user, topic=topic, last_read_position=position)],
            update_conflicts=True,
            unique_fields=["user", "topic"],
            update_fields=["last_read_position", "read_at"],
        )
    elif known < position:
        TopicRead.objects.filter(user=user, topic=topic, last_read_position__lt=position).update(
            last_read_position=position, read_at=timezone.now()
        )


WATCH_TARGETS = {"topic": Topic, "forum": Forum, "space": Space}


@transaction.atomic
def watch_set(*, user, target, watching: bool) -> bool:
    """Starts or stops watching a topic, a forum or a space; returns the new state."""
    field = next((name for name, model in WATCH_TARGETS.items() if isinstance(target, model)), None)
    if field is None:
        raise ValueError(f"Cannot watch {target!r}.")
    space = {
        "topic": lambda: target.forum.space,
        "forum": lambda: target.space,
        "space": lambda: target,
    }[field]()
    membership = permissions.membership_of(user=user, space=space)
    if not user.is_authenticated or not permissions.may_read_space(
        user=user, space=space, membership=membership
    ):
        raise ActionRefused("Vous ne pouvez pas suivre ce que vous ne pouvez pas lire.")
    if watching:
        Watch.objects.bulk_create([Watch(user=user, **{field: target})], ignore_conflicts=True)
    else:
        Watch.objects.filter(user=user, **{field: target}).delete()
    return watching


# --- Forums of a space (animateurs) ------------------------------------------------------

FORUM_NAME_MAX_LENGTH = Forum._meta.get_field("name").max_length
FORUM_DESCRIPTION_MAX_LENGTH = Forum._meta.get_field("description").max_length
FORUM_SLUG_MAX_LENGTH = Forum._meta.get_field("slug").max_length
# Addresses under <space>/forums/ that are not forums (see urls.py): no forum may take them.
RESERVED_FORUM_SLUGS = frozenset({"gerer"})
FORUM_MANAGERS_ONLY = "Seuls les animateurs de l'espace gèrent ses forums."


def forum_manage_url(space: Space) -> str:
    return reverse("community:forum_manage", kwargs={"slug": space.slug})


def _check_forum_manager(*, user, space: Space) -> None:
    membership = permissions.membership_of(user=user, space=space)
    if not permissions.may_moderate(user=user, space=space, membership=membership):
        raise ActionRefused(FORUM_MANAGERS_ONLY)


def _lock_space_forums(space: Space) -> None:
    # One change at a time to a space's forums: positions and slugs stay unique.
    list(Space.objects.select_for_update().filter(pk=space.pk).values_list("pk", flat=True))


def _clean_forum_fields(*, space: Space, name: str, description: str, forum=None):
    name = " ".join((name or "").split())
    description = (description or "").strip()
    if not name:
        raise ActionRefused("Donnez un nom au forum.")
    if len(name) > FORUM_NAME_MAX_LENGTH:
        raise ActionRefused(f"Le nom d'un forum compte au plus {FORUM_NAME_MAX_LENGTH} caractères.")
    if len(description) > FORUM_DESCRIPTION_MAX_LENGTH:
        raise ActionRefused(
            f"La description d'un forum compte au plus {FORUM_DESCRIPTION_MAX_LENGTH} caractères."
        )
    namesakes = Forum.objects.filter(space=space, name__iexact=name)
    if forum is not None:
        namesakes = namesakes.exclude(pk=forum.pk)
    if namesakes.exists():
        raise ActionRefused(
            f"Un forum de cet espace s'appelle déjà « {name} » : choisissez un autre nom."
        )
    return name, description


def _forum_slug(*, space: Space, name: str) -> str:
    """A free slug in this space, from the name; it never changes afterwards (links)."""
    base = slugify(name)[: FORUM_SLUG_MAX_LENGTH - 10].strip("-") or "forum"
    taken = set(
        Forum.objects.filter(space=space, slug__startswith=base).values_list("slug", flat=True)
    )
    taken |= RESERVED_FORUM_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _log_forum(*, space: Space, by, action: str, forum: Forum, url: str = "", detail: str = ""):
    ModerationLogEntry.objects.create(
        space=space,
        actor=by,
        action=action,
        target_label=forum.name[:255],
        target_url=(url or forum.get_absolute_url())[:500],
        detail=detail[:500],
    )


def _space_forums_in_order(space: Space) -> list[Forum]:
    return list(
        Forum.objects.filter(space=space)
        .select_related("space__territory")
        .order_by("position", "name", "pk")
    )


@transaction.atomic
def forum_create(*, space: Space, by, name: str, description: str = "") -> Forum:
    """A new forum, last of its space."""
    _check_forum_manager(user=by, space=space)
    _lock_space_forums(space)
    name, description = _clean_forum_fields(space=space, name=name, description=description)
    highest = Forum.objects.filter(space=space).aggregate(m=Max("position"))["m"]
    forum = Forum.objects.create(
        space=space,
        name=name,
        slug=_forum_slug(space=space, name=name),
        description=description,
        position=0 if highest is None else highest + 1,
    )
    _log_forum(space=space, by=by, action=ModerationLogEntry.Action.FORUM_CREATE, forum=forum)
    return forum


@transaction.atomic
def forum_update(*, forum: Forum, by, name: str, description: str = "") -> Forum:
    """Rename a forum or rewrite its description; its address stays the same."""
    space = forum.space
    _check_forum_manager(user=by, space=space)
    _lock_space_forums(space)
    forum = Forum.objects.select_related("space__territory").get(pk=forum.pk)
    name, description = _clean_forum_fields(
        space=space, name=name, description=description, forum=forum
    )
    changes = []
    if name != forum.name:
        changes.append(f"Ancien nom : « {forum.name} ».")
    if description != forum.description:
        changes.append("Description modifiée.")
    if not changes:
        return forum
    forum.name = name
    forum.description = description
    forum.save(update_fields=["name", "description"])
    _log_forum(
        space=space,
        by=by,
        action=ModerationLogEntry.Action.FORUM_EDIT,
        forum=forum,
        detail=" ".join(changes),
    )
    return forum


FORUM_MOVES = {"up": -1, "down": 1}


@transaction.atomic
def forum_reorder(*, forum: Forum, by, direction: str) -> list[Forum]:
    """Move a forum one place up or down; returns the space's forums in their new order.

    Positions are renumbered 0, 1, 2… each time: forums created elsewhere (admin,
    data migrations) may share a position.
    """
    if direction not in FORUM_MOVES:
        raise ActionRefused("Choisissez de monter ou de descendre le forum.")
    space = forum.space
    _check_forum_manager(user=by, space=space)
    _lock_space_forums(space)
    forums = _space_forums_in_order(space)
    index = next((i for i, f in enumerate(forums) if f.pk == forum.pk), None)
    if index is None:
        raise ActionRefused("Ce forum n'existe plus.")
    target = index + FORUM_MOVES[direction]
    if target < 0:
        raise ActionRefused(f"« {forum.name} » est déjà le premier forum de l'espace.")
    if target >= len(forums):
        raise ActionRefused(f"« {forum.name} » est déjà le dernier forum de l'espace.")
    forums[index], forums[target] = forums[target], forums[index]
    changed = []
    for position, item in enumerate(forums):
        if item.position != position:
            item.position = position
            changed.append(item)
    Forum.objects.bulk_update(changed, ["position"])
    moved = forums[target]
    _log_forum(
        space=space,
        by=by,
        action=ModerationLogEntry.Action.FORUM_ORDER,
        forum=moved,
        detail=f"Placé en position {target + 1} sur {len(forums)}.",
    )
    return forums


@transaction.atomic
def forum_delete(*, forum: Forum, by) -> None:
    """Delete an empty forum. One with topics (even awaiting moderation) is kept."""
    space = forum.space
    _check_forum_manager(user=by, space=space)
    _lock_space_forums(space)
    # The row lock makes a topic being opened in this forum either counted here or refused.
    forum = (
        Forum.objects.select_for_update(of=("self",))
        .select_related("space__territory")
        .filter(pk=forum.pk)
        .first()
    )
    if forum is None:
        raise ActionRefused("Ce forum n'existe plus.")
    topics = Topic.objects.filter(forum=forum).count()
    if topics:
        raise ActionRefused(
            f"Le forum « {forum.name} » contient {topics} sujet{'s' if topics > 1 else ''} : "
            "il ne peut pas être supprimé. Déplacez ses sujets vers un autre forum, puis "
            "supprimez-le."
        )
    _log_forum(
        space=space,
        by=by,
        action=ModerationLogEntry.Action.FORUM_DELETE,
        forum=forum,
        url=forum_manage_url(space),
    )
    forum.delete()
