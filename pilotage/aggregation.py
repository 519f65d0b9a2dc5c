"""One run of the pilotage: every indicator, for the 12 months ending with the current
one, folded into `Aggregate` cells; run by the task worker (daily, or on demand by
staff: pilotage/tasks.py), never by a page.

Each indicator's facts come in time order (pilotage/indicators.py); a fact adds to the
cell of its month and to the cell of the 12 months, in every territory it counts in,
for its operator and for all operators (and, for the Académie's indicators, for each
of its course's themes, all operators). Memory holds the cells of one indicator at a
time; the rows are written, in batches, before the next indicator is read.
"""

import logging
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
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
    people: set = field(default_factory=set)
    count: int = 0
    numerator: float = 0.0
    denominator: float = 0.0
    durations: list = field(default_factory=list)

    def add(self, fact: Fact) -> None:
        if fact.user_id is not None:
            self.people.add(fact.user_id)
        self.count += 1
        self.numerator += fact.numerator
        self.denominator += fact.denominator
        if fact.duration is not None:
            self.durations.append(fact.duration)

    def value(self, indicator: Indicator) -> float | None:
        if indicator.kind == "people":
            return float(len(self.people))
        if indicator.kind == "count":
            return float(self.count)
        if indicator.kind == "share":
            return self.numerator / self.denominator if self.denominator else None
        return statistics.median(self.durations) if self.durations else None


# (territory_id, operator_id or None, theme or "")
Key = tuple[int, int | None, str]


def _keys(indicator: Indicator, fact: Fact):
    for territory_id in fact.territories:
        yield (territory_id, None, "")
        if indicator.by_operator and fact.operator_id is not None:
            yield (territory_id, fact.operator_id, "")
        if indicator.by_theme:
            for theme in fact.themes:
                yield (territory_id, None, theme)


def fold(indicator: Indicator, facts, *, first_month: date, tz) -> tuple[dict, dict]:
    """Cells by month ({month: {key: Cell}}) and of the whole window ({key: Cell})."""
    months: dict[date, dict[Key, Cell]] = defaultdict(lambda: defaultdict(Cell))
    window: dict[Key, Cell] = defaultdict(Cell)
    for fact in facts:
        month = month_start(timezone.localtime(fact.at, tz).date())
        if month < first_month:
            continue
        month_cells = months[month]
        for key in _keys(indicator, fact):
            month_cells[key].add(fact)
            window[key].add(fact)
    return months, window


def _rows(run, indicator, cells: dict[Key, Cell], *, period_start: date, months: int):
    for (territory_id, operator_id, theme), cell in cells.items():
        yield Aggregate(
            run=run,
            indicator=indicator.key,
            territory_id=territory_id,
            operator_id=operator_id,
            theme=theme,
            period_start=period_start,
            months=months,
            value=cell.value(indicator),
            people=len(cell.people),
        )


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
            rows = list(_rows(run, indicator, window, period_start=first_month, months=12))
            for month, cells in months.items():
                rows += _rows(run, indicator, cells, period_start=month, months=1)
            suppress(rows, parent_of=parent_of, additive_months=indicator.kind == "count")
            Aggregate.objects.bulk_create(rows, batch_size=BATCH)
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
    return run


def latest_run() -> AggregationRun | None:
    return (
        AggregationRun.objects.filter(status=AggregationRun.Status.DONE)
        .order_by("-finished_at")
        .first()
    )
