"""Claimdesk settings, read from the environment.

Without DATABASE_URL and REDIS_URL the desk runs embedded: SQLite, inline tasks and a
local-memory cache. With them it uses PostgreSQL (psycopg 3) and Redis (Celery broker and
Django cache). DJANGO_ENV=production turns on the deployment hardening.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION

# Public, so it signs nothing that matters: only DEBUG=1 (make run) may fall back to it.
DEVELOPMENT_SECRET_KEY = "claimdesk-development-key-not-for-production-use-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION and not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
if SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY) and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a secret value when DEBUG is off: the development key is "
        "public, so sessions and password-reset links signed with it could be forged. Set "
        "SECRET_KEY, or DEBUG=1 for local development (make run does)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "sources",
    "claims",
    # The API docs page renders the Swagger assets django-ninja ships, not a CDN's.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.PrivateNoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
# Scale-out (README "Production"): a streaming replica for anonymous public reads, and
# pgbouncer in transaction pooling in front of the primary (CLAIMDESK_PGBOUNCER=1, or port
# 6432), where server-side cursors and explicit prepared statements cannot be used.
CLAIMDESK_PGBOUNCER = env_bool("CLAIMDESK_PGBOUNCER", False) or (
    DATABASES["default"].get("PORT") in (6432, "6432")
)
if CLAIMDESK_PGBOUNCER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL and DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=600, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "config.db_router.ReplicaRoutingMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    redis_options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # The desk keeps working from the database when Redis is away.
            "OPTIONS": {**redis_options, "IGNORE_EXCEPTIONS": True},
            "KEY_PREFIX": "claimdesk",
        },
        # The same keys, with errors raised: for writes that must not be lost silently, such
        # as the permission generation a role change replaces (claims.auth_backends).
        "strict": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {**redis_options, "IGNORE_EXCEPTIONS": False},
            "KEY_PREFIX": "claimdesk",
        },
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    # Sessions are read from Redis and written through to the database, which keeps them
    # when Redis restarts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Both aliases share one local-memory store (same LOCATION).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # With Redis, ModelBackend with each user's permission set kept in the shared cache; a
    # cache local to one process could not hear of a role changed in another.
    (
        "claims.auth_backends.CachedPermissionsBackend"
        if REDIS_URL
        else "django.contrib.auth.backends.ModelBackend"
    ),
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/review/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic writes here; production serves it through whitenoise (hashed, compressed).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request bodies: the ingest page takes up to 2 MB of text; more is refused outright.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Celery: Redis when configured; otherwise tasks run inline in the calling process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# Tasks report through the database (outbox, deliveries, evidence, ingest jobs), not results.
CELERY_TASK_IGNORE_RESULT = True
# Tasks are idempotent, so a task whose worker died is run again rather than lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Longer than any task's hard limit and any retry countdown, so an unacknowledged task is
# redelivered only after its worker is really gone (and the sweeps get there first).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a web request gives up quickly when Redis is away: the rows are already
# committed and the sweeps deliver them once Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "claims.tasks.outbox_sweep",
        "schedule": float(os.environ.get("CLAIMDESK_OUTBOX_SWEEP_SECONDS", "30")),
    },
    "capture-sweep": {
        "task": "claims.tasks.capture_sweep",
        "schedule": float(os.environ.get("CLAIMDESK_CAPTURE_SWEEP_SECONDS", "120")),
    },
    "ingest-sweep": {"task": "claims.tasks.ingest_sweep", "schedule": 120.0},
    "purge-sweep": {"task": "claims.tasks.purge_sweep", "schedule": 30.0},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "desk@claimdesk.invalid")

# The publisher named as author of ClaimReviews and feeds.
CLAIMDESK_PUBLISHER_NAME = os.environ.get("CLAIMDESK_PUBLISHER_NAME", "Claimdesk Newsroom")
CLAIMDESK_PUBLISHER_URL = os.environ.get("CLAIMDESK_PUBLISHER_URL", "https://claimdesk.example")
# Absolute links in feeds and JSON-LD when no request is at hand (commands, tasks).
CLAIMDESK_SITE_URL = os.environ.get("CLAIMDESK_SITE_URL", "http://127.0.0.1:8000")
# The public event stream (/api/v1/events/stream): how long one connection lasts before the
# client reconnects with Last-Event-ID, and how often a quiet stream sends a heartbeat.
CLAIMDESK_EVENT_STREAM_SECONDS = float(os.environ.get("CLAIMDESK_EVENT_STREAM_SECONDS", "300"))
CLAIMDESK_EVENT_HEARTBEAT_SECONDS = float(os.environ.get("CLAIMDESK_EVENT_HEARTBEAT_SECONDS", "15"))
# Requests a minute per API token (counted in Redis; no limit without it).
CLAIMDESK_API_RATE_LIMIT = int(os.environ.get("CLAIMDESK_API_RATE_LIMIT", "600"))

# HTTP caching of public pages. Unset CLAIMDESK_PURGE_URL: no purges.
CLAIMDESK_PURGE_URL = os.environ.get("CLAIMDESK_PURGE_URL") or None
CLAIMDESK_PUBLIC_CACHE_CONTROL = os.environ.get(
    "CLAIMDESK_PUBLIC_CACHE_CONTROL",
    "public, max-age=30, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400",
)
# Partner origins that may frame /embed/ badges; every other page stays frame-ancestors 'none'.
CLAIMDESK_EMBED_ORIGINS = [
    origin for origin in os.environ.get("CLAIMDESK_EMBED_ORIGINS", "").split() if origin
]
# Only tests and local development may fetch evidence from loopback addresses.
CLAIMDESK_CAPTURE_ALLOW_LOOPBACK = env_bool("CLAIMDESK_CAPTURE_ALLOW_LOOPBACK", False)
CLAIMDESK_CAPTURE_TIMEOUT = float(os.environ.get("CLAIMDESK_CAPTURE_TIMEOUT", "10"))
CLAIMDESK_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("CLAIMDESK_WEBHOOK_MAX_ATTEMPTS", "8"))
# Webhook retries follow claims.lib.webhooks.SCHEDULE (5 s to 14 h, jittered, over a day in
# all), multiplied by this scale; tests and local development shorten it.
CLAIMDESK_WEBHOOK_BACKOFF_SCALE = float(os.environ.get("CLAIMDESK_WEBHOOK_BACKOFF_SCALE", "1"))
CLAIMDESK_WEBHOOK_TIMEOUT = float(os.environ.get("CLAIMDESK_WEBHOOK_TIMEOUT", "10"))
# Webhooks, like captures, never reach a private or loopback address; tests and local
# development against a receiver on 127.0.0.1 turn this on.
CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = env_bool("CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK", False)

# Login throttling. A username is locked out from one address after AXES_FAILURE_LIMIT
# failures there (it can still log in from another, so no one can lock anyone out), and an
# address after CLAIMDESK_ADDRESS_FAILURE_LIMIT failures across usernames (spraying). A
# success resets only that username's count at that address.
AXES_HANDLER = "claims.auth_backends.AddressCappedAxesHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
CLAIMDESK_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CLAIMDESK_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address comes from django-ipware. By default no proxy is trusted: it is
# REMOTE_ADDR. Behind CLAIMDESK_TRUSTED_PROXIES reverse proxies it is read from the header
# CLAIMDESK_CLIENT_IP_HEADER, which must hold exactly one address per proxy: the client's,
# then those of the proxies after the first. A header holding anything else (say an address
# the client sent itself) is not trusted, and the request counts as from an unknown address;
# all such requests share one count.
CLAIMDESK_TRUSTED_PROXIES = int(os.environ.get("CLAIMDESK_TRUSTED_PROXIES", "0"))
CLAIMDESK_CLIENT_IP_HEADER = os.environ.get("CLAIMDESK_CLIENT_IP_HEADER", "X-Forwarded-For")
if CLAIMDESK_TRUSTED_PROXIES > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER = (
        "HTTP_" + CLAIMDESK_CLIENT_IP_HEADER.strip().upper().replace("-", "_"),
    )
    # ipware counts the proxy addresses after the client's in the header; the nearest
    # proxy's own address is REMOTE_ADDR, not in it.
    AXES_IPWARE_PROXY_COUNT = CLAIMDESK_TRUSTED_PROXIES - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
AXES_IPWARE_PROXY_ORDER = "left-most"
# Exactly that many addresses, every one valid, or the header is ignored (ipware's default).
IPWARE_STRICT = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Locked-out log-ins get a 429 with this page, not axes' bare text.
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
