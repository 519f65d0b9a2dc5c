"""portal/settings.py is one module configured by environment variables.

The test process has already imported it once, so each configuration is read in
a fresh interpreter with a controlled environment: nothing of the developer's or
the CI's own variables leaks in, and VAR_DIR / STATIC_ROOT point at a temporary
directory so that nothing is written to the repository.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Variables of the host environment that a subprocess may keep: the rest
# (DATABASE_URL, REDIS_URL, DEBUG, SECRET_KEY…) is exactly what is under test.
KEPT_VARIABLES = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}

PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
import django
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}, default=str))
"""

PRODUCTION = {
    "DEBUG": "0",
    # 50+ characters, many distinct ones: what check --deploy asks of a key.
    "SECRET_KEY": "k3Y-for-tests-only-" + "aZ9%xQ7!mP2@wL5#" * 4,
    "ALLOWED_HOSTS": "portal.example.fr",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.fr",
}


@pytest.fixture
def run_env(tmp_path):
    """Build a clean environment for a subprocess, plus the given variables."""

    def build(**variables: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key in KEPT_VARIABLES}
        env["VAR_DIR"] = str(tmp_path / "var")
        env["STATIC_ROOT"] = str(tmp_path / "static")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.update(variables)
        return env

    return build


def run_python(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def read_settings(env: dict[str, str], *names: str) -> dict:
    result = run_python(env, PROBE.format(names=names))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- Embedded default -----------------------------------------------------------------


def test_embedded_defaults(run_env, tmp_path):
    env = run_env()
    values = read_settings(
        env,
        "DEBUG",
        "DATABASES",
        "CHANNEL_LAYERS",
        "CACHES",
        "EMAIL_BACKEND",
        "ALLOWED_HOSTS",
        "STORAGES",
        "TASKS",
        "REDIS_URL",
        "IS_POSTGRES",
    )

    assert values["DEBUG"] is True
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "var" / "portal.sqlite3")
    assert "PRAGMA journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert values["IS_POSTGRES"] is False
    assert values["REDIS_URL"] == ""
    assert values["CHANNEL_LAYERS"]["default"]["BACKEND"] == (
        "channels.layers.InMemoryChannelLayer"
    )
    assert values["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert "localhost" in values["ALLOWED_HOSTS"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert values["STORAGES"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_embedded_secret_key_is_generated_once_and_kept(run_env, tmp_path):
    env = run_env()

    first = read_settings(env, "SECRET_KEY")["SECRET_KEY"]
    second = read_settings(env, "SECRET_KEY")["SECRET_KEY"]

    key_file = tmp_path / "var" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


# --- PostgreSQL and Redis (importing the settings does not connect) -------------------


def test_postgres_and_redis_urls(run_env):
    env = run_env(
        DATABASE_URL="postgres://portal:secret@db.internal:5433/portal",
        REDIS_URL="redis://redis.internal:6380/2",
    )
    values = read_settings(env, "DATABASES", "CHANNEL_LAYERS", "CACHES", "IS_POSTGRES")

    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5433,
        "portal",
        "portal",
    )
    assert db["CONN_MAX_AGE"] > 0
    assert db["CONN_HEALTH_CHECKS"] is True
    assert "init_command" not in db.get("OPTIONS", {})
    assert values["IS_POSTGRES"] is True

    layer = values["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert layer["CONFIG"]["hosts"] == ["redis://redis.internal:6380/2"]
    assert layer["CONFIG"]["prefix"] == "portal"

    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "portal.cache.SharedRedisCache"
    assert cache["LOCATION"] == "redis://redis.internal:6380/2"
    assert cache["KEY_PREFIX"] == "portal"
    # A dead Redis must not hang a request: the cache gives up within seconds.
    assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 5
    assert 0 < cache["OPTIONS"]["socket_timeout"] <= 5


def test_conn_max_age_and_cache_prefix_from_environment(run_env):
    env = run_env(
        DATABASE_URL="postgres://portal@db.internal/portal",
        REDIS_URL="redis://redis.internal:6379/0",
        CONN_MAX_AGE="0",
        CACHE_KEY_PREFIX="preprod",
    )
    values = read_settings(env, "DATABASES", "CHANNEL_LAYERS", "CACHES")

    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    assert values["CACHES"]["default"]["KEY_PREFIX"] == "preprod"
    assert values["CHANNEL_LAYERS"]["default"]["CONFIG"]["prefix"] == "preprod"


# --- Production --------------------------------------------------------------------------


def test_production_settings(run_env):
    values = read_settings(
        run_env(**PRODUCTION),
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "STORAGES",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CONTENT_SECURITY_POLICY",
    )

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["portal.example.fr"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://portal.example.fr"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    # No plain ws:// from the browser once the site is served over TLS.
    assert "ws:" not in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["connect-src"]


def test_production_check_deploy_is_clean(run_env, tmp_path):
    result = manage(run_env(**PRODUCTION), "check", "--deploy", "--fail-level", "WARNING")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    # Nothing written outside the temporary directory.
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY est obligatoire quand DEBUG est désactivé."),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS est obligatoire quand DEBUG est désactivé."),
    ],
)
def test_production_refuses_to_start_without(run_env, missing, message):
    variables = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = manage(run_env(**variables), "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_ssl_redirect_and_hsts_can_be_tuned(run_env):
    env = run_env(**PRODUCTION, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="3600")
    values = read_settings(env, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")

    assert values == {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 3600}


def test_media_on_s3_when_a_bucket_is_set(run_env):
    env = run_env(
        **PRODUCTION,
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        AWS_S3_REGION_NAME="fr-par",
    )
    storage = read_settings(env, "STORAGES")["STORAGES"]["default"]

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "portal-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    assert storage["OPTIONS"]["region_name"] == "fr-par"
    # Private bucket: signed URLs, no public ACL.
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert storage["OPTIONS"]["default_acl"] is None


# --- E-mail ------------------------------------------------------------------------------

EMAIL_NAMES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_SSL",
    "EMAIL_USE_TLS",
)
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://relay%40example.fr:p%40ss%3Aword@smtp.example.fr:2525",
            (SMTP, "smtp.example.fr", 2525, "relay@example.fr", "p@ss:word", False, False),
        ),
        ("smtp://smtp.example.fr", (SMTP, "smtp.example.fr", 25, "", "", False, False)),
        ("smtp://smtp.example.fr?tls=1", (SMTP, "smtp.example.fr", 25, "", "", False, True)),
        (
            "submission://u:p@smtp.example.fr",
            (SMTP, "smtp.example.fr", 587, "u", "p", False, True),
        ),
        ("smtps://u:p@smtp.example.fr", (SMTP, "smtp.example.fr", 465, "u", "p", True, False)),
    ],
)
def test_email_url_smtp(run_env, url, expected):
    values = read_settings(run_env(EMAIL_URL=url), *EMAIL_NAMES)

    assert tuple(values[name] for name in EMAIL_NAMES) == expected


