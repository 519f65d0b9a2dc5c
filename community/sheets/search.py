"""Practice sheets in the site search: published sheets matching the query that the
user may read (a private space's sheets reach its members only).

Imported once at start-up (CommunityConfig.ready), which adds the provider.
"""

from community.sheets import selectors
from portal import search


def practice_sheets(*, query: str, user) -> list[search.SearchResult]:
    ranked = selectors.sheets_search_ids(query=query)
    if not ranked:
        return []
    readable = {
        sheet.pk: sheet
        for sheet in selectors.readable_sheets(user=user)
        .filter(pk__in=ranked)
        .select_related("territory")
    }
    return [
        search.SearchResult(
            title=readable[pk].title,
            url=readable[pk].get_url() or "",
            kind=f"Fiche pratique — {readable[pk].territory.name}",
            summary=readable[pk].summary[:300],
        )
        for pk in ranked
        if pk in readable
    ]


if practice_sheets not in search.PROVIDERS:
    search.PROVIDERS.append(practice_sheets)
