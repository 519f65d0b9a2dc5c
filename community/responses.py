"""What the Communauté's views share: the space of a URL, and the page that refuses."""

from django.http import Http404
from django.shortcuts import render

from community.models import Space
from community.selectors import space_by_slug


def space_or_404(slug: str) -> Space:
    space = space_by_slug(slug)
    if space is None:
        raise Http404
    return space


def refused(request, *, space: Space, reason: str, title: str = "Accès refusé", status=403):
    """A French page that says why, with a way back to the space."""
    return render(
        request,
        "community/refused.html",
        {"space": space, "reason": reason, "title": f"{title} — {space.name}"},
        status=status,
    )
