"""Site search: one entry point, one results page.

Each provider returns results its user may read. Later apps (Académie,
Communauté) add their providers to PROVIDERS; results are then merged.
"""

from dataclasses import dataclass

from wagtail.models import Page


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: str
    summary: str = ""


# Page types whose app gives its own provider (and its own reading rules).
PAGE_TYPES_WITH_OWN_PROVIDER: set = set()


def pages(*, query: str, user) -> list[SearchResult]:
    # live() hides drafts and unpublished pages; public() hides pages behind a
    # view restriction, whatever the user (restricted pages are not searchable).
    found = Page.objects.live().public().exclude(depth__lte=1)
    if PAGE_TYPES_WITH_OWN_PROVIDER:
        found = found.not_type(*PAGE_TYPES_WITH_OWN_PROVIDER)
    found = found.specific().search(query)
    results = []
    for page in found[:200]:
        # Pages with their own reading rules (e.g. a practice sheet of a private space)
        # say whether this user may read them.
        if hasattr(page, "is_readable_by") and not page.is_readable_by(user):
            continue
        summary = getattr(page, "search_description", "") or getattr(page, "intro", "") or ""
        results.append(
            SearchResult(
                title=page.title,
                url=page.url,
                kind=page.specific_class._meta.verbose_name.capitalize(),
                summary=str(summary)[:300],
            )
        )
    return results


PROVIDERS = [pages]


def search(*, query: str, user) -> list[SearchResult]:
    results: list[SearchResult] = []
    for provider in PROVIDERS:
        results.extend(provider(query=query, user=user))
    return results
