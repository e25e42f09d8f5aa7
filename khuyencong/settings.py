"""Settings for the khuyến công portal: one file, read from the environment.

Without DATABASE_URL the portal starts a private PostgreSQL under ``var/`` and Celery uses kombu's
filesystem broker, so a newcomer needs no server. Production and CI set DATABASE_URL and
CELERY_BROKER_URL (Redis); the code is the same in every mode.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KC_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    """Read an integer from the environment."""
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envlist(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless turned on: `make run`, scripts/run.py and the tests (tests/settings.py) set DJANGO_DEBUG=true.
DEBUG = envbool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false (the default). "
            "For development set DJANGO_DEBUG=true, as `make run` and the tests do."
        )
    SECRET_KEY = "dev-only-insecure-key-not-for-production-khuyencong-portal-0123456789"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "regions",
    "beneficiaries",
    "projects",
    "funding",
    "reports",
    "api",
    "opendata",
    "notifications",
    "inbox",
    "papers",
    "imports",
]

MIDDLEWARE = [
    "core.middleware.real_client_address",
    "core.observability.request_id_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.security.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"
ASGI_APPLICATION = "khuyencong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
            "builtins": ["core.templatetags.kc"],
        },
    },
]

# --- Database: PostgreSQL everywhere ------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    from core.embedded_postgres import ensure_embedded_postgres

    DATABASE_URL = ensure_embedded_postgres(VAR_DIR)
    EMBEDDED_DATABASE = True
else:
    EMBEDDED_DATABASE = False

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The portal runs on PostgreSQL only: DATABASE_URL must be a postgres:// URL.")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that refuses or hangs costs a request seconds, not minutes: libpq gives up connecting after
# DB_CONNECT_TIMEOUT seconds and the server cancels a statement after DB_STATEMENT_TIMEOUT seconds
# (0: no limit). /healthz has its own, shorter budget (KC_HEALTH_TIMEOUT, core/health.py).
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT", 5))
_statement_timeout_ms = envint("DB_STATEMENT_TIMEOUT", 120) * 1000
if _statement_timeout_ms:
    DATABASES["default"]["OPTIONS"]["options"] = (
        DATABASES["default"]["OPTIONS"].get("options", "") + f" -c statement_timeout={_statement_timeout_ms}"
    ).strip()
KC_HEALTH_TIMEOUT = float(os.environ.get("KC_HEALTH_TIMEOUT", "2.5"))
# Behind PgBouncer in transaction mode (deploy/README.md): web exports keep their server-side cursors
# inside one transaction (core.db.ReplicaReadMixin); set this for a pool that cannot hold them at all.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
# A streaming replica for the reads that can bear a little lag (core/db.py's reader(): reports,
# exports, search, open data, API reads). Tests read it as the primary itself (MIRROR).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("DB_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    DATABASES["replica"].setdefault("OPTIONS", {}).update(DATABASES["default"]["OPTIONS"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]
# Parallel checkouts (or developers) on one server keep their test databases apart.
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}


# --- Users, login throttling ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # accounts/passwords.py: the portal's words, province and user names, a leaked list, zxcvbn.
    {"NAME": "accounts.passwords.PortalWordsValidator"},
    {"NAME": "accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "accounts.passwords.ZxcvbnValidator", "OPTIONS": {"min_score": 3}},
]
#: One password a line: leaked passwords refused by accounts.passwords.BreachedPasswordValidator.
KC_BREACHED_PASSWORDS_FILE = Path(
    os.environ.get("KC_BREACHED_PASSWORDS_FILE", BASE_DIR / "accounts" / "data" / "breached-passwords.txt")
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
# Locked by username and client address together, so an attacker elsewhere cannot lock a user out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", True)
# The client's address is REMOTE_ADDR, which core.middleware.real_client_address sets from the
# trusted proxy's X-Real-IP; a client-supplied X-Forwarded-For is never believed.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
#: Addresses of the reverse proxies whose X-Real-IP header is believed (deploy/nginx: the same host).
KC_TRUSTED_PROXIES = envlist("KC_TRUSTED_PROXIES")

# --- Internationalisation: Vietnamese first --------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["core.formats"]

# --- Static and uploaded files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))


# Files go through Django's storage API; set AWS_STORAGE_BUCKET_NAME (and the AWS_* variables read
# by s3_options) for S3-compatible storage shared by several servers (tests/ops/test_s3.py).
def s3_options(environ: Mapping[str, str]) -> dict[str, object]:
    """django-storages' S3 options from the environment: private objects, signed URLs, no overwrite."""
    options: dict[str, object] = {
        "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"],
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        ("location", "AWS_LOCATION"),
    ):
        if environ.get(variable):
            options[option] = environ[variable]
    return options


