"""The pilotage at national scale: 100,000 members and 2 million events over 12 months,
the nightly aggregation timed, then the dashboards served.

On a throw-away PostgreSQL database (created, then dropped): migrate, seed_demo, then
bench/pilotage_data.py writes the members and the events with COPY (fixed seed). Then
pilotage.aggregation.run_aggregation() runs BENCH_PILOTAGE_RUNS times, each in a fresh
process: wall time, the process's peak RSS (resource.getrusage), the cells written,
against the goal (issue: under 2 minutes on PostgreSQL, 2 cores), with the machine's
load average before each run (other programs on the machine slow it down: compare runs
with a low load). Last, gunicorn as bench/run.py starts it, and wrk on the dashboards
of the nation, of a région and of a département, logged in as a pilote of the nation,
and on the read API with that pilote's key, against the trivial view /livez in the same
run (ratios, as bench/run.py prints them).

    make bench-pilotage                       # about 10 minutes on 2 cores
    BENCH_PILOTAGE_MEMBERS=10000 BENCH_PILOTAGE_EVENTS=200000 .venv/bin/python bench/pilotage.py

Needs PostgreSQL (BENCH_PILOTAGE_PG_ADMIN_URL, default
postgres://postgres@127.0.0.1:5432/postgres: a role that may create databases) and wrk.
Other knobs (environment): BENCH_PILOTAGE_DB (portal_bench_pilotage),
BENCH_PILOTAGE_RUNS (2), BENCH_PILOTAGE_SEED (2026), BENCH_PILOTAGE_KEEP_DB (0: 1 keeps
the database, to profile or to measure again with BENCH_PILOTAGE_REUSE_DB=1),
BENCH_PILOTAGE_PROFILE (0: 1 runs the aggregation under cProfile and prints where the
time goes), and bench/run.py's BENCH_DURATION, BENCH_CONNECTIONS, BENCH_WORKERS,
BENCH_PORT.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path, and this file would then
# shadow the `pilotage` app: the project's root takes its place (bench/ is reached as
# the namespace package `bench`).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
from bench import run as http_bench  # noqa: E402 (bench/run.py: server, wrk, login, table)

PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get(
    "BENCH_PILOTAGE_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
DB_NAME = os.environ.get("BENCH_PILOTAGE_DB", "portal_bench_pilotage")
MEMBERS = int(os.environ.get("BENCH_PILOTAGE_MEMBERS", "100000"))
EVENTS = int(os.environ.get("BENCH_PILOTAGE_EVENTS", "2000000"))
RUNS = int(os.environ.get("BENCH_PILOTAGE_RUNS", "2"))
SEED = int(os.environ.get("BENCH_PILOTAGE_SEED", "2026"))
KEEP_DB = os.environ.get("BENCH_PILOTAGE_KEEP_DB", "0") in {"1", "true", "yes", "on"}
REUSE_DB = os.environ.get("BENCH_PILOTAGE_REUSE_DB", "0") in {"1", "true", "yes", "on"}
PROFILE = os.environ.get("BENCH_PILOTAGE_PROFILE", "0") in {"1", "true", "yes", "on"}
GOAL_SECONDS = 120  # the issue's goal for one run of the aggregation
PILOTE_EMAIL = "claire.moreau@demo.academie.fr"  # pilotage/demo.py's pilote
REGION, DEPARTEMENT = "hauts-de-france", "nord"


@dataclass(frozen=True)
class Scenario:
    """One wrk measurement. `session`: with the pilote's session cookie; `headers`:
    extra request headers, e.g. bearer(token) for the API."""

    label: str
    path: str
    session: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def bearer(token: str) -> dict[str, str]:
    """The header of an API client (/api/pilotage/…): Scenario(…, headers=bearer(t))."""
    return {"Authorization": f"Bearer {token}"}


def scenarios() -> list[Scenario]:
    return [
        Scenario("ancre : /livez (vue triviale)", "/livez"),
        Scenario("tableau de bord national", "/pilotage/national/", session=True),
        Scenario(f"tableau de bord régional ({REGION})", f"/pilotage/{REGION}/", session=True),
        Scenario(
            f"tableau de bord départemental ({DEPARTEMENT})",
            f"/pilotage/{DEPARTEMENT}/",
            session=True,
        ),
    ]


def api_scenarios(key: str) -> list[Scenario]:
    """The read API with the pilote's key: the twelve-month values of a territory and of
    the territories under it, 1,000 to a page (the API's default), as a program
    reading the pilotage each night would ask."""
    values = "/api/pilotage/v1/territoires/{}/valeurs?periode=12-mois"
    return [
        Scenario("API : valeurs nationales", values.format("national"), headers=bearer(key)),
        Scenario(
            f"API : valeurs régionales ({REGION})", values.format(REGION), headers=bearer(key)
        ),
        Scenario(
            f"API : valeurs départementales ({DEPARTEMENT})",
            values.format(DEPARTEMENT),
            headers=bearer(key),
        ),
        Scenario(
            f"API : {DEPARTEMENT} et ses territoires",
            values.format(DEPARTEMENT) + "&sous_territoires=true",
            headers=bearer(key),
        ),
    ]


# --- phases run in child processes (Django configured by the environment) ------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def phase_generate() -> None:
    _django()
    from bench.pilotage_data import generate

    started = time.perf_counter()
    counts = generate(
        members_count=MEMBERS, events=EVENTS, seed=SEED, log=lambda line: print(line, flush=True)
    )
    grant_pilote()
    elapsed = time.perf_counter() - started
    print(
        f"Génération : {_n(counts['membres'])} membres, {_n(counts['événements'])} événements "
        f"en {elapsed:.1f} s.",
        flush=True,
    )


def grant_pilote() -> None:
    """The demo pilote also pilots the nation (so reads every territory's dashboard)."""
    from pilotage.models import PiloteRole
    from portal.people.models import Territory, User

    PiloteRole.objects.get_or_create(
        user=User.objects.get(email=PILOTE_EMAIL), territory=Territory.objects.get(slug="national")
    )


def phase_key(key_file: str) -> None:
    """A key of the pilote for the API's scenarios, made by the API's own function
    (its earlier bench keys revoked first: a pilote holds at most ten)."""
    _django()
    from pilotage import tokens
    from portal.people.models import User

    pilote = User.objects.get(email=PILOTE_EMAIL)
    for token in tokens.active(pilote).filter(name="banc"):
        tokens.revoke(token)
    _, key = tokens.issue(pilote, "banc")
    Path(key_file).write_text(key)


def phase_aggregate(result_file: str) -> None:
    import resource

    _django()
    from pilotage.aggregation import run_aggregation

    usage = resource.getrusage(resource.RUSAGE_SELF)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    profiler = None
    if PROFILE:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    run = run_aggregation()
    elapsed = time.perf_counter() - started
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime - cpu
    Path(result_file).write_text(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu,
                "rows": run.rows,
                "peak_mib": peak / 1024,
                "base_mib": before / 1024,
            }
        )
    )


