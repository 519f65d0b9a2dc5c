"""Who a post mentions: "@Display Name" of a member of the post's space.

Display names contain spaces ("@Inès Membre"), so a mention is read as the
longest member display name that follows the "@", compared without case.
Quoted lines ("> …") mention nobody again.
"""

import re

from django.db.models import Q

from community.models import Membership, Space

MAX_MENTIONS = 20
# "@" at the start of a word (not in an e-mail address), then the first word of the name.
_MENTION_START = re.compile(r"(?<![\w@])@(\w[\w'’-]*)")


def _unquoted(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))


def mentioned_memberships(*, body: str, space: Space) -> list[Membership]:
    """The memberships (with their users) of the members this text mentions: one query."""
    text = _unquoted(body or "")
    starts = list(_MENTION_START.finditer(text))[: MAX_MENTIONS * 2]
    if not starts:
        return []
    first_words = {m.group(1).lower() for m in starts}
    condition = Q()
    for word in first_words:
        condition |= Q(user__display_name__istartswith=word)
    candidates = list(
        Membership.objects.filter(space=space, user__is_active=True)
        .exclude(user__display_name="")
        .filter(condition)
        .select_related("user")
    )
    found: dict[int, Membership] = {}
    for start in starts:
        after = text[start.start() + 1 :]
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
        if best is not None:
            found.setdefault(best.user_id, best)
        if len(found) >= MAX_MENTIONS:
            break
    return list(found.values())