if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(os.environ)}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
KC_MAX_UPLOAD_BYTES = envint("KC_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# --- Celery ----------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
    # Several portals (staging and production, or parallel test runs) may share one Redis: a prefix
    # keeps their queues apart.
    if os.environ.get("CELERY_KEY_PREFIX"):
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = os.environ["CELERY_KEY_PREFIX"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Email: sent by Celery (notifications.tasks), every message logged ---------------------------------
# Without EMAIL_HOST, messages are written to the worker's console (development).
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": envint("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", False),
                "use_ssl": envbool("EMAIL_USE_SSL", False),
                "timeout": envint("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng khuyến công <khuyencong@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[Khuyến công] ")
#: The portal's public address, for links in emails.
KC_SITE_URL = os.environ.get("KC_SITE_URL", "http://127.0.0.1:8000")

# --- Caches ----------------------------------------------------------------------------------------
if os.environ.get("REDIS_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_CACHE_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- The API (api/) and its OpenAPI description -----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ResourcePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSIONING_CLASS": None,
    "PAGE_SIZE": 100,
    "URL_FORMAT_OVERRIDE": "format",
    "COERCE_DECIMAL_TO_STRING": False,
}
#: Requests a minute for an API client (each client may have its own in the admin) and for a session.
KC_API_DEFAULT_RATE = envint("KC_API_DEFAULT_RATE", 600)
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cổng khuyến công",
    "DESCRIPTION": (
        "Dữ liệu đề án khuyến công, cơ sở công nghiệp nông thôn, kinh phí và địa giới hành chính cho các "
        "hệ thống của Bộ Công Thương và các tỉnh (Nghị định 278/2025/NĐ-CP). Xác thực bằng mã truy cập "
        "(`Authorization: Bearer kc_…`) do quản trị viên cấp, hoặc phiên đăng nhập của người dùng."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "FundingLevelEnum": "projects.choices.FundingLevel",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "ProjectKindEnum": "projects.models.ProjectKind",
        "SelectionMethodEnum": "projects.models.SelectionMethod",
        "IndicatorKindEnum": "projects.models.IndicatorKind",
        "FacilityKindEnum": "beneficiaries.models.FacilityKind",
        "FacilityStatusEnum": "beneficiaries.models.FacilityStatus",
        "MoneySourceEnum": "funding.models.Source",
        "EntryKindEnum": "funding.models.EntryKind",
        "ProvinceKindEnum": "regions.models.ProvinceKind",
        "CommuneKindEnum": "regions.models.CommuneKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayRequestDuration": True},
}

# --- Forms -----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Audit history: django-pghistory with its defaults (events carry a context row: who, which URL).

# --- Security: strict when not in DEBUG --------------------------------------------------------------
# Sessions end after KC_SESSION_IDLE_TIMEOUT seconds without a request and KC_SESSION_MAX_AGE seconds
# after sign-in, whichever comes first (core.security.SessionTimeoutMiddleware).
KC_SESSION_IDLE_TIMEOUT = envint("KC_SESSION_IDLE_TIMEOUT", 30 * 60)
KC_SESSION_MAX_AGE = envint("KC_SESSION_MAX_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = KC_SESSION_MAX_AGE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's Content-Security-Policy: scripts only from the portal's own static files or carrying the
# request's nonce; no inline handlers or style attributes anywhere (tests/core/test_security.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
#: Browser features the portal never uses are switched off (WebAuthn stays open to the portal itself).
KC_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=(), "
    "publickey-credentials-get=(self), publickey-credentials-create=(self)"
)
if not DEBUG:
    # Every cookie the portal sets travels over HTTPS only.
    SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
    LANGUAGE_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logs, metrics, errors (core/observability.py) --------------------------------------------------
# JSON lines with a request id (web) or task id (Celery), no personal data; text in development.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # One line per request (view, status, time); runserver prints its own in development.
        "khuyencong.request": {
            "level": os.environ.get("KC_ACCESS_LOG_LEVEL", "WARNING" if DEBUG else "INFO")
        },
    },
}
#: Prometheus scrapes /metrics with ``Authorization: Bearer <token>``; unset, the page does not exist.
KC_METRICS_TOKEN = os.environ.get("KC_METRICS_TOKEN", "")
if os.environ.get("SENTRY_DSN"):
    from core.observability import init_sentry

    init_sentry()

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
