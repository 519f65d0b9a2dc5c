"""/pilotage/: the territories a person pilots, then each territory's dashboard."""

from datetime import date

from allauth.account.utils import get_next_redirect_url
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from academy.models import CourseTag
from pilotage import exports, policy
from pilotage.aggregation import add_months, latest_run
from pilotage.selectors import Filters, dashboard, month_label, tables
from portal.people.models import Operator

NOT_A_PILOTE = (
    "Le pilotage est réservé aux pilotes des comités pour l'emploi, aux animateurs pour "
    "leur espace et à l'équipe du portail. Pour devenir pilote d'un territoire, "
    "adressez-vous à l'équipe du portail."
)


def _refused(request):
    return render(
        request, "403.html", {"title": "Accès refusé", "reason": NOT_A_PILOTE}, status=403
    )


@login_required
def home(request):
    tree = policy.TerritoryTree.load()
    homes = policy.home_territories(request.user, tree)
    if not homes:
        return _refused(request)
    if len(homes) == 1:
        return redirect("pilotage:territory", slug=homes[0].slug)
    return render(request, "pilotage/home.html", {"title": "Pilotage", "territories": homes})


def _filters(request, months: list[date], operators: list[Operator], themes: list[str]):
    """The filters asked in the query string; an unknown value is ignored (with a French
    message), never an error page."""
    errors = []
    month = None
    if raw := request.GET.get("mois"):
        month = next((m for m in months if m.isoformat()[:7] == raw), None)
        if month is None:
            errors.append(
                "Ce mois n'est pas dans les douze derniers : les douze mois sont affichés."
            )
    operator = None
    if raw := request.GET.get("operateur"):
        operator = next((op for op in operators if op.slug == raw), None)
        if operator is None:
            errors.append("Cet opérateur est inconnu : tous les opérateurs sont affichés.")
    theme = request.GET.get("theme", "")
    if theme and theme not in themes:
        errors.append("Ce thème est inconnu : tous les thèmes sont affichés.")
        theme = ""
    if operator and theme:
        errors.append(
            "Un thème se lit tous opérateurs confondus : le filtre par opérateur est retiré."
        )
        operator = None
    return Filters(month=month, operator=operator, theme=theme), errors


def _readable(request, slug):
    """(tree, territory or None when the person may not read it, the ids they read);
    404 for an unknown territory."""
    tree = policy.TerritoryTree.load()
    current = next((t for t in tree.by_id.values() if t.slug == slug), None)
    if current is None:
        raise Http404("Ce territoire n'existe pas.")
    readable = policy.readable_territory_ids(request.user, tree)
    return tree, current if current.pk in readable else None, readable


@login_required
def territory(request, slug):
    tree, current, readable = _readable(request, slug)
    if current is None:
        return _refused(request)
    operators = list(Operator.objects.all())
    themes = list(
        CourseTag.objects.values_list("tag__slug", flat=True).distinct().order_by("tag__slug")
    )
    run = latest_run()
    months = [add_months(run.last_month, offset) for offset in range(-11, 1)] if run else []
    filters, errors = _filters(request, months, operators, themes)

    def link_child(child):
        return reverse("pilotage:territory", args=[child.slug]) if child.pk in readable else None

    def sections():
        # Called by the template only when the cached fragment is missing or stale.
        board = dashboard(
            run=run, territory=current, tree=tree, filters=filters, operators=operators
        )
        return tables(board, link_child=link_child)

    return render(
        request,
        "pilotage/territory.html",
        {
            "title": f"Pilotage — {current.name}",
            "territory": current,
            "ancestors": [t for t in tree.ancestors(current.pk) if t.pk in readable],
            "run": run,
            "filters": filters,
            "filter_errors": errors,
            "operators": operators,
            "themes": themes,
            "month_choices": [(m.isoformat()[:7], month_label(m)) for m in reversed(months)],
            "sections": sections,
            "sections_key": _sections_key(run, current, tree, filters, operators, readable),
            "sections_seconds": SECTIONS_SECONDS,
        },
    )


