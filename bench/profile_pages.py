"""Where a page's time goes: each benchmarked page profiled in one process.

Runs the portal in production mode (DEBUG off) on a throw-away SQLite database
filled by seed_demo (or on DATABASE_URL), requests every page of bench/run.py's
scenarios through Django's test client, and prints per page: milliseconds per
request, queries per request, the share spent in SQL, in template rendering and
in the rest, then the functions that cost the most (cProfile, own time).

    make bench-profile
    BENCH_PROFILE_REQUESTS=50 BENCH_PROFILE_TOP=20 .venv/bin/python bench/profile_pages.py
    BENCH_PROFILE_ONLY=formation BENCH_PROFILE_SORT=cumulative \
        BENCH_PROFILE_FILTER='main/(academy|portal)' .venv/bin/python bench/profile_pages.py
"""

import cProfile
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import SCENARIOS, load_extra_scenarios, prepare  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_PROFILE_REQUESTS", "30"))
TOP = int(os.environ.get("BENCH_PROFILE_TOP", "12"))
ONLY = os.environ.get("BENCH_PROFILE_ONLY", "")  # a substring of the scenario labels
# "tottime" (own time) or "cumulative"; FILTER, a regular expression on file:line(function).
SORT = os.environ.get("BENCH_PROFILE_SORT", "tottime")
FILTER = os.environ.get("BENCH_PROFILE_FILTER", "")
SHOW_SQL = os.environ.get("BENCH_PROFILE_SQL") == "1"  # print each page's queries once


class SqlTimer:
    """A database execute wrapper that adds up the time and the count of queries."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def template_seconds(stats: pstats.Stats) -> float:
    """Cumulative time of the outermost template renders (Django's backend Template)."""
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if name == "render" and filename.endswith("template/backends/django.py"):
            total += ct
    return total


def main() -> int:
    var_dir, env = prepare("portal-profile-")
    scenarios = SCENARIOS[1:] + load_extra_scenarios(env)  # the anchor does nothing
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from portal.people.models import User

    anonymous = Client(HTTP_HOST="127.0.0.1")
    logged = Client(HTTP_HOST="127.0.0.1")
    logged.force_login(User.objects.get(email="camille.dupont@demo.academie.fr"))
    try:
        for label, path, logged_in in scenarios:
            if ONLY and ONLY not in label:
                continue
            client = logged if logged_in else anonymous
            for _ in range(3):  # warm-up: caches, template loaders, first connection
                assert client.get(path).status_code == 200, (label, path)
            if SHOW_SQL:
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as queries:
                    client.get(path)
                print(f"\n## {label} : requêtes SQL")
                for query in queries:
                    print("  " + query["sql"][:300])
            timer = SqlTimer()
            profiler = cProfile.Profile()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                profiler.enable()
                for _ in range(REQUESTS):
                    client.get(path)
                profiler.disable()
                elapsed = time.perf_counter() - start
            stats = pstats.Stats(profiler)
            per = elapsed / REQUESTS * 1000
            sql = timer.seconds / REQUESTS * 1000
            # Profiling slows Python more than the database: shares are indicative.
            tpl = template_seconds(stats) / REQUESTS * 1000
            print(
                f"\n## {label} — {path}\n"
                f"{per:.1f} ms/requête (sous cProfile), {timer.count / REQUESTS:.0f} requêtes SQL "
                f"({sql:.1f} ms), gabarits {tpl:.1f} ms (SQL lancé depuis les gabarits compris)",
                flush=True,
            )
            stats.sort_stats(SORT).print_stats(*([FILTER] if FILTER else []), TOP)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
