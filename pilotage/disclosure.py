"""No figure identifies a person: the one rule of pages, exports and the API.

- A cell standing on fewer than THRESHOLD distinct people (but at least one) is shown
  as « < 5 », never its value.
- Among cells that add up to a figure shown beside them (the operators of one
  territory, the territories inside one, the months of a count's 12 months), a single hidden
  cell could be recomputed by subtraction: the smallest other non-empty cell of the
  group is hidden with it, and so on until no group has a single hidden cell.

Both are decided once, when a run is computed (`suppress`, on every cell of an
indicator), and stored on the cell: a page, an export and the API then hide the same
cells, so that no two of them together give away what one hides.
"""

from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "< 5"


@dataclass(frozen=True)
class Figure:
    value: float | None
    people: int
    hidden: bool

    @property
    def shown_value(self) -> float | None:
        return None if self.hidden else self.value


def _smallest(cell) -> tuple:
    return (cell.people, cell.territory_id, cell.operator_id or 0, cell.period_start, cell.theme)


def suppress(cells, *, parent_of: dict[int, int | None], additive_months: bool) -> None:
    """Sets `hidden` on the cells (Aggregate rows of one indicator, not yet saved).

    additive_months: the indicator is a count, whose months add up to its 12 months
    (distinct people, shares and medians do not: their months are no group)."""
    from collections import defaultdict

    for cell in cells:
        cell.hidden = 0 < cell.people < THRESHOLD
    groups: dict[tuple, list] = defaultdict(list)
    for cell in cells:
        period = (cell.period_start, cell.months)
        if cell.operator_id is not None:  # the operators of one territory
            groups[("operators", cell.territory_id, cell.theme, period)].append(cell)
        parent = parent_of.get(cell.territory_id)
        if parent is not None:  # the territories inside one
            groups[("children", parent, cell.operator_id, cell.theme, period)].append(cell)
        if additive_months and cell.months == 1:  # the months of the 12 months
            groups[("months", cell.territory_id, cell.operator_id, cell.theme)].append(cell)
    changed = True
    while changed:
        changed = False
        for members in groups.values():
            hidden = [c for c in members if c.hidden]
            if len(hidden) != 1:
                continue
            shown = [c for c in members if not c.hidden and c.people]
            if shown:
                min(shown, key=_smallest).hidden = True
                changed = True
