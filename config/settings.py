"""Settings for the IP records system, read from the environment.

With nothing set, the application runs on a SQLite file in the project folder with DEBUG on, so that a new user
needs no setup. Production sets ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``
(PostgreSQL); the HTTPS hardening below switches on with DEBUG off so that ``check --deploy`` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from core.database import with_sqlite_tuning
from core.replicas import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_from_file(path: Path) -> str:
    """A per-checkout random key, kept out of git, for when SECRET_KEY is not given."""
    if not path.exists():
        path.write_text(get_random_secret_key(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_file(BASE_DIR / ".secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static files, not a CDN
    "django_filters",
    "import_export",
    "simple_history",
    "statistics.apps.StatisticsConfig",
    "review.apps.ReviewConfig",
    "returns.apps.ReturnsConfig",
    "protection.apps.ProtectionConfig",
    "localwork.apps.LocalworkConfig",
    "evaluation.apps.EvaluationConfig",
    "dashboards.apps.DashboardsConfig",
    "notifications.apps.NotificationsConfig",
    "workspace.apps.WorkspaceConfig",
    "core.apps.CoreConfig",  # after knox: replaces knox's token admin
    "django_tasks",
    "core.task_app.TasksDatabaseConfig",  # django-tasks-db, under a translated name
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the early API cache, so that its hits get these headers too (Content-Length, X-Frame-Options).
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "core.fast_cache.EarlyPublicApiMiddleware",  # anonymous API hits, before the rest of the path (issue 16)
    "core.middleware.NulRefusalMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.replicas.PublicReadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.page_cache.PublicPageCacheMiddleware",  # after auth and messages: who asks, and whether one waits
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.DatabaseRefusalMiddleware",  # last: sees a view's exception first
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# SQLite only: WAL journal, busy timeout (SQLITE_BUSY_TIMEOUT seconds), BEGIN IMMEDIATE (core/database.py).
DATABASES["default"] = with_sqlite_tuning(DATABASES["default"])
# Read replicas (comma-separated URLs): anonymous reads of published data go to them (core/replicas.py).
DATABASES.update(replica_databases(os.environ.get("DATABASE_REPLICA_URLS", ""), DATABASES["default"]))
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

# The file cache is shared by every worker process on the machine; import progress is published through it.
# The response cache. Nothing shared between processes lives in it (progress, heartbeats, the published version,
# sign-in attempts and tasks are in the database), so without Redis each process keeps its own in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ip-records"}}
if os.environ.get("REDIS_URL"):
    # Shared by every application server: the response cache (docs/deploy.md).
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}

# Background work (core/workers.py): Django's task framework (django-tasks) with its database backend, run by
# ``manage.py run_worker``. TASKS_BACKEND=immediate runs tasks inside the request instead (the tests do).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("TASKS_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}
WORKER_HEARTBEAT_INTERVAL = int(os.environ.get("WORKER_HEARTBEAT_INTERVAL", "10"))
WORKER_HEARTBEAT_TIMEOUT = int(os.environ.get("WORKER_HEARTBEAT_TIMEOUT", "60"))

# Anonymous reads of the statistics API are served from the cache until the statistics change (core/caching.py).
STATISTICS_RESPONSE_CACHE = os.environ.get("STATISTICS_RESPONSE_CACHE", "1") != "0"
# Public pages for anonymous visitors, cached on the published versions (core/page_cache.py); RELEASE names the
# deployed code in the pages' cache keys and ETags (e.g. the git commit), so a deployment never serves old templates.
PUBLIC_PAGE_CACHE = os.environ.get("PUBLIC_PAGE_CACHE", "1") != "0"
RELEASE = os.environ.get("RELEASE", "")

# Sign-in lockout (django-axes, core/throttling.py): AXES_FAILURE_LIMIT failed attempts for one username (from
# anywhere) or from one address (for any usernames) lock that username or address until AXES_COOLOFF_TIME has passed
# since the last failure. The counts are in the database, shared by every application server.
AUTHENTICATION_BACKENDS = [
    "core.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the cool-off runs from the last counted failure
AXES_LOCKOUT_CALLABLE = "core.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_ip"
AXES_ENABLE_ADMIN = False  # untranslated, and deletable by hand; the axes_* commands list and reset attempts
AXES_VERBOSE = False  # no banner on every command; failures and lockouts are still logged
LOGIN_THROTTLE_BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# API tokens (django-rest-knox, core/tokens.py): stored hashed, valid for API_TOKEN_TTL_HOURS, ended by logout,
# revocation or a password change.
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "12"))
REST_KNOX = {"TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS), "AUTH_HEADER_PREFIX": "Token"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.token_auth.ExpiringTokenAuthentication",
    ],
    # JSON written by orjson (issue 16: the standard encoder was a visible share of an uncached page); the
    # browsable API stays for people.
    "DEFAULT_RENDERER_CLASSES": ["core.renderers.ORJSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    # The browsable API's and OPTIONS' names in the reader's language (core/api_names.py).
    "VIEW_NAME_FUNCTION": "core.api_names.view_name",
    "VIEW_DESCRIPTION_FUNCTION": "core.api_names.view_description",
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",  # documents the 400/403/404/409/503 refusals too
    # Nothing is readable anonymously unless a view says so (issue 7 decides what the public may read).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissions"],
    # django-filter's backend with each FilterSet's filters and form class built once (core/filter_backend.py).
    "DEFAULT_FILTER_BACKENDS": ["core.filter_backend.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}

SPECTACULAR_SETTINGS = {
    # Lazy: the documentation pages (and the schema) show them in the reader's language; drf-spectacular resolves
    # lazy strings when it renders (normalize_result_object, the pages' templates).
    "TITLE": _("IP annual records API"),
    "DESCRIPTION": _("National IP statistics, provincial annual returns, protection registries and work summaries."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation pages work without internet: their scripts come from drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind", "level", "measure" or "status" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "statistics.models.reference.Region.Level",
        "CountryKindEnum": "statistics.models.reference.Country.Kind",
        "ImportRunStatusEnum": "statistics.models.runs.ImportRun.Status",
        "PatentMeasureEnum": "statistics.models.figures.PatentMeasure",
        "CountMeasureEnum": "statistics.models.figures.CountMeasure",
        "RegistryLevelEnum": "protection.models.registry.Level",
        "FrameworkBasisEnum": "evaluation.models.frameworks.Basis",
        "CentreKindEnum": "protection.models.registry.Centre.Kind",
        "PlatformKindEnum": "protection.models.registry.Platform.Kind",
        "WorkstationKindEnum": "protection.models.registry.Workstation.Kind",
        "CentreStatusEnum": "protection.lifecycle.Status",
        "PlatformStatusEnum": "protection.lifecycle.SHORT_STATUS_CHOICES",
        "AttachmentKindEnum": "localwork.models.Attachment.Kind",
        "ReviewStateEnum": "review.models.State",
        "ReviewActionEnum": "review.models.Action",
        "PublishedMeasureEnum": "protection.models.published.PublishedTotal.Measure",
    },
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_CHUNK_SIZE = 2000  # exports with prefetched relations read this many rows per query
IMPORT_EXPORT_SKIP_ADMIN_LOG = True  # each import is recorded as an ImportRun, and each change in its history
# History pages only show past versions: no revert button (core/history_admin.py also refuses every POST there).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Largest attachment of a work summary, in bytes (PDF, DOCX, XLSX, PNG, JPEG only; see localwork/services.py).
LOCALWORK_ATTACHMENT_MAX_SIZE = int(os.environ.get("LOCALWORK_ATTACHMENT_MAX_SIZE", 10 * 1024 * 1024))

# Limits for every spreadsheet import (bytes, rows, uncompressed/compressed ratio of an XLSX).
IMPORT_MAX_FILE_SIZE = int(os.environ.get("IMPORT_MAX_FILE_SIZE", 20 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", 100))
IMPORT_MAX_UNCOMPRESSED_SIZE = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_SIZE", 200 * 1024 * 1024))
# Imports of more than 10,000 rows run as tasks in a background worker (core/imports.py, TASKS above).
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_FILE_SIZE + 1024 * 1024
# Years an import may carry ("2000-2026"); empty: 1985 to the current year (statistics/years.py).
IMPORT_YEARS = os.environ.get("IMPORT_YEARS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# HTTPS hardening, on whenever DEBUG is off; each can be overridden from the environment behind a proxy.
# Trust X-Forwarded-Proto only behind a proxy that sets it (BEHIND_PROXY=1); otherwise a client could forge it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Pages that need a login (the reviewers' tracker) send people to the admin's login page.
LOGIN_URL = "admin:login"
# After signing in, each role lands on its own work list (workspace/), not on the admin index.
LOGIN_REDIRECT_URL = "workspace:home"

# E-mail (notifications, deadline reminders): printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The site's address, so that links in e-mails can be followed (e.g. https://records.example.org).
SITE_URL = os.environ.get("SITE_URL", "")

# A value that moves by more than this many percent against last year's approved value needs a note
# (each indicator may set its own threshold).
RETURN_CHANGE_THRESHOLD = 50

# Headquarters' choice for a return's registry counts (表4 No. 13, 14) while the registry holds fewer entries than
# the published national total: "count" pre-fills the registry's count, marked as incomplete; "empty" leaves the
# value empty (returns/registry_notes.py).
RETURNS_INCOMPLETE_REGISTRY = os.environ.get("RETURNS_INCOMPLETE_REGISTRY", "count")
