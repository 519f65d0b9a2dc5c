"""HTTP benchmarks of the portal, each against its anchor in the same run.

Starts the production topology for pages (gunicorn, WSGI, 2 workers, DEBUG off,
WhiteNoise) on a throw-away database filled by seed_demo, then drives it with
wrk (Debian package `wrk`). The anchor is /livez, a view that touches nothing,
served by the same server in the same run: ratios, not absolute numbers, are
what compares across machines.

    make bench                      # SQLite file under var/bench/
    DATABASE_URL=postgres://… make bench
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")

# (label, path, logged in?)
SCENARIOS = [
    ("ancre : /livez (vue triviale)", "/livez", False),
    ("accueil, anonyme", "/", False),
    ("accueil, connecté", "/", True),
]
EXTRA_SCENARIOS_FILE = ROOT / "bench" / "scenarios.py"


def load_extra_scenarios(env: dict) -> list:
    """Later issues add (label, path, logged_in) tuples in bench/scenarios.py.

    Paths may hold {placeholders} whose values its LOOKUPS shell code prints
    (name=value lines) once the demo content exists.
    """
    if not EXTRA_SCENARIOS_FILE.exists():
        return []
    namespace: dict = {}
    exec(EXTRA_SCENARIOS_FILE.read_text(), namespace)  # noqa: S102 — our own file
    values = {}
    if namespace.get("LOOKUPS"):
        out = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", namespace["LOOKUPS"]],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return [
        (label, path.format(**values), logged) for label, path, logged in namespace["SCENARIOS"]
    ]


def bench_env(var_dir: Path, **overrides: str) -> dict:
    """The portal in production mode on this machine, with throw-away state in var_dir
    (bench/chat.py adds its database and Redis through `overrides`)."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": BASE,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "0",
            "VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(var_dir / "static"),
            "LOG_LEVEL": "WARNING",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    )
    env.update(overrides)
    env.setdefault("DATABASE_URL", f"sqlite:///{var_dir / 'bench.sqlite3'}")
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def session_cookie(email: str, password: str) -> str:
    """Log in through the real form and return the Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/comptes/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
    request = urllib.request.Request(
        f"{BASE}/comptes/login/", data=data.encode(), headers={"Referer": f"{BASE}/comptes/login/"}
    )
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("Connexion de démonstration impossible : pas de cookie de session.")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def demo_password() -> str:
    # Read, not imported: importing portal.demo needs configured Django settings.
    source = (ROOT / "portal" / "demo.py").read_text()
    return re.search(r'^DEMO_PASSWORD = "([^"]+)"', source, re.M).group(1)


def wrk(path: str, cookie: str | None, headers: dict[str, str] | None = None) -> dict:
    """wrk against BASE + path; `headers` are sent with every request (for instance
    {"Authorization": "Bearer …"} for the API)."""
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, BASE + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def start_server(env: dict) -> subprocess.Popen:
    """gunicorn as production serves pages (WSGI, gthread), once /livez answers."""
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/livez", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    return server


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)


def cache_state(path: str, cookie: str | None) -> str:
    """What portal/page_cache.py answered: HIT (a stored copy), MISS (stored now), or "-"
    (rendered for this request only: logged in, or not cacheable)."""
    headers = {"Cookie": cookie} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(BASE + path, headers=headers)) as r:
        return r.headers.get("X-Cache", "-")


def static_report() -> None:
    """The headers of the assets the home page links: hashed names, cached for a year,
    compressed (WhiteNoise's CompressedManifestStaticFilesStorage)."""
    page = urllib.request.urlopen(f"{BASE}/").read().decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)[:3]
    print("Fichiers statiques (Accept-Encoding: gzip, br) :")
    for asset in assets:
        request = urllib.request.Request(BASE + asset, headers={"Accept-Encoding": "gzip, br"})
        with urllib.request.urlopen(request) as r:
            print(
                f"  {asset} : Cache-Control={r.headers.get('Cache-Control')} ; "
                f"Content-Encoding={r.headers.get('Content-Encoding')}"
            )


def print_header() -> None:
    print(
        f"gunicorn WSGI (gthread, 4 threads), {WORKERS} workers ; "
        f"wrk 2 threads, {CONNECTIONS} connexions, "
        f"{DURATION} par scénario ; {os.cpu_count()} cœurs"
    )
    print(
        f"{'scénario':<44}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio req/s':>13}"
        f"{'erreurs':>9}{'cache':>7}"
    )


def print_row(label: str, result: dict, anchor: dict, cache: str = "-") -> None:
    ratio = result["rps"] / anchor["rps"]
    print(
        f"{label:<44}{result['rps']:>9.0f}{result['p50']:>9.1f}{result['p99']:>9.1f}"
        f"{ratio:>13.2f}{result['errors']:>9}{cache:>7}",
        flush=True,
    )


def prepare(prefix: str) -> tuple[Path, dict]:
    """A throw-away VAR_DIR and its environment, with the demo content and the static files."""
    var_dir = Path(tempfile.mkdtemp(prefix=prefix))
    env = bench_env(var_dir)
    print(f"Préparation (base : {env['DATABASE_URL'].split('@')[-1]}) …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--force")
    manage(env, "collectstatic", "--noinput")
    return var_dir, env


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk est absent : apt-get install wrk")
        return 1
    var_dir, env = prepare("portal-bench-")
    server = start_server(env)
    try:
        cookie = session_cookie("camille.dupont@demo.academie.fr", demo_password())
        scenarios = SCENARIOS + load_extra_scenarios(env)
        static_report()
        print_header()
        anchor = None
        for label, path, logged_in in scenarios:
            wrk(path, cookie if logged_in else None)  # warm-up pass, discarded
            state = cache_state(path, cookie if logged_in else None)
            result = wrk(path, cookie if logged_in else None)
            anchor = anchor or result
            print_row(label, result, anchor, state)
    finally:
        stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
