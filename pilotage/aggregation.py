"""One run of the pilotage: every indicator, for the 12 months ending with the current
one, folded into `Aggregate` cells; run by the task worker (daily, or on demand by
staff: pilotage/tasks.py), never by a page.

Each indicator's facts come in time order (pilotage/indicators.py); a fact adds to the
cell of its month and to the cell of the 12 months, in every territory it counts in,
for its operator and for all operators (and, for the Académie's indicators, for each
of its course's themes, all operators). Memory holds the cells of one indicator at a
time; the rows are written before the next indicator is read.

The fold is done in two steps (`fold`), because a fact adds to six to thirty cells and
a national run has millions of facts: first each fact adds to the part of its month
and of its signature (its territories, operator and themes: what decides its cells),
once; then each cell is the sum of the parts whose signature reaches it, and the union
of their people (set unions, not one Python step per fact and cell). The figures are
those of adding every fact to every cell: counts, numerators and denominators are
whole numbers (acts, seats), whose sums do not depend on the order; a median sorts its
durations; and the cells come out in the order in which facts first reach them, the
order `suppress` reads them in (tests/pilotage/test_aggregation.py recomputes a
generated year fact by fact and compares).
"""

import logging
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pilotage.disclosure import suppress
from pilotage.indicators import INDICATORS, Context, Fact, Indicator
from pilotage.models import Aggregate, AggregationRun
from pilotage.policy import TerritoryTree

log = logging.getLogger(__name__)

WINDOW_MONTHS = 12
BATCH = 5_000


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_of_window(last_month: date) -> list[date]:
    return [add_months(last_month, offset) for offset in range(1 - WINDOW_MONTHS, 1)]


@dataclass(slots=True)
class Cell:
    value: float | None
    people: int


# (territory_id, operator_id or None, theme or ""): a cell of one period.
Key = tuple[int, int | None, str]
# (territories, operator_id or None, themes): a part of one period, whose facts reach
# the cells (territory_id, operator_id, theme) of each of its territories and themes.
PartKey = tuple[tuple[int, ...], int | None, tuple[str, ...]]
ALL_THEMES = ("",)


class Part:
    """Facts of one period with the same territories, added up for all operators and
    themes, for one operator, or for the themes of one course."""

    __slots__ = ("count", "denominator", "durations", "numerator", "people")

    def __init__(self):
        self.people: set[int] = set()
        self.count = 0
        self.numerator = 0.0
        self.denominator = 0.0
        self.durations: list[float] = []

    def add(self, fact: Fact) -> None:
        if fact.user_id is not None:
            self.people.add(fact.user_id)
        self.count += 1
        self.numerator += fact.numerator
        self.denominator += fact.denominator
        if fact.duration is not None:
            self.durations.append(fact.duration)


def _part_keys(indicator: Indicator, fact: Fact):
    yield (fact.territories, None, ALL_THEMES)
    if indicator.by_operator and fact.operator_id is not None:
        yield (fact.territories, fact.operator_id, ALL_THEMES)
    if indicator.by_theme and fact.themes:
        yield (fact.territories, None, fact.themes)


def _keys(indicator: Indicator, fact: Fact):
    """The cells of a fact, in the order the fold has always touched them."""
    for territory_id in fact.territories:
        yield (territory_id, None, "")
        if indicator.by_operator and fact.operator_id is not None:
            yield (territory_id, fact.operator_id, "")
        if indicator.by_theme:
            for theme in fact.themes:
                yield (territory_id, None, theme)


def _union(parts: list[Part]) -> set[int]:
    return parts[0].people if len(parts) == 1 else set().union(*(p.people for p in parts))


def _cell(indicator: Indicator, parts: list[Part]) -> Cell:
    people = len(_union(parts))
    kind = indicator.kind
    if kind == "people":
        return Cell(float(people), people)
    if kind == "count":
        return Cell(float(sum(part.count for part in parts)), people)
    if kind == "share":
        denominator = sum(part.denominator for part in parts)
        numerator = sum(part.numerator for part in parts)
        return Cell(numerator / denominator if denominator else None, people)
    durations = [duration for part in parts for duration in part.durations]
    return Cell(statistics.median(durations) if durations else None, people)


def _cells(indicator: Indicator, parts: dict[PartKey, Part], order: dict[Key, None]) -> dict:
    reach: dict[Key, list[Part]] = {key: [] for key in order}
    for (territories, operator_id, themes), part in parts.items():
        for territory_id in territories:
            for theme in themes:
                reach[territory_id, operator_id, theme].append(part)
    return {key: _cell(indicator, found) for key, found in reach.items()}


