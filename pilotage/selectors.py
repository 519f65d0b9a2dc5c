"""What a dashboard shows, read from the latest run's cells: a fixed number of queries
whatever the number of territories (pinned by tests/pilotage/test_dashboard.py)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from pilotage.aggregation import add_months
from pilotage.charts import Chart, Point, comparison_chart, evolution_chart
from pilotage.disclosure import HIDDEN, Figure
from pilotage.indicators import INDICATORS, Indicator
from pilotage.models import Aggregate, AggregationRun
from pilotage.policy import TerritoryTree
from portal.people.models import Operator, Territory

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def month_label(month: date) -> str:
    return f"{MONTHS_FR[month.month - 1]} {month.year}"


def format_value(indicator: Indicator, item: Figure) -> str:
    """A figure as a French reader reads it: « 1 234 », « 75 % », « 4,5 jours »,
    « < 5 » when hidden, « — » when there is nothing to compute."""
    if item.hidden:
        return HIDDEN
    if item.value is None:
        return "—"
    if indicator.unit == "part":
        return f"{round(item.value * 100)} %"
    if indicator.kind == "median":
        return f"{item.value:.1f} {indicator.unit}".replace(".", ",")
    return f"{round(item.value):,}".replace(",", "\u202f")


def chart_value(indicator: Indicator, item: Figure) -> float | None:
    """A figure as a chart draws it: the number its table shows, a share in percent (at
    the table's precision, so that chart, table and summary agree), or None, a gap,
    when it is hidden or there is nothing to compute: never 0 for « < 5 »."""
    if item.hidden or item.value is None:
        return None
    if indicator.unit == "part":
        return round(item.value * 100)
    if indicator.kind == "median":
        return round(item.value, 1)
    return round(item.value)


@dataclass(frozen=True)
class Filters:
    month: date | None  # None: the 12 months
    operator: Operator | None
    theme: str

    def query(self) -> Q:
        query = Q(operator=self.operator) if self.operator else Q(operator__isnull=True)
        return query & Q(theme=self.theme)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    figure: Figure
    text: str
    parent_text: str | None


@dataclass(frozen=True)
class Dashboard:
    run: AggregationRun
    territory: Territory
    parent: Territory | None
    children: list[Territory]
    months: list[date]
    key_figures: list[Row]
    operators: list[Operator]
    # indicator key -> its figures, one a month (of `months`), an operator (of
    # `operators`, for the indicators by operator) or a child territory (of `children`):
    # the tables show them as text, the charts draw them.
    evolution: dict[str, list[Figure]]
    by_operator: dict[str, list[Figure]]
    by_child: dict[str, list[Figure]]
    month: date | None = None  # the period of the key figures and comparisons; None: 12 months


def _figure(cell: Aggregate | None, indicator: Indicator) -> Figure:
    if cell is None:
        empty = 0.0 if indicator.kind in ("people", "count") else None
        return Figure(empty, 0, False)
    return Figure(cell.value, cell.people, cell.hidden)


def dashboard(
    *,
    run: AggregationRun,
    territory: Territory,
    tree: TerritoryTree,
    filters: Filters,
    operators: list[Operator],
) -> Dashboard:
    months = [add_months(run.last_month, offset) for offset in range(-11, 1)]
    parent = tree.by_id.get(territory.parent_id) if territory.parent_id else None
    children = tree.children.get(territory.pk, [])
    period = (
        Q(months=1, period_start=filters.month)
        if filters.month
        else Q(months=12, period_start=months[0])
    )
    selected = filters.query()
    # One query: this territory's cells (every month, every operator of the chosen
    # theme), its parent's and children's cells of the chosen period and filters.
    cells = Aggregate.objects.filter(run=run).filter(
        Q(territory=territory, theme=filters.theme)
        | (
            Q(territory_id__in=[c.pk for c in children] + ([parent.pk] if parent else []))
            & period
            & selected
        )
    )
    found: dict[tuple, Aggregate] = {}
    for cell in cells:
        found[
            (cell.indicator, cell.territory_id, cell.operator_id, cell.months, cell.period_start)
        ] = cell

    def at(indicator, territory_id, operator_id, months_count, start):
        return found.get((indicator.key, territory_id, operator_id, months_count, start))

    months_count, start = (1, filters.month) if filters.month else (12, months[0])
    chosen_operator = filters.operator.pk if filters.operator else None
    key_figures, evolution, by_operator, by_child = [], {}, {}, {}
    for indicator in INDICATORS:
        if filters.operator and not indicator.by_operator:
            continue
        if filters.theme and not indicator.by_theme:
            continue
        own = _figure(at(indicator, territory.pk, chosen_operator, months_count, start), indicator)
        parent_text = (
            format_value(
                indicator,
                _figure(at(indicator, parent.pk, chosen_operator, months_count, start), indicator),
            )
            if parent
            else None
        )
        key_figures.append(Row(indicator, own, format_value(indicator, own), parent_text))
        evolution[indicator.key] = [
            _figure(at(indicator, territory.pk, chosen_operator, 1, month), indicator)
            for month in months
        ]
        if indicator.by_operator and not filters.theme:
            by_operator[indicator.key] = [
                _figure(at(indicator, territory.pk, op.pk, months_count, start), indicator)
                for op in operators
            ]
        by_child[indicator.key] = [
            _figure(at(indicator, child.pk, chosen_operator, months_count, start), indicator)
            for child in children
        ]
    return Dashboard(
        run=run,
        territory=territory,
        parent=parent,
        children=children,
        months=months,
        key_figures=key_figures,
        operators=operators,
        evolution=evolution,
        by_operator=by_operator,
        by_child=by_child,
        month=filters.month,
    )


DOMAINS = [("academie", "Académie"), ("communaute", "Communauté")]
# The indicator a domain's bar charts compare across operators and territories: its
# headline, the people it reaches (another one when a filter leaves it out).
COMPARED = {"academie": "inscrits", "communaute": "membres_actifs"}


@dataclass(frozen=True)
class Table:
    caption: str
    head: list[str]
    rows: list[tuple[str, str | None, list[str]]]  # (label, link or None, cells)
    id: str = ""  # the anchor its charts link to
    charts: tuple[Chart, ...] = ()  # drawn from this table's figures, shown above it


SHORT_MONTHS_FR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def short_month(month: date) -> str:
    return f"{SHORT_MONTHS_FR[month.month - 1]} {month.year}"


def _series(indicator: Indicator) -> tuple[str, str]:
    """(legend, tooltip unit) of an indicator's charts."""
    if indicator.unit == "part":
        return f"{indicator.label} (en %)", "%"
    if indicator.kind == "median":
        return f"{indicator.label} (en {indicator.unit})", indicator.unit
    return f"{indicator.label} ({indicator.unit})", ""


def _points(indicator: Indicator, labels: list[str], figures: list[Figure]) -> list[Point]:
    return [
        Point(label, chart_value(indicator, item), format_value(indicator, item), item.hidden)
        for label, item in zip(labels, figures, strict=True)
    ]


def _line(indicator: Indicator, labels: list[str], figures: list[Figure], *, table_id) -> Chart:
    series, unit = _series(indicator)
    return evolution_chart(
        id=f"graphique-{indicator.key}",
        title=indicator.label,
        series=series,
        unit=unit,
        points=_points(indicator, labels, figures),
        table_id=table_id,
    )


def _bars(
    indicator: Indicator, labels: list[str], figures: list[Figure], *, table_id, title, **words
) -> Chart:
    series, unit = _series(indicator)
    return comparison_chart(
        id=f"graphique-{table_id}",
        title=title,
        series=series,
        unit=unit,
        points=_points(indicator, labels, figures),
        table_id=table_id,
        **words,
    )


def _texts(indicator: Indicator, figures: list[Figure]) -> list[str]:
    return [format_value(indicator, figure) for figure in figures]


def _compared(domain: str, rows: list[Row]) -> Indicator:
    return next(
        (r.indicator for r in rows if r.indicator.key == COMPARED[domain]), rows[0].indicator
    )


def tables(board: Dashboard, *, link_child) -> list[tuple[str, list[Table]]]:
    """The dashboard's tables, by domain: key figures (with the parent territory),
    evolution over 12 months, by operator, by territory below, each with the charts
    drawn from its figures. link_child(territory) gives a child's dashboard address,
    or None where the reader may not open it."""
    name = board.territory.name
    period = f"en {month_label(board.month)}" if board.month else "sur les douze derniers mois"
    month_labels = [short_month(m) for m in board.months]
    sections = []
    for domain, domain_label in DOMAINS:
        rows = [row for row in board.key_figures if row.indicator.domain == domain]
        if not rows:
            continue
        head = ["Indicateur", name] + (
            [f"{board.parent.name} (comparaison)"] if board.parent else []
        )
        key = Table(
            f"{domain_label} : chiffres clés, {name}",
            head,
            [
                (
                    row.indicator.label,
                    None,
                    [row.text] + ([row.parent_text] if board.parent else []),
                )
                for row in rows
            ],
            id=f"{domain}-chiffres-cles",
        )
        evolution_id = f"{domain}-evolution"
        evolution = Table(
            f"{domain_label} : évolution sur douze mois, {name}",
            ["Indicateur", *month_labels],
            [
                (
                    row.indicator.label,
                    None,
                    _texts(row.indicator, board.evolution[row.indicator.key]),
                )
                for row in rows
            ],
            id=evolution_id,
            charts=tuple(
                _line(
                    row.indicator,
                    month_labels,
                    board.evolution[row.indicator.key],
                    table_id=evolution_id,
                )
                for row in rows
            ),
        )
        section = [key, evolution]
        by_operator = [row for row in rows if row.indicator.key in board.by_operator]
        if by_operator:
            operators = board.operators
            compared = _compared(domain, by_operator)
            section.append(
                Table(
                    f"{domain_label} : par opérateur, {name}",
                    ["Opérateur", *[row.indicator.label for row in by_operator]],
                    [
                        (
                            op.name,
                            None,
                            [
                                format_value(row.indicator, board.by_operator[row.indicator.key][i])
                                for row in by_operator
                            ],
                        )
                        for i, op in enumerate(operators)
                    ],
                    id=f"{domain}-operateurs",
                    charts=(
                        _bars(
                            compared,
                            [op.name for op in operators],
                            board.by_operator[compared.key],
                            table_id=f"{domain}-operateurs",
                            title=f"{compared.label}, par opérateur",
                            period=period,
                            singular="opérateur",
                            plural="opérateurs",
                        ),
                    ),
                )
            )
        if board.children:
            compared = _compared(domain, rows)
            section.append(
                Table(
                    f"{domain_label} : territoires de {name}",
                    ["Territoire", *[row.indicator.label for row in rows]],
                    [
                        (
                            str(child),
                            link_child(child),
                            [
                                format_value(row.indicator, board.by_child[row.indicator.key][i])
                                for row in rows
                            ],
                        )
                        for i, child in enumerate(board.children)
                    ],
                    id=f"{domain}-territoires",
                    charts=(
                        _bars(
                            compared,
                            [str(child) for child in board.children],
                            board.by_child[compared.key],
                            table_id=f"{domain}-territoires",
                            title=f"{compared.label}, territoires de {name}",
                            period=period,
                            singular="territoire",
                            plural="territoires",
                        ),
                    ),
                )
            )
        sections.append((domain_label, section))
    return sections