# --- the orchestration -------------------------------------------------------------------


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{name}"))


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def postgres_missing() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg n'est pas installé (make install)."
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error as error:
        return (
            f"PostgreSQL injoignable (BENCH_PILOTAGE_PG_ADMIN_URL={PG_ADMIN_URL}) : "
            f"{str(error).strip()}"
        )
    return None


def child(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(Path(__file__).resolve()), *args], cwd=ROOT, env=env, check=True)


def aggregate_once(env: dict, var_dir: Path, number: int) -> dict:
    load = os.getloadavg()
    print(
        f"Calcul des indicateurs n° {number} (charge de la machine avant : "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}) …",
        flush=True,
    )
    result_file = var_dir / f"aggregation-{number}.json"
    child(env, "aggregate", str(result_file))
    result = json.loads(result_file.read_text())
    result["load"] = load[0]
    verdict = "objectif atteint" if result["seconds"] <= GOAL_SECONDS else "objectif manqué"
    print(
        f"  {result['seconds']:.1f} s, dont {result['cpu']:.1f} s de processeur pour Python "
        f"(le reste : PostgreSQL, attente) ; {_n(result['rows'])} cellules écrites ; pic de "
        f"mémoire du processus {result['peak_mib']:.0f} Mio (dont {result['base_mib']:.0f} Mio "
        f"avant le calcul) ; objectif {GOAL_SECONDS // 60} minutes : {verdict}",
        flush=True,
    )
    return result


