"""The statistical secret (pilotage/disclosure.py) on hand-built cells."""

from datetime import date

from pilotage.disclosure import suppress
from pilotage.models import Aggregate

NORD, SOMME, AISNE, REGION = 1, 2, 3, 9
PARENT_OF = {NORD: REGION, SOMME: REGION, AISNE: REGION, REGION: None}


def cell(territory, people, *, operator=None, month=None):
    return Aggregate(
        indicator="questions",
        territory_id=territory,
        operator_id=operator,
        theme="",
        period_start=month or date(2025, 12, 1),
        months=1 if month else 12,
        value=float(people),
        people=people,
    )


def hidden(cells):
    return [c.hidden for c in cells]


def test_a_small_cell_is_hidden_and_a_large_one_is_not():
    cells = [cell(NORD, 4), cell(SOMME, 5), cell(AISNE, 0)]
    suppress(cells, parent_of=PARENT_OF, additive_months=False)
    # Somme is the one other non-empty cell of the région's territories: hidden with Nord.
    assert hidden(cells) == [True, True, False]


def test_the_complement_is_the_smallest_other_and_two_hidden_need_no_more():
    cells = [cell(NORD, 3), cell(SOMME, 40), cell(AISNE, 12)]
    suppress(cells, parent_of=PARENT_OF, additive_months=False)
    assert hidden(cells) == [True, False, True]

    cells = [cell(NORD, 3), cell(SOMME, 2), cell(AISNE, 12)]
    suppress(cells, parent_of=PARENT_OF, additive_months=False)
    assert hidden(cells) == [True, True, False]


def test_operators_of_one_territory_form_a_group():
    cells = [cell(REGION, 2, operator=1), cell(REGION, 30, operator=2), cell(REGION, 9, operator=3)]
    suppress(cells, parent_of=PARENT_OF, additive_months=False)
    assert hidden(cells) == [True, False, True]


def test_months_are_a_group_only_for_counts_that_add_up():
    def months():
        return [cell(REGION, 3, month=date(2026, 1, 1)), cell(REGION, 20, month=date(2026, 2, 1))]

    counts = months()
    suppress(counts, parent_of=PARENT_OF, additive_months=True)
    assert hidden(counts) == [True, True]
    people = months()
    suppress(people, parent_of=PARENT_OF, additive_months=False)
    assert hidden(people) == [True, False]
