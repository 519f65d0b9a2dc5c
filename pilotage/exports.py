"""The pilotage's figures as data: CSV (UTF-8, comma-separated, RFC 4180) and JSON, each
described by a Table Schema (specs.frictionlessdata.io/table-schema, the convention of
schema.data.gouv.fr) served at /pilotage/schemas/<name>.json.

One table, in long form: a row per cell of the latest run, for a territory and the
territories right below it, all operators and themes, every month and the 12 months.
Hidden cells (pilotage/disclosure.py) carry « < 5 » instead of their value: the
schema declares it as a missing value, so that a number column stays a number column.
"""

import csv
import io

from pilotage.disclosure import HIDDEN
from pilotage.indicators import BY_KEY
from pilotage.models import Aggregate, AggregationRun

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

FIELDS = [
    {
        "name": "territoire",
        "title": "Territoire (identifiant)",
        "description": "Identifiant stable du territoire, celui de ses adresses "
        "(par exemple « nord »).",
        "type": "string",
        "constraints": {"required": True, "pattern": "[a-z0-9-]+"},
    },
    {
        "name": "territoire_nom",
        "title": "Territoire",
        "description": "Nom du territoire.",
        "type": "string",
        "constraints": {"required": True},
    },
    {
        "name": "niveau",
        "title": "Niveau du territoire",
        "description": "national, region, departement ou local (comité local pour l'emploi).",
        "type": "string",
        "constraints": {"required": True, "enum": ["national", "region", "departement", "local"]},
    },
    {
        "name": "code_insee",
        "title": "Code INSEE",
        "description": "Code officiel géographique de la région ou du département ; vide sinon.",
        "type": "string",
        "constraints": {"required": False, "pattern": "[0-9AB]{2,3}"},
    },
    {
        "name": "operateur",
        "title": "Opérateur",
        "description": "Identifiant de l'opérateur (par exemple « france-travail ») ; « tous » : "
        "tous opérateurs, personnes sans opérateur comprises.",
        "type": "string",
        "constraints": {"required": True},
    },
    {
        "name": "theme",
        "title": "Thème de formation",
        "description": "Thème des formations comptées (indicateurs de l'Académie) ; « tous » : "
        "tous thèmes.",
        "type": "string",
        "constraints": {"required": True},
    },
    {
        "name": "periode_debut",
        "title": "Début de la période",
        "description": "Premier jour du mois, ou du premier des douze mois.",
        "type": "date",
        "constraints": {"required": True},
    },
    {
        "name": "periode_mois",
        "title": "Durée de la période (mois)",
        "description": "1 : un mois ; 12 : les douze mois qui finissent avec le mois du calcul.",
        "type": "integer",
        "constraints": {"required": True, "enum": [1, 12]},
    },
    {
        "name": "indicateur",
        "title": "Indicateur",
        "description": "Clé de l'indicateur ; sa formule est publiée à /pilotage/indicateurs/.",
        "type": "string",
        "constraints": {"required": True, "enum": list(BY_KEY)},
    },
    {
        "name": "unite",
        "title": "Unité",
        "description": "personnes, nombre, part (entre 0 et 1), jours ou heures.",
        "type": "string",
        "constraints": {
            "required": True,
            "enum": ["personnes", "nombre", "part", "jours", "heures"],
        },
    },
    {
        "name": "valeur",
        "title": "Valeur",
        "description": f"La valeur ; « {HIDDEN} » quand elle compte moins de cinq personnes ou "
        "permettrait d'en retrouver une qui le fait ; vide quand il n'y a rien à calculer "
        "(une part sans dénominateur).",
        "type": "number",
        "constraints": {"required": False, "minimum": 0},
    },
]

COLUMNS = [field["name"] for field in FIELDS]


def schema(name: str = "indicateurs") -> dict:
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": name,
        "title": "Indicateurs partagés du pilotage de l'Académie et de la Communauté",
        "description": "Une ligne par indicateur, territoire, opérateur, thème et période. "
        "Secret statistique : « < 5 » remplace toute valeur qui compte moins de cinq "
        "personnes.",
        "licenses": [LICENCE],
        "fields": FIELDS,
        "missingValues": ["", HIDDEN],
        "primaryKey": [
            "territoire",
            "operateur",
            "theme",
            "periode_debut",
            "periode_mois",
            "indicateur",
        ],
    }


def number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.is_integer() else float(f"{value:.6g}")


def rows(run: AggregationRun, territory_ids: list[int]):
    cells = (
        Aggregate.objects.filter(run=run, territory_id__in=territory_ids)
        .select_related("territory", "operator")
        .order_by("territory__level", "territory__name", "indicator", "months", "period_start")
    )
    for cell in cells.iterator(chunk_size=5_000):
        indicator = BY_KEY.get(cell.indicator)
        if indicator is None:
            continue
        yield {
            "territoire": cell.territory.slug,
            "territoire_nom": cell.territory.name,
            "niveau": cell.territory.level,
            "code_insee": cell.territory.insee_code,
            "operateur": cell.operator.slug if cell.operator else "tous",
            "theme": cell.theme or "tous",
            "periode_debut": cell.period_start.isoformat(),
            "periode_mois": cell.months,
            "indicateur": cell.indicator,
            "unite": indicator.unit,
            # « < 5 », None (nothing to compute) or the number.
            "valeur": HIDDEN if cell.hidden else number(cell.value),
        }


def as_csv(records) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)  # None is written as an empty field
    return out.getvalue()
