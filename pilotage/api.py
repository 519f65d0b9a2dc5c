"""The read API of the pilotage: the same cells as the pages and exports, for programs.

Served at /api/pilotage/v1/ with its OpenAPI 3 document at /api/pilotage/v1/openapi.json
(django-ninja builds it from the schemas below) and a French page that reads it,
/pilotage/api/. Every request carries a key (`Authorization: Bearer pil_…`, made at
/pilotage/cles/); the key reads what its owner reads, asked of pilotage/policy.py at
every request, and hidden cells (pilotage/disclosure.py) come with `masque: true`, no
value and the text « < 5 », as in the pages.

Limits: per key, 60 requests a minute and 2,000 an hour; per address, 30 refused keys
in ten minutes (then the next refused ones get 429; good keys still read):
portal/ratelimit.py counts them, across processes with the Redis cache.
"""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from pilotage import policy, tokens
from pilotage.aggregation import latest_run
from pilotage.disclosure import HIDDEN, Figure
from pilotage.exports import number
from pilotage.indicators import BY_KEY, INDICATORS
from pilotage.models import Aggregate
from pilotage.selectors import format_value
from portal.people.models import Operator
from portal.ratelimit import Window, client_address, take

# Per key (settings: PILOTAGE_API_PER_MINUTE, PILOTAGE_API_PER_HOUR; bench/pilotage.py
# lifts them to measure what serving costs, the check included).
PER_MINUTE = settings.PILOTAGE_API_PER_MINUTE
PER_HOUR = settings.PILOTAGE_API_PER_HOUR
REFUSED_PER_ADDRESS = 30
REFUSED_WINDOW_SECONDS = 600
PAGE_DEFAULT = 1_000
PAGE_MAX = 5_000


class RateLimited(Exception):
    def __init__(self, window: Window):
        self.window = window


def _refused_window(request: HttpRequest) -> Window:
    return Window(
        f"pilotage-api-refused:{client_address(request)}",
        REFUSED_PER_ADDRESS,
        REFUSED_WINDOW_SECONDS,
    )


class PiloteKey(HttpBearer):
    """A key made at /pilotage/cles/; the request then acts as its owner."""

    def __call__(self, request: HttpRequest):
        user = super().__call__(request)
        # Refused keys are counted per address; past the limit they get 429 instead of
        # 401. A good key from the same address still reads: a whole agency behind one
        # address is not stopped by one badly configured program.
        if user is None and take([_refused_window(request)]):
            raise RateLimited(_refused_window(request))
        return user

    def authenticate(self, request: HttpRequest, key: str):
        token = tokens.authenticate(key)
        if token is None:
            return None
        windows = [
            Window(f"pilotage-api:{token.pk}:minute", PER_MINUTE, 60),
            Window(f"pilotage-api:{token.pk}:hour", PER_HOUR, 3600),
        ]
        if full := take(windows):
            raise RateLimited(full)
        request.api_token = token
        return token.user


api = NinjaAPI(
    title="API du pilotage — Académie & Communauté",
    version="1",
    description=(
        "Les indicateurs partagés du pilotage (Académie et Communauté), par territoire, "
        "opérateur, thème et période, tels que les pages de /pilotage/ les montrent. "
        "Authentification : `Authorization: Bearer <clé>`, une clé créée sur /pilotage/cles/ ; "
        "elle lit ce que lit sa ou son titulaire. Secret statistique : une valeur qui compte "
        f'moins de cinq personnes est masquée (`masque: true`, `texte: "{HIDDEN}"`). '
        f"Limites : {PER_MINUTE} requêtes par minute et {PER_HOUR} par heure et par clé. "
        "Licence des données : Licence Ouverte 2.0 (etalab-2.0)."
    ),
    urls_namespace="pilotage_api",
    docs_url=None,
    auth=PiloteKey(),
)


