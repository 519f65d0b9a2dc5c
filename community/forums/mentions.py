"""Who a post mentions: "@Display Name" of a member of the post's space.

Display names contain spaces ("@Inès Membre"), so a mention is read as the
longest member display name that follows the "@", compared without case.
Quoted lines ("> …") mention nobody again: nobody is notified twice for a quote,
but the quoted names are links all the same.

`render_with_mentions` renders a text with each mention a link to the member's
card in the space (`community:member`), in the stored HTML: pages and chat frames
show it without a query.
"""

import re

from django.db.models import Q
from django.urls import reverse

from community.models import Membership, Space
from portal.markdown import render_markdown

MAX_MENTIONS = 20
# "@" at the start of a word (not in an e-mail address), then the first word of the name.
_MENTION_START = re.compile(r"(?<![\w@])@(\w[\w'’-]*)")


def _unquoted(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))


def _candidates(*, text: str, space: Space) -> list[Membership]:
    """The members whose name may follow one of the text's "@": one query, none without "@"."""
    starts = list(_MENTION_START.finditer(text))[: MAX_MENTIONS * 2]
    if not starts:
        return []
    condition = Q()
    for word in {m.group(1).lower() for m in starts}:
        condition |= Q(user__display_name__istartswith=word)
    return list(
        Membership.objects.filter(space=space, user__is_active=True)
        .exclude(user__display_name="")
        .filter(condition)
        .select_related("user")
    )


def _longest_at(after: str, candidates: list[Membership]) -> Membership | None:
    """The member with the longest name that `after` begins with, as a whole word."""
    best = None
    for membership in candidates:
        name = membership.user.display_name
        if after[: len(name)].lower() != name.lower():
            continue
        following = after[len(name) : len(name) + 1]
        if following and (following.isalnum() or following == "_"):
            continue
        if best is None or len(name) > len(best.user.display_name):
            best = membership
    return best


def _mentions(text: str, candidates: list[Membership]):
    """(start, end, membership) of each mention in `text`, in order; "@" included."""
    if not candidates:
        return
    end = 0
    for start in _MENTION_START.finditer(text):
        if start.start() < end:
            continue  # inside the name just found
        found = _longest_at(text[start.start() + 1 :], candidates)
        if found is not None:
            end = start.start() + 1 + len(found.user.display_name)
            yield start.start(), end, found


def mentioned_memberships(*, body: str, space: Space) -> list[Membership]:
    """The memberships (with their users) of the members this text mentions: one query."""
    text = _unquoted(body or "")
    found: dict[int, Membership] = {}
    for _start, _end, membership in _mentions(text, _candidates(text=text, space=space)):
        found.setdefault(membership.user_id, membership)
        if len(found) >= MAX_MENTIONS:
            break
    return list(found.values())


def member_url(*, space: Space, user_id: int) -> str:
    return reverse("community:member", kwargs={"slug": space.slug, "user_id": user_id})


def render_with_mentions(body: str, *, space: Space, inline_only: bool = False) -> str:
    """The body's HTML, each mention of a member of `space` a link to their card.

    One query when the body holds an "@", none otherwise.
    """
    candidates = _candidates(text=body or "", space=space)
    if not candidates:
        return render_markdown(body, inline_only=inline_only)

    def links(text: str) -> list[tuple[int, int, str]]:
        spans = []
        for start, end, membership in _mentions(text, candidates):
            if len(spans) >= MAX_MENTIONS:
                break
            spans.append((start, end, member_url(space=space, user_id=membership.user_id)))
        return spans

    return render_markdown(body, inline_only=inline_only, links=links)
