"""One settings module, configured by environment variables.

Unset variables give the embedded default (SQLite under var/, in-memory channel
layer, local-memory cache, console e-mail) so that `make run` works on a fresh
machine; production and CI set DATABASE_URL, REDIS_URL and friends.
See docs/deploy.md for the full list.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("PORTAL_TESTING", False)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY est obligatoire quand DEBUG est désactivé.")
    # Embedded default: generated once, kept across restarts so sessions survive.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

_default_hosts = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _default_hosts if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS est obligatoire quand DEBUG est désactivé.")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000", "http://localhost:8000"] if DEBUG else []
)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSockets in one process.
    "daphne",
    "portal",
    "portal.people",
    "portal.notifications",
    "academy",
    "community",
    "pilotage",
    "widget_tweaks",  # django-dsfr's radio and checkbox templates load it
    "dsfr",
    "django_htmx",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "portal.people.proconnect",  # ProConnect, an allauth provider
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # allauth's list of security keys: « il y a 2 jours »
]

# Under DEBUG, the portal's 404 and 500 pages still answer (portal.middleware);
# DJANGO_DEBUG_PAGES=1 brings back Django's technical pages.
DJANGO_DEBUG_PAGES = env_bool("DJANGO_DEBUG_PAGES", False)

MIDDLEWARE = [
    "portal.middleware.PortalErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.page_cache.AnonymousPageCacheMiddleware",
    "portal.page_cache.WagtailSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.people.second_factor.StaffSecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets the task worker write while pages are read; IMMEDIATE avoids
        # "database is locked" on read-then-write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", "")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections checked before reuse: one connection per worker
    # thread, no reconnect cost per request.
    _db["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
IS_POSTGRES = _db["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer --------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache with one connection pool per process (portal/cache.py).
            "BACKEND": "portal.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
                # Named in Redis' CLIENT LIST, to tell the portal's connections apart.
                "client_name": "portal-cache",
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Chat presence entries (Redis sorted sets when REDIS_URL is set): see community/chat/presence.py.
CHAT_PRESENCE_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "portal")

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole pages for visitors without a session, until a write they show (portal/page_cache.py).
# 0 turns the cache off.
ANONYMOUS_PAGE_CACHE_SECONDS = int(os.environ.get("ANONYMOUS_PAGE_CACHE_SECONDS", "600"))
# Their generation, shared by every process: in Redis, else (each process has its own
# local-memory cache) in this file.
ANONYMOUS_PAGE_CACHE_GENERATION_FILE = None if REDIS_URL else VAR_DIR / "anonymous-pages"

# --- Background tasks -------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- E-mail -------------------------------------------------------------------------


def _email_settings(url: str) -> dict:
    """EMAIL_URL: console://, file:///path, locmem://, smtp(s)://user:pass@host:port."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or {"smtp": 25, "smtps": 465, "submission": 587}[scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "submission" or query.get("tls") == ["1"],
            "EMAIL_TIMEOUT": 10,
        }
    raise ImproperlyConfigured(f"EMAIL_URL non reconnue : {url!r}")