# The figures and charts of a dashboard are the same for every reader of the same run,
# territory and filters, except for the links to the territories below, which follow
# what each reader may open: they are rendered once per (run, territory, filters,
# opened children, names shown) and kept an hour; a new run changes the key, so its
# figures show at once.
SECTIONS_SECONDS = 3600


def _sections_key(run, current, tree, filters, operators, readable) -> str | None:
    """What the cached fragment depends on ({% cache %} hashes it into its key)."""
    if run is None:
        return None
    children = tree.children.get(current.pk, [])
    parent = tree.by_id.get(current.parent_id)
    parts = [
        f"run={run.pk}",
        f"territory={current.pk}",
        f"month={filters.month}",
        f"operator={filters.operator.pk if filters.operator else ''}",
        f"theme={filters.theme}",
        "opened=" + ",".join(str(c.pk) for c in children if c.pk in readable),
        # Names shown in captions and rows: a rename shows at once too.
        "names=" + "|".join(str(t) for t in [current, parent, *children] if t is not None),
        "operators=" + "|".join(f"{op.pk}:{op.name}" for op in operators),
    ]
    return "\n".join(parts)


def definitions(request):
    from pilotage.disclosure import THRESHOLD
    from pilotage.indicators import INDICATORS
    from pilotage.selectors import DOMAINS

    return render(
        request,
        "pilotage/definitions.html",
        {
            "title": "Indicateurs du pilotage et leurs formules",
            "meta_description": "Les indicateurs partagés de l'Académie et de la Communauté : "
            "définition, formule et règle de secret statistique.",
            "domains": [
                (label, [i for i in INDICATORS if i.domain == key]) for key, label in DOMAINS
            ],
            "threshold": THRESHOLD,
        },
    )


@login_required
@require_POST
def run_now(request):
    """Staff ask for a run now: the task worker computes it in a few minutes."""
    if not (request.user.is_staff or request.user.is_superuser):
        return _refused(request)
    from pilotage.tasks import aggregation_refresh

    aggregation_refresh.enqueue(requested_by_id=request.user.pk)
    messages.success(
        request,
        "Le calcul des indicateurs est demandé : les chiffres seront à jour dans quelques minutes.",
    )
    return redirect(get_next_redirect_url(request) or "pilotage:home")


SCHEMAS = {"indicateurs": exports.schema}


def table_schema(request, name):
    if name not in SCHEMAS:
        raise Http404("Ce schéma n'existe pas.")
    response = JsonResponse(
        SCHEMAS[name](name), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def territory_export(request, slug, fmt):
    tree, current, _ = _readable(request, slug)
    if current is None:
        return _refused(request)
    run = latest_run()
    ids = [current.pk] + [child.pk for child in tree.children.get(current.pk, [])]
    records = list(exports.rows(run, ids)) if run else []
    filename = (
        f"indicateurs-{current.slug}-{run.last_month:%Y-%m}"
        if run
        else f"indicateurs-{current.slug}"
    )
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(records), content_type="text/csv; charset=utf-8")
    else:
        response = JsonResponse(records, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Link"] = f'<{reverse("pilotage:schema", args=["indicateurs"])}>; rel="describedby"'
    return response


def open_data(request):
    tree = policy.TerritoryTree.load()
    readable = policy.home_territories(request.user, tree) if request.user.is_authenticated else []
    return render(
        request,
        "pilotage/open_data.html",
        {
            "title": "Données du pilotage",
            "meta_description": "Les indicateurs partagés du pilotage en CSV et JSON, leur "
            "schéma (Table Schema) et leur licence (Licence Ouverte 2.0).",
            "licence": exports.LICENCE,
            "fields": exports.FIELDS,
            "territories": readable,
        },
    )
