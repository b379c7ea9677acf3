"""Settings for ENV5001, read from the environment (django-environ).

The default module (manage.py, wsgi.py, pytest.ini): one machine, served on the loopback by
`scripts/run.sh`, DEBUG off. `env5001site.development` turns DEBUG on (`scripts/run.sh --dev`);
`env5001site.production` builds on this module for deployment. Every variable can also come
from a `.env` file.
"""

import secrets
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


def _local_secret_key() -> str:
    """A per-checkout key for development, generated once and never committed (.gitignore)."""
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or _local_secret_key()
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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from our own static files (offline, pinned)
    "methodology",
    "calculations",
]

MIDDLEWARE = [
    "calculations.middleware.RequestLogMiddleware",  # first: one log line per request, never its body
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    # Concurrent web requests wait for the write lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "runs:list"
LOGOUT_REDIRECT_URL = "login"

# Uploads: analytics stay in memory and are discarded after the request.
ANALYTICS_MAX_UPLOAD_BYTES = env("ANALYTICS_MAX_UPLOAD_BYTES")
FILE_UPLOAD_HANDLERS = ["calculations.uploads.MemoryOnlyUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = ANALYTICS_MAX_UPLOAD_BYTES + 1024 * 1024  # raw bodies; multipart framing slack
FILE_UPLOAD_MAX_MEMORY_SIZE = ANALYTICS_MAX_UPLOAD_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then gets 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "calculations.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "calculations.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="2000/hour"),
        "anon": env("API_THROTTLE_ANON", default="100/hour"),
    },
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
