"""Every write of the Communauté that matters happens here."""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community.models import JoinRequest, Membership, Space
from portal.notifications.services import notify
from portal.ratelimit import Window, counted, take


class ActionRefused(Exception):
    """A refused action; the message is French, for the person who tried."""


class RateLimited(ActionRefused):
    """Too many of these actions lately: nothing saved (views answer 429, keep the text)."""


# Rate-limit counters: portal.ratelimit (fixed windows in the cache, across processes).
# Joining an open space and asking to join a private one share one window: each new
# membership or request lands in a space's counters or an animateur's notifications.
JOINS_PER_HOUR = 5
JOIN_RATE_WINDOW = 60 * 60


def _join_rate_take(user) -> list[Window]:
    windows = [Window(f"community:joins:hour:{user.pk}", JOINS_PER_HOUR, JOIN_RATE_WINDOW)]
    if take(windows) is not None:
        raise RateLimited(
            f"Vous avez rejoint ou demandé à rejoindre {JOINS_PER_HOUR} espaces en moins "
            "d'une heure : c'est le maximum. Réessayez plus tard."
        )
    return windows


def refresh_member_count(space: Space) -> None:
    Space.objects.filter(pk=space.pk).update(
        member_count=Membership.objects.filter(space=space).count()
    )


@transaction.atomic
def space_join(*, user, space: Space) -> Membership:
    """Join an open space in one click. Idempotent."""
    existing = Membership.objects.filter(space=space, user=user).first()
    if existing is not None:
        return existing
    if space.is_private:
        raise ActionRefused("Cet espace est privé : demandez à le rejoindre.")
    reason = permissions.join_refusal(user=user, space=space, membership=None)
    if reason:
        raise ActionRefused(reason)
    windows = _join_rate_take(user)
    try:
        with counted(windows), transaction.atomic():
            membership = Membership.objects.create(space=space, user=user)
    except IntegrityError:  # joined meanwhile (a double click): nothing new
        return Membership.objects.get(space=space, user=user)
    refresh_member_count(space)
    return membership


@transaction.atomic
def space_leave(*, user, space: Space) -> None:
    membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
    if membership is None:
        return
    # Leaving deletes the row that carries the suspension: leave-then-rejoin would lift it.
    if permissions.is_suspended(membership):
        raise ActionRefused(
            "Vous ne pouvez pas quitter l'espace pendant une suspension : "
            "réessayez quand elle aura pris fin."
        )
    deleted, _ = Membership.objects.filter(pk=membership.pk).delete()
    if deleted:
        refresh_member_count(space)


@transaction.atomic
def join_request_create(*, user, space: Space, message: str = "") -> JoinRequest:
    """Ask to join a private space; its animateurs are notified. Idempotent while pending."""
    if not space.is_private:
        raise ActionRefused("Cet espace est ouvert : rejoignez-le directement.")
    membership = permissions.membership_of(user=user, space=space)
    reason = permissions.join_refusal(user=user, space=space, membership=membership)
    if reason:
        raise ActionRefused(reason)
    pending = JoinRequest.objects.filter(
        space=space, user=user, status=JoinRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    with counted(_join_rate_take(user)):
        request = JoinRequest.objects.create(space=space, user=user, message=message[:500])
    # The animateur's notification opens the queue where they decide, not the space page.
    queue_url = reverse("community:join_requests", kwargs={"slug": space.slug})
    for animator in space_animators(space=space):
        notify(
            recipient=animator,
            kind="community.join_request",
            target=space,
            actor=user,
            context={
                "title": f"{user.public_name} demande à rejoindre l'espace {space.name}",
                "url": queue_url,
            },
        )
    return request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, by, accept: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    space = join_request.space
    membership = permissions.membership_of(user=by, space=space)
    if not permissions.may_moderate(user=by, space=space, membership=membership):
        raise ActionRefused("Seuls les animateurs de l'espace décident des adhésions.")
    if join_request.status != JoinRequest.Status.PENDING:
        return join_request
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if accept:
        Membership.objects.get_or_create(space=space, user=join_request.user)
        refresh_member_count(space)
    notify(
        recipient=join_request.user,
        kind="community.join_decided",
        target=space,
        actor=by,
        context={
            "title": f"Votre demande pour l'espace {space.name} a été "
            + ("acceptée" if accept else "refusée")
        },
    )
    return join_request


@transaction.atomic
def membership_set_role(*, space: Space, user, role: str, by) -> Membership:
    by_membership = permissions.membership_of(user=by, space=space)
    if not permissions.may_moderate(user=by, space=space, membership=by_membership):
        raise ActionRefused("Seuls les animateurs de l'espace attribuent les rôles.")
    if role not in Membership.Role.values:
        raise ActionRefused("Ce rôle n'existe pas.")
    membership, _ = Membership.objects.get_or_create(space=space, user=user)
    membership.role = role
    membership.save(update_fields=["role"])
    refresh_member_count(space)
    return membership


def space_animators(*, space: Space) -> list:
    return [
        m.user
        for m in Membership.objects.filter(space=space, role=Membership.Role.ANIMATOR)
        .select_related("user")
        .order_by("user__display_name")
    ]


def spaces_ensure() -> int:
    """Give every territory its space (idempotent); returns how many were created."""
    from portal.people.models import Territory

    missing = Territory.objects.filter(space__isnull=True)
    created = Space.objects.bulk_create([Space(territory=t) for t in missing])
    return len(created)


def member_counts_refresh() -> None:
    for row in Membership.objects.values("space").annotate(n=Count("pk")):
        Space.objects.filter(pk=row["space"]).update(member_count=row["n"])