def serve_and_measure(env: dict, key: str) -> None:
    server = http_bench.start_server(env)
    try:
        cookie = http_bench.session_cookie(PILOTE_EMAIL, http_bench.demo_password())
        print()
        print(f"Tableaux de bord, connecté en pilote du national ({PILOTE_EMAIL}) :")
        http_bench.print_header()
        anchor = None
        for scenario in scenarios() + api_scenarios(key):
            session = cookie if scenario.session else None
            http_bench.wrk(scenario.path, session, scenario.headers)  # warm-up, discarded
            result = http_bench.wrk(scenario.path, session, scenario.headers)
            anchor = anchor or result
            http_bench.print_row(scenario.label, result, anchor)
    finally:
        http_bench.stop_server(server)


def main() -> int:
    if shutil.which("wrk") is None:
        print("Banc du pilotage impossible : wrk est absent (apt-get install wrk).")
        return 1
    if missing := postgres_missing():
        print(f"Banc du pilotage impossible : il demande PostgreSQL. {missing}")
        return 1
    url = database_url(DB_NAME)
    var_dir = Path(tempfile.mkdtemp(prefix="portal-bench-pilotage-"))
    env = http_bench.bench_env(
        var_dir,
        DATABASE_URL=url,
        PYTHONUNBUFFERED="1",
        # wrk sends thousands of requests a second with one key: the limits are lifted
        # so that what is measured is serving them (the check itself still runs).
        PILOTAGE_API_PER_MINUTE="1000000000",
        PILOTAGE_API_PER_HOUR="1000000000",
    )
    results = []
    try:
        if not REUSE_DB:
            pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{DB_NAME}"')
            print(f"Préparation : base jetable {DB_NAME}, migrations, démonstration …", flush=True)
            http_bench.manage(env, "migrate", "--noinput")
            http_bench.manage(env, "seed_demo", "--force")
            print(
                f"Génération de {_n(MEMBERS)} membres et {_n(EVENTS)} événements sur 12 mois "
                f"(graine {SEED}) …",
                flush=True,
            )
            child(env, "generate")
        http_bench.manage(env, "collectstatic", "--noinput")
        results = [aggregate_once(env, var_dir, number) for number in range(1, RUNS + 1)]
        key_file = var_dir / "key"
        child(env, "key", str(key_file))
        serve_and_measure(env, key_file.read_text())
    finally:
        if not KEEP_DB:
            pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)
    if results:
        best = min(r["seconds"] for r in results)
        print()
        print(
            f"Calcul des indicateurs ({len(results)} mesures) : "
            + " ; ".join(f"{r['seconds']:.1f} s (charge {r['load']:.2f})" for r in results)
            + f". Meilleure : {best:.1f} s pour un objectif de {GOAL_SECONDS} s ; "
            f"pic de mémoire {max(r['peak_mib'] for r in results):.0f} Mio."
        )
        return 0 if best <= GOAL_SECONDS else 1
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    if len(sys.argv) > 1 and sys.argv[1] == "generate":
        phase_generate()
    elif len(sys.argv) > 2 and sys.argv[1] == "key":
        phase_key(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "aggregate":
        phase_aggregate(sys.argv[2])
    else:
        sys.exit(main())