def fold(indicator: Indicator, facts, *, first_month: date, tz) -> tuple[dict, dict]:
    """Cells by month ({month: {key: Cell}}) and of the whole window ({key: Cell})."""
    month_of: dict[tuple[int, int], date] = {}
    parts_of: dict[date, dict[PartKey, Part]] = {}
    # The cells in the order facts first reach them, in each month and in the 12.
    order_of: dict[date, dict[Key, None]] = {}
    window_order: dict[Key, None] = {}
    for fact in facts:
        local = fact.at.astimezone(tz)  # what timezone.localtime does
        month = month_of.get((local.year, local.month))
        if month is None:
            month = month_of[local.year, local.month] = date(local.year, local.month, 1)
        if month < first_month:
            continue
        parts = parts_of.get(month)
        if parts is None:
            parts = parts_of[month] = {}
            order_of[month] = {}
        new = False
        for part_key in _part_keys(indicator, fact):
            part = parts.get(part_key)
            if part is None:
                part = parts[part_key] = Part()
                new = True
            part.add(fact)
        # A fact that opens no part reaches no cell that an earlier one did not.
        if new:
            order = order_of[month]
            for key in _keys(indicator, fact):
                order[key] = None
                window_order[key] = None

    # The 12 months: each part's months added up once, then spread like a month's.
    whole: dict[PartKey, Part] = {}
    for parts in parts_of.values():
        for part_key, part in parts.items():
            total = whole.get(part_key)
            if total is None:
                total = whole[part_key] = Part()
            total.people |= part.people
            total.count += part.count
            total.numerator += part.numerator
            total.denominator += part.denominator
            total.durations += part.durations
    window = _cells(indicator, whole, window_order)
    months = {month: _cells(indicator, parts, order_of[month]) for month, parts in parts_of.items()}
    return months, window


@dataclass(slots=True)
class Row:
    """An Aggregate row before it is written: what `suppress` reads and sets, without
    the cost of a model instance (a national run has hundreds of thousands)."""

    territory_id: int
    operator_id: int | None
    theme: str
    period_start: date
    months: int
    value: float | None
    people: int
    hidden: bool = False


def _rows(cells: dict[Key, Cell], *, period_start: date, months: int):
    for (territory_id, operator_id, theme), cell in cells.items():
        yield Row(territory_id, operator_id, theme, period_start, months, cell.value, cell.people)


FIELDS = (
    "territory_id", "operator_id", "theme", "period_start", "months", "value", "people", "hidden",
)  # fmt: skip


def _write(run: AggregationRun, indicator: Indicator, rows: list[Row]) -> None:
    """The rows of one indicator: by COPY on PostgreSQL (a national run writes hundreds
    of thousands), by bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        Aggregate.objects.bulk_create(
            (
                Aggregate(run=run, indicator=indicator.key, **{f: getattr(row, f) for f in FIELDS})
                for row in rows
            ),
            batch_size=BATCH,
        )
        return
    table = connection.ops.quote_name(Aggregate._meta.db_table)
    columns = ", ".join(("run_id", "indicator", *FIELDS))
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                (
                    run.pk, indicator.key, row.territory_id, row.operator_id, row.theme,
                    row.period_start, row.months, row.value, row.people, row.hidden,
                )
            )  # fmt: skip


def _analyze() -> None:
    """Fresh statistics for the planner: until it knows the new run's id, PostgreSQL
    estimates its rows at one, and a dashboard then reads every row of the table
    through the index on the run alone (bench/pilotage.py, docs/decisions.md)."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Aggregate._meta.db_table)}")
    except DatabaseError:  # the figures are written: slower pages, not a failed run
        log.exception("Statistiques des indicateurs non rafraîchies")


def run_aggregation(
    *, now: datetime | None = None, requested_by_id: int | None = None
) -> AggregationRun:
    """Computes every indicator into a new run; the previous runs stay readable until
    this one is done (then they are deleted). A failure leaves the run marked failed,
    with its error, and the previous figures in place."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    last_month = month_start(timezone.localtime(now, tz).date())
    first_month = add_months(last_month, 1 - WINDOW_MONTHS)
    run = AggregationRun.objects.create(last_month=last_month, requested_by_id=requested_by_id)
    since = timezone.make_aware(datetime.combine(first_month, time.min), tz)
    until = timezone.make_aware(datetime.combine(add_months(last_month, 1), time.min), tz)
    try:
        tree = TerritoryTree.load()
        parent_of = {pk: territory.parent_id for pk, territory in tree.by_id.items()}
        context = Context(tree=tree, since=since, until=until)
        total = 0
        for indicator in INDICATORS:
            months, window = fold(
                indicator, indicator.facts(context), first_month=first_month, tz=tz
            )
            rows = list(_rows(window, period_start=first_month, months=12))
            for month, cells in months.items():
                rows += _rows(cells, period_start=month, months=1)
            suppress(rows, parent_of=parent_of, additive_months=indicator.kind == "count")
            _write(run, indicator, rows)
            total += len(rows)
        with transaction.atomic():
            run.status = AggregationRun.Status.DONE
            run.finished_at = timezone.now()
            run.rows = total
            run.save(update_fields=["status", "finished_at", "rows"])
            AggregationRun.objects.exclude(pk=run.pk).filter(
                status__in=[AggregationRun.Status.DONE, AggregationRun.Status.FAILED]
            ).delete()
    except Exception as error:
        log.exception("Le calcul des indicateurs a échoué")
        Aggregate.objects.filter(run=run).delete()
        run.status = AggregationRun.Status.FAILED
        run.finished_at = timezone.now()
        run.error = f"{type(error).__name__}: {error}"
        run.save(update_fields=["status", "finished_at", "error"])
        raise
    _analyze()
    return run


def latest_run() -> AggregationRun | None:
    return (
        AggregationRun.objects.filter(status=AggregationRun.Status.DONE)
        .order_by("-finished_at")
        .first()
    )