globals().update(_email_settings(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Académie & Communauté <ne-pas-repondre@academie.example.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts -------------------------------------------------------------------------

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "portal.people.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Académie & Communauté] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_SIGNUP_REDIRECT_URL = "/mon-espace/profil/"
# allauth's own defaults, written out so that they are visibly on.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Security keys (WebAuthn) as a second factor, not as a passwordless sign-in: the relying
# party is the host the page was served from, so a browser accepts them over HTTPS, and
# in development on http://localhost (not on http://127.0.0.1: an IP address is no RP ID).
MFA_FORMS = {
    "authenticate": "portal.people.forms.SecondFactorCodeForm",
    "add_webauthn": "portal.people.forms.AddSecurityKeyForm",
    "edit_webauthn": "portal.people.forms.EditSecurityKeyForm",
    "authenticate_webauthn": "portal.people.forms.SecurityKeyForm",
    "reauthenticate_webauthn": "portal.people.forms.ReauthenticateSecurityKeyForm",
}
# Staff accounts must prove a second factor before their powers open
# (portal/people/second_factor.py); an activation or a removal is told by e-mail, so
# that a stolen password cannot add its own authenticator unseen.
ACCOUNT_EMAIL_NOTIFICATIONS = True

# --- ProConnect (docs/deploy.md) ---------------------------------------------------------
# Configured by the environment only; without it the button does not show and nothing
# else changes. PROCONNECT_DOMAIN: the integration's or production's host name
# (e.g. fca.integ01.dev-agentconnect.fr, auth.agentconnect.gouv.fr).
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_DOMAIN = os.environ.get("PROCONNECT_DOMAIN", "")
# Asked of every sign-in (space-separated, sent as ProConnect's `claims` parameter and
# checked on return), e.g. "eidas1"; empty: none.
PROCONNECT_ACR_VALUES = os.environ.get("PROCONNECT_ACR_VALUES", "")
# The acr values ProConnect documents as two-factor (« Forcer la double
# authentification »): a staff account signed in with one of them has its second factor.
PROCONNECT_MFA_ACR_VALUES = os.environ.get(
    "PROCONNECT_MFA_ACR_VALUES",
    "eidas2 eidas3 https://proconnect.gouv.fr/assurance/self-asserted-2fa "
    "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
).split()
PROCONNECT_ENABLED = bool(PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET and PROCONNECT_DOMAIN)


def proconnect_app(*, client_id: str, secret: str, server_url: str) -> dict:
    return {
        "APPS": [
            {
                "client_id": client_id,
                "secret": secret,
                "settings": {"server_url": server_url, "token_auth_method": "client_secret_post"},
            }
        ]
    }


SOCIALACCOUNT_PROVIDERS = (
    {
        "proconnect": proconnect_app(
            client_id=PROCONNECT_CLIENT_ID,
            secret=PROCONNECT_CLIENT_SECRET,
            server_url=f"https://{PROCONNECT_DOMAIN}/api/v2",
        )
    }
    if PROCONNECT_ENABLED
    else {}
)
SOCIALACCOUNT_ADAPTER = "portal.people.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
# ProConnect's e-mail addresses are verified by the federation: an existing account
# with the same address is signed in and linked (allauth wipes its password if that
# address was never verified locally, so that whoever created it cannot stay in).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button POSTs (CSRF-protected)

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# The portal's corrections to its libraries' French (locale/fr/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

_static_backend = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG or TESTING
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_backend},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Media on S3-compatible storage; django-storages reads AWS_* variables itself.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_AUTOREFRESH = DEBUG

# --- Wagtail -------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Académie & Communauté France Travail"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatar from gravatar.com: it would send a hash of every editor's address to a third
# party (and the CSP blocks it anyway); Wagtail shows its default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # PostgreSQL full-text search with the French configuration on PostgreSQL,
        # SQLite FTS5 in the embedded default.
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "odp", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# --- DSFR ------------------------------------------------------------------------------------

DSFR_USE_INTEGRITY_CHECKSUMS = True
# The DSFR now marks optional fields, not required ones (django-dsfr's template tag reads this).
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Security ----------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# DENY for check --deploy; Wagtail's preview views set SAMEORIGIN on their own
# responses (xframe_options_sameorigin_override), and browsers that know CSP
# follow frame-ancestors below.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for a plain-HTTP benchmark on loopback (bench/run.py).
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

CONTENT_SECURITY_POLICY = {
    # The admin's editors (Draftail, choosers) still rely on inline styles; they
    # get the same policy minus nothing but what is listed here.
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE, not the string "'nonce'" (which is no CSP source): django-csp puts
        # the response's nonce here whenever a template printed request.csp_nonce.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"] if DEBUG else ["'self'", "wss:"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# How many proxies stand before Django and append to X-Forwarded-For (deploy/nginx.conf:
# one). Rate limits per address (portal/ratelimit.py client_address) read the address
# the outermost one saw; 0: the socket's address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# The pilotage API's limits per key (pilotage/api.py).
PILOTAGE_API_PER_MINUTE = int(os.environ.get("PILOTAGE_API_PER_MINUTE", "60"))
PILOTAGE_API_PER_HOUR = int(os.environ.get("PILOTAGE_API_PER_HOUR", "2000"))

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task and per page save drowns what matters in the console.
        "django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
        "django_tasks_db": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# --- Portal ------------------------------------------------------------------------------------

PORTAL_NAME = "Académie & Communauté"
# How long a burst of notifications waits before it leaves as one e-mail.
NOTIFICATIONS_EMAIL_GROUPING_SECONDS = int(os.environ.get("NOTIFICATIONS_GROUPING", "120"))
# Local hour (Europe/Paris) of the pilotage's nightly run (pilotage/tasks.py).
PILOTAGE_HOUR = int(os.environ.get("PILOTAGE_HOUR", "3"))
# Local hour (Europe/Paris) at which daily digests leave.
NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", "7"))
# Unsubscribe links stay valid this long (seconds).
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 60
