"""What the dashboard draws with the State's chart components (DSFR Chart), and the
French sentence that says the same thing in words.

A chart is never the only carrier of a figure: each one stands beside its text summary
and links to the table that holds its data (pilotage.selectors.tables builds both from
the same cells). A hidden cell (« < 5 ») is a gap in the chart, never a value, and the
summary counts it.
"""

import json
from dataclasses import dataclass

HIDDEN_REASON = "moins de 5 personnes"


@dataclass(frozen=True)
class Point:
    label: str  # « janv. 2026 », « Mission locale », « Nord (59) »
    value: float | None  # what the chart draws; None: a gap
    text: str  # the figure as its table shows it: « 12 », « 75 % », « < 5 »
    hidden: bool


@dataclass(frozen=True)
class Chart:
    id: str
    kind: str  # "line" (twelve months) or "bar" (operators, territories below)
    title: str
    series: str  # the legend: what the values are, with their unit
    unit: str  # after a value in the tooltip: « % », « jours », « »
    points: tuple[Point, ...]
    summary: str
    table_id: str  # the table that holds the same figures

    @property
    def x(self) -> str:
        return json.dumps([[point.label for point in self.points]], ensure_ascii=False)

    @property
    def y(self) -> str:
        return json.dumps([[point.value for point in self.points]])

    @property
    def name(self) -> str:
        return json.dumps([self.series], ensure_ascii=False)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _gaps(points, singular: str, plural: str, *, names: bool = False) -> list[str]:
    """The clauses that say what the chart leaves out: hidden cells, empty ones."""
    clauses = []
    hidden = [point for point in points if point.hidden]
    if hidden:
        clause = (
            f"{_count(len(hidden), singular, plural)} "
            f"{'masqué' if len(hidden) == 1 else 'masqués'} ({HIDDEN_REASON})"
        )
        if names:
            clause += " : " + ", ".join(point.label for point in hidden)
        clauses.append(clause)
    empty = [point for point in points if point.value is None and not point.hidden]
    if empty:
        clause = f"{_count(len(empty), singular, plural)} sans valeur (rien à calculer)"
        if names:
            clause += " : " + ", ".join(point.label for point in empty)
        clauses.append(clause)
    return clauses


def _sentence(clauses: list[str]) -> str:
    text = " ; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def _highest_or_lowest(shown: list[Point], pick) -> tuple[str, list[str]]:
    """The text of the highest (pick=max) or lowest value, and the labels that reach it."""
    value = pick(point.value for point in shown)
    at = [point for point in shown if point.value == value]
    return at[0].text, [point.label for point in at]


def _listed(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " et " + labels[-1]


def evolution_summary(points: list[Point]) -> str:
    """« La valeur passe de 12 en janv. 2026 à 48 en déc. 2026 ; le plus haut : 51 en
    oct. 2026 ; 2 mois masqués (moins de 5 personnes). »"""
    shown = [point for point in points if point.value is not None]
    span = f"de {points[0].label} à {points[-1].label}"
    if not shown:
        clauses = [f"aucune valeur à montrer {span}"]
    elif len(shown) == 1:
        clauses = [f"une seule valeur {span} : {shown[0].text} en {shown[0].label}"]
    elif all(point.value == shown[0].value for point in shown):
        clauses = [f"la valeur reste à {shown[0].text} {span}"]
    else:
        first, last = shown[0], shown[-1]
        text, months = _highest_or_lowest(shown, max)
        clauses = [
            f"la valeur passe de {first.text} en {first.label} à {last.text} en {last.label}",
            f"le plus haut : {text} en {_listed(months)}"
            if len(months) <= 3
            else f"le plus haut : {text}, sur {len(months)} mois",
        ]
    return _sentence(clauses + _gaps(points, "mois", "mois"))


def comparison_summary(points: list[Point], *, period: str, singular: str, plural: str) -> str:
    """« Sur les douze derniers mois : le plus haut, 30 (Mission locale) ; le plus bas, 0
    (6 opérateurs) ; 2 opérateurs masqués (moins de 5 personnes) : Région, Commune. »"""
    shown = [point for point in points if point.value is not None]
    if not shown:
        clauses = [f"{period} : aucune valeur à montrer"]
    elif len(shown) == 1:
        clauses = [f"{period} : {shown[0].text} ({shown[0].label}) seulement"]
    elif all(point.value == shown[0].value for point in shown):
        clauses = [f"{period} : {shown[0].text} pour chacun des {len(shown)} {plural} affichés"]
    else:
        extremes = []
        for word, pick in (("le plus haut", max), ("le plus bas", min)):
            text, labels = _highest_or_lowest(shown, pick)
            who = _listed(labels) if len(labels) <= 3 else f"{len(labels)} {plural}"
            extremes.append(f"{word}, {text} ({who})")
        clauses = [f"{period} : {extremes[0]}", extremes[1]]
    return _sentence(clauses + _gaps(points, singular, plural, names=True))


def evolution_chart(
    *, id: str, title: str, series: str, unit: str, points: list[Point], table_id: str
) -> Chart:
    """The line chart of one indicator over the twelve months."""
    return Chart(
        id, "line", title, series, unit, tuple(points), evolution_summary(points), table_id
    )


def comparison_chart(
    *,
    id: str,
    title: str,
    series: str,
    unit: str,
    points: list[Point],
    table_id: str,
    period: str,
    singular: str,
    plural: str,
) -> Chart:
    """The bar chart of one indicator across operators, or across the territories below."""
    summary = comparison_summary(points, period=period, singular=singular, plural=plural)
    return Chart(id, "bar", title, series, unit, tuple(points), summary, table_id)