def test_email_url_file_and_default_sender(run_env, tmp_path):
    env = run_env(
        EMAIL_URL=f"file://{tmp_path}/mails",
        DEFAULT_FROM_EMAIL="Portail <portail@example.fr>",
    )
    values = read_settings(
        env, "EMAIL_BACKEND", "EMAIL_FILE_PATH", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL"
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": f"{tmp_path}/mails",
        "DEFAULT_FROM_EMAIL": "Portail <portail@example.fr>",
        "SERVER_EMAIL": "Portail <portail@example.fr>",
    }


def test_unknown_email_url_is_refused_in_french(run_env):
    result = run_python(
        run_env(EMAIL_URL="sendmail://localhost"), PROBE.format(names=("EMAIL_BACKEND",))
    )

    assert result.returncode != 0
    assert "EMAIL_URL non reconnue" in result.stderr


# --- Security headers on a real response ---------------------------------------------------
#
# django-csp adds a nonce to script-src only on a response whose rendering read
# `request.csp_nonce`. A template that does so is served here through the whole
# middleware stack: the route below is this module's own URLconf.

INLINE_SCRIPT_TEMPLATE = """<!doctype html><html lang="fr"><head><title>t</title>
<script nonce="{{ request.csp_nonce }}">document.documentElement.dataset.ok = "1";</script>
</head><body></body></html>"""


def _inline_script_view(request):
    from django.http import HttpResponse
    from django.template import Context, Template

    return HttpResponse(Template(INLINE_SCRIPT_TEMPLATE).render(Context({"request": request})))


def _urlpatterns():
    from django.urls import path

    return [path("script-en-ligne/", _inline_script_view)]


urlpatterns = _urlpatterns()


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _script_nonce(response) -> str:
    scripts = _directives(response["Content-Security-Policy"])["script-src"]
    nonces = [value for value in scripts if value.startswith("'nonce-")]
    assert len(nonces) == 1, scripts
    assert re.fullmatch(r"'nonce-[A-Za-z0-9+/]{16,}={0,2}'", nonces[0]), nonces
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


@pytest.mark.urls(__name__)
def test_script_src_carries_the_nonce_the_page_uses(client):
    response = client.get("/script-en-ligne/")

    assert response.status_code == 200
    scripts = _directives(response["Content-Security-Policy"])["script-src"]
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts
    # The bare keyword "'nonce'" is not CSP: it would leave inline scripts blocked.
    assert "'nonce'" not in scripts
    assert f'<script nonce="{_script_nonce(response)}">' in response.text


@pytest.mark.urls(__name__)
def test_each_response_gets_its_own_nonce(client):
    first = _script_nonce(client.get("/script-en-ligne/"))
    second = _script_nonce(client.get("/script-en-ligne/"))

    assert first != second


def test_security_headers_on_a_page(client, site_root):
    response = client.get("/")

    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    scripts = csp["script-src"]
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts
    assert "'nonce'" not in scripts
    assert "'unsafe-eval'" not in scripts
    # Every inline <script> of the page carries the header's nonce.
    nonce = next((v[7:-1] for v in scripts if v.startswith("'nonce-")), None)
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        if "src=" not in tag and 'type="application/json"' not in tag:
            assert nonce and f'nonce="{nonce}"' in tag, tag
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_security_headers_on_healthz(client, db):
    response = client.get("/healthz")

    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'nonce'" not in csp["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