class Erreur(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


ERRORS = {401: Erreur, 403: Erreur, 404: Erreur, 422: Erreur, 429: Erreur}


def _error(request, status: int, detail: str, **headers):
    response = api.create_response(request, {"detail": detail}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request,
        401,
        "Clé absente, inconnue, expirée ou révoquée : envoyez `Authorization: Bearer <clé>` "
        "avec une clé créée sur /pilotage/cles/.",
        WWW_Authenticate='Bearer realm="pilotage"',
    )


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return _error(
        request,
        429,
        "Trop de requêtes : attendez avant de recommencer.",
        Retry_After=str(exc.window.seconds),
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "requête"
        problems.append(f"{where} : valeur refusée")
    return _error(request, 422, "Paramètres invalides — " + " ; ".join(problems) + ".")


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


class Territoire(Schema):
    slug: str = Field(description="Identifiant stable, celui des adresses (« nord »).")
    nom: str
    niveau: Literal["national", "region", "departement", "local"]
    code_insee: str = Field(description="Code officiel géographique ; vide sinon.")
    parent: str | None = Field(description="Identifiant du territoire qui le contient.")


class TerritoireDetail(Territoire):
    sous_territoires: list[str] = Field(
        description="Identifiants des territoires juste en dessous que la clé peut lire."
    )


class Indicateur(Schema):
    cle: str
    libelle: str
    domaine: Literal["academie", "communaute"]
    nature: Literal["people", "count", "share", "median"]
    unite: str
    formule: str
    par_operateur: bool
    par_theme: bool


class Calcul(Schema):
    termine_le: datetime
    dernier_mois: date = Field(description="Premier jour du dernier mois compté.")


class Valeur(Schema):
    territoire: str
    operateur: str = Field(description="Identifiant de l'opérateur, ou « tous ».")
    theme: str = Field(description="Thème de formation, ou « tous ».")
    periode_debut: date
    periode_mois: Literal[1, 12]
    indicateur: str
    unite: str
    valeur: float | None = Field(
        description="La valeur ; absente quand elle est masquée ou qu'il n'y a rien à calculer."
    )
    masque: bool = Field(description="Vrai quand le secret statistique masque la valeur.")
    texte: str = Field(description=f"La valeur telle que les pages l'affichent (« {HIDDEN} »).")


class PageDeValeurs(Schema):
    calcul: Calcul | None = Field(description="Le calcul lu ; absent avant le premier.")
    total: int
    limite: int
    decalage: int
    valeurs: list[Valeur]


class FiltresDeValeurs(Schema):
    indicateur: str | None = Field(None, description="Clé d'un indicateur (voir /indicateurs).")
    operateur: str | None = Field(None, description="Identifiant d'un opérateur, ou « tous ».")
    theme: str | None = Field(None, description="Thème de formation, ou « tous ».")
    periode: str | None = Field(
        None,
        pattern=r"^(\d{4}-\d{2}|12-mois)$",
        description="« AAAA-MM » pour un mois, « 12-mois » pour les douze mois.",
    )
    sous_territoires: bool = Field(
        False, description="Vrai : ajoute les territoires juste en dessous."
    )
    limite: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)
    decalage: int = Field(0, ge=0)


def _readable(request, slug: str | None = None):
    tree = policy.TerritoryTree.load()
    readable = policy.readable_territory_ids(request.auth, tree)
    if not readable:
        raise HttpError(
            403,
            "Cette clé ne lit plus aucun territoire : son ou sa titulaire n'a plus de rôle "
            "de pilote ni d'animateur.",
        )
    if slug is None:
        return tree, readable, None
    current = next((t for t in tree.by_id.values() if t.slug == slug), None)
    if current is None:
        raise HttpError(404, "Ce territoire n'existe pas.")
    if current.pk not in readable:
        raise HttpError(403, "Cette clé ne lit pas ce territoire.")
    return tree, readable, current


def _territory(territory, tree) -> dict:
    parent = tree.by_id.get(territory.parent_id)
    return {
        "slug": territory.slug,
        "nom": territory.name,
        "niveau": territory.level,
        "code_insee": territory.insee_code,
        "parent": parent.slug if parent else None,
    }


@api.get(
    "/territoires",
    response={200: list[Territoire], **ERRORS},
    summary="Les territoires que la clé lit",
    tags=["territoires"],
)
def territoires(request):
    tree, readable, _ = _readable(request)
    found = [tree.by_id[pk] for pk in readable]
    found.sort(key=lambda t: (policy.LEVEL_ORDER[t.level], t.name, t.slug))
    return [_territory(t, tree) for t in found]


@api.get(
    "/territoires/{slug}",
    response={200: TerritoireDetail, **ERRORS},
    summary="Un territoire et ceux qu'il contient",
    tags=["territoires"],
)
def territoire(request, slug: str):
    tree, readable, current = _readable(request, slug)
    return {
        **_territory(current, tree),
        "sous_territoires": [
            child.slug for child in tree.children.get(current.pk, []) if child.pk in readable
        ],
    }


@api.get(
    "/indicateurs",
    response={200: list[Indicateur], **ERRORS},
    summary="Les indicateurs et leurs formules",
    tags=["indicateurs"],
)
def indicateurs(request):
    return [
        {
            "cle": i.key,
            "libelle": i.label,
            "domaine": i.domain,
            "nature": i.kind,
            "unite": i.unit,
            "formule": i.formula,
            "par_operateur": i.by_operator,
            "par_theme": i.by_theme,
        }
        for i in INDICATORS
    ]


@api.get(
    "/territoires/{slug}/valeurs",
    response={200: PageDeValeurs, **ERRORS},
    summary="Les valeurs des indicateurs d'un territoire",
    description="Une valeur par indicateur, opérateur, thème et période du dernier calcul, "
    "dans un ordre stable (territoire, indicateur, période, opérateur, thème) ; "
    "`limite` et `decalage` pour lire page par page.",
    tags=["indicateurs"],
)
def valeurs(request, slug: str, filtres: Query[FiltresDeValeurs]):
    tree, readable, current = _readable(request, slug)
    ids = [current.pk]
    if filtres.sous_territoires:
        ids += [c.pk for c in tree.children.get(current.pk, []) if c.pk in readable]
    run = latest_run()
    page = {"calcul": None, "total": 0, "limite": filtres.limite, "decalage": filtres.decalage}
    if run is None:
        return {**page, "valeurs": []}
    cells = Aggregate.objects.filter(run=run, territory_id__in=ids)
    if filtres.indicateur is not None:
        if filtres.indicateur not in BY_KEY:
            raise HttpError(422, "Cet indicateur est inconnu : voir /indicateurs.")
        cells = cells.filter(indicator=filtres.indicateur)
    if filtres.operateur == "tous":
        cells = cells.filter(operator__isnull=True)
    elif filtres.operateur is not None:
        operator = Operator.objects.filter(slug=filtres.operateur).first()
        if operator is None:
            raise HttpError(422, "Cet opérateur est inconnu.")
        cells = cells.filter(operator=operator)
    if filtres.theme is not None:
        cells = cells.filter(theme="" if filtres.theme == "tous" else filtres.theme)
    if filtres.periode == "12-mois":
        cells = cells.filter(months=12)
    elif filtres.periode is not None:
        try:
            month = date.fromisoformat(filtres.periode + "-01")
        except ValueError:
            raise HttpError(422, "Ce mois n'existe pas : écrivez-le « AAAA-MM ».") from None
        cells = cells.filter(months=1, period_start=month)
    total = cells.count()
    cells = cells.select_related("operator").order_by(
        "territory_id", "indicator", "months", "period_start", "operator_id", "theme", "pk"
    )[filtres.decalage : filtres.decalage + filtres.limite]
    found = []
    for cell in cells:
        indicator = BY_KEY.get(cell.indicator)
        if indicator is None:
            continue
        found.append(
            {
                "territoire": tree.by_id[cell.territory_id].slug,
                "operateur": cell.operator.slug if cell.operator else "tous",
                "theme": cell.theme or "tous",
                "periode_debut": cell.period_start,
                "periode_mois": cell.months,
                "indicateur": cell.indicator,
                "unite": indicator.unit,
                "valeur": None if cell.hidden else number(cell.value),
                "masque": cell.hidden,
                "texte": format_value(indicator, Figure(cell.value, cell.people, cell.hidden)),
            }
        )
    return {
        **page,
        "calcul": {"termine_le": run.finished_at, "dernier_mois": run.last_month},
        "total": total,
        "valeurs": found,
    }


def openapi_url() -> str:
    return reverse("pilotage_api:openapi-json")
