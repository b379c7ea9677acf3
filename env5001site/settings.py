"""Settings for ENV5001, read from the environment (django-environ).

The default module (manage.py, wsgi.py, pytest.ini): one machine, served on the loopback by
`scripts/run.sh`, DEBUG off. `env5001site.development` turns DEBUG on (`scripts/run.sh --dev`);
`env5001site.production` builds on this module for deployment. Every variable can also come
from a `.env` file.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    # Off unless asked for: DEBUG=true here, or the development settings module (issue 20.5).
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    ANALYTICS_MAX_UPLOAD_BYTES=(int, 50 * 1024 * 1024),
)
# ENV5001_DOTENV names another file (the deploy tests give an empty one: this checkout's .env, where
# scripts/run.sh keeps its SECRET_KEY, must not hide what production does with nothing set).
environ.Env.read_env(env.str("ENV5001_DOTENV", default=str(BASE_DIR / ".env")))


def local_secret_key(key_file: Path) -> str:
    """A per-checkout key for development, generated once and never committed (.gitignore).

    The file is created with mode 0600 in the same call that creates it (O_EXCL: never over an existing
    file), so there is no moment when another user could read it."""
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(descriptor, "w") as output:
        output.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or local_secret_key(BASE_DIR / ".secret_key")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from our own static files (offline, pinned)
    "methodology",
    "calculations",
    "audit",
]

MIDDLEWARE = [
    "calculations.middleware.RequestLogMiddleware",  # first: one log line per request, never its body
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "calculations.middleware.SessionIdleTimeoutMiddleware",
    # Before CSRF, which parses the body of every POST: a body is refused from its declared size first.
    "calculations.middleware.BodySizeLimitMiddleware",
    "calculations.middleware.PageThrottleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: the lockout page
]

ROOT_URLCONF = "env5001site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "audit.roles.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "env5001site.wsgi.application"

# An empty DATABASE_URL (as in `DATABASE_URL= scripts/test.sh`) means the embedded SQLite default.
_database_url = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(_database_url)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one costs about 5 ms on PostgreSQL, a tenth of a typical upload.
# Checked before reuse, so a connection the server dropped is replaced instead of failing a request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    # Concurrent web requests wait for the write lock instead of failing at once.
    _sqlite_options["timeout"] = 20
    # A write transaction takes the write lock at BEGIN: one that read first and then wrote could
    # otherwise fail at once with "database is locked" when another request wrote in between
    # (the timeout does not apply to that upgrade).
    _sqlite_options["transaction_mode"] = "IMMEDIATE"
    # Write-ahead log: readers and the writer do not block each other, and a commit syncs one file
    # (the log) instead of the rollback journal and the database (about 2 ms less a commit here);
    # synchronous stays FULL, so a committed run survives a power cut. The -wal and -shm files
    # beside db.sqlite3 are part of the database (docs/serving.md, "Back-ups").
    _sqlite_options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every worker shares: throttle counts and login lockouts live there. Redis in production
# (CACHE_URL=redis://127.0.0.1:6379/0); the embedded default is a table of the database
# (`manage.py createcachetable`, run by scripts/run.sh). A per-process cache (locmem) would let each
# worker count on its own.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://env5001_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"]["BACKEND"] = "calculations.cache.DatabaseCache"  # its writes skip the disk flush (why: there)
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="env5001"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address before any check
    "django.contrib.auth.backends.ModelBackend",
]

# Login lockout (django-axes, on the shared cache): LOGIN_FAILURE_LIMIT wrong passwords for one account,
# or from one address, lock that account or address out of /accounts/login/ and /admin/login/ for
# LOGIN_LOCKOUT_MINUTES. An administrator unlocks with the "Unlock login" action of the users' admin
# or `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: the account, and the address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "calculations.throttles.lockout_response"  # a 429 page saying why and for how long
AXES_CLIENT_IP_CALLABLE = "calculations.throttles.client_address"  # the address the API throttles count
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_AUTOREFRESH = DEBUG  # development and tests: serve from the finders, no collectstatic needed
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# A session ends after this many seconds without a request: a request pushes the end back, at most
# once a minute (calculations.middleware.SessionIdleTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "runs:list"
LOGOUT_REDIRECT_URL = "login"

# Uploads: analytics stay in memory and are discarded after the request.
ANALYTICS_MAX_UPLOAD_BYTES = env("ANALYTICS_MAX_UPLOAD_BYTES")
FILE_UPLOAD_HANDLERS = ["calculations.uploads.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = ANALYTICS_MAX_UPLOAD_BYTES
# Every request but an analytics upload (login, forms, JSON options) is refused above this declared size
# (calculations.middleware.BodySizeLimitMiddleware); it also bounds the non-file fields of a multipart upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("REQUEST_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 1  # one analytics file a request (Django's default admits 100)

# Monte Carlo draws per run (methodology.md section 11); recorded with each run.
UNCERTAINTY_DRAWS = env.int("UNCERTAINTY_DRAWS", default=20_000)
# The month a reporting year starts in (1: calendar years; 4: April to March), for the inventory's year shortcut.
INVENTORY_YEAR_START_MONTH = env.int("ENV5001_INVENTORY_YEAR_START_MONTH", default=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then gets 401 with WWW-Authenticate, not 403. Tokens are
        # knox's (digests, with an expiry); wrong ones are counted per address (`failed_token`).
        "calculations.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        # Last: a request no authenticator accepted is counted (`anon`) before its 401.
        "calculations.api.authentication.UnauthenticatedRateAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "calculations.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "calculations.api.errors.exception_handler",
    # Counted in the shared cache (CACHES). Anonymous requests are counted by the authentication step above.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="2000/hour"),
        "anon": env("API_THROTTLE_ANON", default="100/hour"),
        "failed_token": env("API_THROTTLE_FAILED_TOKEN", default="20/hour"),
        "page_user": env("PAGE_THROTTLE_USER", default="2000/hour"),
        "page_anon": env("PAGE_THROTTLE_ANON", default="300/hour"),
    },
    # Proxies in front of the app whose X-Forwarded-For is trusted: 0 counts the connection's address
    # (a client could otherwise pick its own address, and its own throttle count, in that header).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

# API tokens (django-rest-knox): stored as SHA-512 digests; a new token expires after API_TOKEN_TTL_DAYS
# (0: never). Created in /admin/knox/authtoken/add/ or with `manage.py create_api_token USER`.
_token_ttl_days = env.int("API_TOKEN_TTL_DAYS", default=90)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=_token_ttl_days) if _token_ttl_days else None,
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ENV5001 API",
    "DESCRIPTION": "Energy (kWh) and carbon (gCO2e) of generative-AI usage, computed from daily analytics "
    "under a versioned, auditable methodology. Uploads are processed in memory and never stored.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI need a login like every other page (log in, then open /api/docs).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # The last authenticator only counts unauthenticated requests: it is no way to authenticate.
    "AUTHENTICATION_WHITELIST": [
        "calculations.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Swagger UI from drf-spectacular-sidecar's static files, pinned in requirements.txt: /api/docs
    # works offline. Its init script is a separate same-origin request (SpectacularSwaggerSplitView, urls.py),
    # so the Content-Security-Policy needs no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would fetch validator.swagger.io (and the CSP would refuse it). No syntax highlighting:
    # "Try it out" on POST /api/energy answers about 1 MB of JSON, which highlighting freezes the tab over.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "syntaxHighlight": {"activated": False}},
}

# Content-Security-Policy (django-csp). Scripts only from our own static files and same-origin views: no inline
# script, no event-handler attribute, no eval. Styles allow 'unsafe-inline' (a decision, docs/serving.md): the
# run pages colour swatches with style attributes and the admin's, report's and Swagger UI's templates carry
# <style> blocks; inline styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Request logs (calculations.middleware, logger env5001.requests) name the method, path, query
# parameter names, status, duration, user id and sizes: never bodies, uploads or query values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "env5001.requests": {"level": env("REQUEST_LOG_LEVEL", default="INFO")},
    },
}
