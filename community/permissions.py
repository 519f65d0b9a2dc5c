"""One policy for the Communauté: every surface (pages, lists, search, notifications,
attachments, WebSocket) asks these functions, never its own rules.

`membership` is the user's Membership in that space or None; callers pass it
when they already have it (selectors fetch it once per page).
"""

from django.db.models import Q
from django.utils import timezone

from community.models import Membership, Post, Space, Topic


def membership_of(*, user, space: Space) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(space=space, user=user).first()


def is_suspended(membership: Membership | None) -> bool:
    return bool(
        membership
        and membership.suspended_until is not None
        and membership.suspended_until > timezone.now()
    )


def may_read_space(*, user, space: Space, membership: Membership | None) -> bool:
    if not space.is_private:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or membership is not None


def readable_spaces(*, user):
    """may_read_space as a queryset: the spaces this user may read (for filtering lists)."""
    if user.is_authenticated and user.is_staff:
        return Space.objects.all()
    condition = Q(visibility=Space.Visibility.OPEN)
    if user.is_authenticated:
        condition |= Q(pk__in=Membership.objects.filter(user=user).values("space_id"))
    return Space.objects.filter(condition)


def may_moderate(*, user, space: Space, membership: Membership | None) -> bool:
    """Animateurs of this space, and staff everywhere."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (membership is not None and membership.role == Membership.Role.ANIMATOR)


def moderated_spaces(*, user):
    """may_moderate as a queryset: the spaces this user moderates (for filtering lists)."""
    if not user.is_authenticated:
        return Space.objects.none()
    if user.is_staff:
        return Space.objects.all()
    return Space.objects.filter(
        pk__in=Membership.objects.filter(user=user, role=Membership.Role.ANIMATOR).values(
            "space_id"
        )
    )


def profile_refusal(user) -> str | None:
    missing = user.profile_missing
    if missing:
        return (
            f"Complétez votre profil avant de rejoindre la Communauté : indiquez "
            f"{' et '.join(missing)}."
        )
    return None


def join_refusal(*, user, space: Space, membership: Membership | None) -> str | None:
    """Why this user may not join (open) or ask to join (private) this space, or None."""
    if not user.is_authenticated:
        return "Connectez-vous pour rejoindre cet espace."
    if membership is not None:
        return "Vous êtes déjà membre de cet espace."
    return profile_refusal(user)


def may_post(*, user, space: Space, membership: Membership | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return membership is not None and not is_suspended(membership)


def post_refusal(*, user, space: Space, membership: Membership | None) -> str | None:
    if not user.is_authenticated:
        return "Connectez-vous pour participer."
    if user.is_staff:
        return None
    if membership is None:
        return "Rejoignez l'espace pour participer."
    if is_suspended(membership):
        until = timezone.localtime(membership.suspended_until)
        return (
            f"Vous êtes suspendu(e) de cet espace jusqu'au {until:%d/%m/%Y à %H:%M} : "
            "vous pouvez lire mais pas publier."
        )
    return None


def may_see_directory(*, user, space: Space, membership: Membership | None) -> bool:
    """Names, operators and structures are for logged-in professionals who may read the space."""
    return user.is_authenticated and may_read_space(user=user, space=space, membership=membership)


# --- Forums: posts and topics -------------------------------------------------------


def may_see_post(*, user, post: Post, may_moderate: bool) -> bool:
    """Whether this post appears at all (as its content or as a placeholder).

    Deleted and hidden posts keep their place in the topic as placeholders;
    a post waiting for moderation is seen by its author and the animateurs only.
    """
    if post.state != Post.State.PENDING:
        return True
    return may_moderate or (user.is_authenticated and post.author_id == user.pk)


def may_see_post_content(*, user, post: Post, may_moderate: bool) -> bool:
    """Whether the body and attachments of a post are shown to this user."""
    if post.state == Post.State.DELETED:
        return False
    if post.state == Post.State.HIDDEN:
        return may_moderate
    return may_see_post(user=user, post=post, may_moderate=may_moderate)


def may_see_topic(*, user, topic: Topic, may_moderate: bool) -> bool:
    """A topic whose opening post still waits for moderation has no published post yet."""
    if topic.last_post_id is not None or may_moderate:
        return True
    return user.is_authenticated and topic.author_id == user.pk


def visible_topics(*, user, topics):
    """may_see_topic as a filter of a queryset of topics from any spaces (for search).

    Readability of the spaces is not checked here: filter with readable_spaces too.
    """
    if user.is_authenticated and user.is_staff:
        return topics
    condition = Q(last_post__isnull=False)
    if user.is_authenticated:
        condition |= Q(author=user) | Q(forum__space__in=moderated_spaces(user=user))
    return topics.filter(condition)


def edit_refusal(*, user, post: Post, space: Space, membership: Membership | None) -> str | None:
    """Why this user may not edit or delete this post (French), or None."""
    if not user.is_authenticated or post.author_id != user.pk:
        return "Seul l'auteur ou l'autrice d'un message peut le modifier ou le supprimer."
    if post.state == Post.State.DELETED:
        return "Ce message a été supprimé."
    if post.state == Post.State.HIDDEN:
        return "Ce message a été masqué par l'animation : il ne peut plus être modifié."
    return post_refusal(user=user, space=space, membership=membership)


def accept_refusal(
    *, user, topic: Topic, space: Space, membership: Membership | None
) -> str | None:
    """Why this user may not mark the accepted answer of this topic (French), or None."""
    if may_moderate(user=user, space=space, membership=membership):
        return None
    if not user.is_authenticated or topic.author_id != user.pk:
        return "Seul l'auteur ou l'autrice du sujet, ou l'animation, choisit la réponse acceptée."
    return post_refusal(user=user, space=space, membership=membership)


def reply_refusal(*, user, topic: Topic, space: Space, membership: Membership | None) -> str | None:
    """Why this user may not reply in this topic (French), or None."""
    refusal = post_refusal(user=user, space=space, membership=membership)
    if refusal:
        return refusal
    if topic.locked and not may_moderate(user=user, space=space, membership=membership):
        return "Ce sujet est verrouillé : il n'accepte plus de réponses."
    return None


# --- Practice sheets in review --------------------------------------------------------

SHEET_REVIEWERS_ONLY = (
    "Seuls les animateurs et animatrices de l'espace relisent les fiches pratiques "
    "qui y sont proposées."
)


def may_review_space_sheets(*, user, space: Space, membership: Membership | None) -> bool:
    """Who reviews, from the Communauté, the practice sheets proposed in a space: those who
    moderate it (its animateurs, and staff)."""
    return may_moderate(user=user, space=space, membership=membership)


def sheet_review_refusal(*, user, space: Space, membership: Membership | None) -> str | None:
    if may_review_space_sheets(user=user, space=space, membership=membership):
        return None
    return SHEET_REVIEWERS_ONLY


def may_review_sheet(*, user, sheet, space: Space | None, membership: Membership | None) -> bool:
    """Who decides on one practice sheet in review: the reviewers of its space, and the
    editors whom the Wagtail admin lets publish it (its page permissions)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if space is not None and may_review_space_sheets(user=user, space=space, membership=membership):
        return True
    return sheet.permissions_for_user(user).can_publish()
