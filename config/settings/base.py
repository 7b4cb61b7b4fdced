"""Settings shared by every environment. Configuration comes only from the
environment (or a ``.env`` file beside ``manage.py``); see ``.env.example``."""

import base64
import hashlib
from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("KEEL_VAR_DIR", default=str(BASE_DIR / "var")))
# The SQLite file and the filesystem broker live here; both need the folder.
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-do-not-use")
# Jira and PagerDuty tokens are stored encrypted (teamhealth/encryption.py): the
# first of these Fernet keys encrypts, every one decrypts. Production requires
# them; elsewhere, unset, one is derived from SECRET_KEY.
KEEL_SECRETS_KEYS = env.list("KEEL_SECRETS_KEYS", default=[]) or [
    base64.urlsafe_b64encode(
        hashlib.sha256(f"keel-secrets:{SECRET_KEY}".encode()).digest()
    ).decode()
]
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "accounts",
    "outbox",
    "teamhealth",
    "hiring",
    "surveys",
    "home",
    "ops",
]

MIDDLEWARE = [
    # Prometheus (django-prometheus): first and last, so a request's latency is all of it.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a signed-in user unless it opts out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Signed-in sessions end after an idle time as well as at their absolute age.
    "accounts.middleware.SessionExpiryMiddleware",
    # Last, as axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'keel.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE transactions take
    # the write lock up front, so concurrent writers wait instead of failing
    # with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: a locked-out sign-in is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on with the company's OpenID Connect provider; inert when off.
    "accounts.oidc.KeelOIDCBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Argon2 first: memory-hard (100 MiB per check), so guessing a stolen hash on
# GPUs costs far more than with PBKDF2. Older hashes still check, and are
# rehashed with Argon2 at the person's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes): after this many failed sign-ins in a row, that
# username is refused from everywhere, and that client address for every
# username, until the cool-off has passed since the last failure. An unknown
# username is counted and locked exactly like a known one. Admins unlock early
# by deleting the access attempt in Django admin (Axes: Access attempts).
AXES_FAILURE_LIMIT = env.int("KEEL_SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KEEL_SIGNIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success never wipes failures: axes would wipe every failure from that
# address, so someone with an account of their own could guess on forever.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.views.signin_locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
# How many proxies in front of Keel append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Only the entries they wrote are believed.
KEEL_TRUSTED_PROXY_COUNT = env.int("KEEL_TRUSTED_PROXY_COUNT", default=0)

# Sessions end at their absolute age (counted from sign-in, never extended)
# and after an idle time. The last-seen stamp is written at most once per
# SESSION_TOUCH_SECONDS, so most requests do not write the session.
SESSION_COOKIE_AGE = env.int("KEEL_SESSION_MAX_AGE_SECONDS", default=14 * 24 * 3600)
SESSION_IDLE_SECONDS = env.int("KEEL_SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_TOUCH_SECONDS = 5 * 60

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A strict Content-Security-Policy in every environment: every script, style,
# font and image comes from static/ (no CDN, no inline <script>, no style=""),
# so nothing injected into a page can run. Chart.js and Bootstrap only set
# styles through the CSSOM (element.style), which style-src does not govern.
# data: images are Bootstrap's inline SVG icons (select arrow, close button).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    },
}

# Browser features Keel never uses, denied to its pages and to anything they
# embed (config/headers.py). An empty list means "nobody".
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# The cache holds the rate-limit counts (accounts/throttle.py). Per process by
# default; with several web processes or machines, point every one at the same
# Redis (CACHE_URL=redis://host:6379/1) or each one counts on its own.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Sessions are read from that cache when it is shared (Redis, Memcached), and
# written to it and to the database: a signed-in page then costs no session
# query. A per-process cache would let a session ended in one process live on
# in another's copy, so with the default cache sessions stay in the database.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
# Requests allowed per client IP (sign-in POSTs, survey links) or per token (API),
# as "count/period" (s, m, h, d); past them Keel answers 429 with Retry-After.
KEEL_RATE_LIMITS = {
    "sign_in": env("KEEL_RATE_LIMIT_SIGN_IN", default="10/m"),
    "survey_link": env("KEEL_RATE_LIMIT_SURVEY_LINKS", default="60/m"),
    "api": env("KEEL_RATE_LIMIT_API", default="120/m"),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; production sets EMAIL_URL, e.g. smtp+tls://user:pass@host:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Keel <keel@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every SMTP and HTTP call out gives up after this many seconds.
EMAIL_TIMEOUT = env.int("KEEL_NETWORK_TIMEOUT", default=10)

# Single sign-on with the company's OpenID Connect provider (accounts/oidc.py,
# mozilla-django-oidc): on when KEEL_OIDC_CLIENT_ID is set. Password sign-in stays.
OIDC_RP_CLIENT_ID = env("KEEL_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("KEEL_OIDC_CLIENT_SECRET", default="")
KEEL_OIDC_ISSUER = env("KEEL_OIDC_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("KEEL_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("KEEL_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("KEEL_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("KEEL_OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("KEEL_OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("KEEL_OIDC_SCOPES", default="openid email profile")
OIDC_CREATE_USER = env.bool("KEEL_OIDC_CREATE_USERS", default=True)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = EMAIL_TIMEOUT
KEEL_OIDC_PROVIDER_NAME = env("KEEL_OIDC_PROVIDER_NAME", default="your company account")
KEEL_OIDC_GROUPS_CLAIM = env("KEEL_OIDC_GROUPS_CLAIM", default="groups")
# "provider-group=Role,…"; checked at start-up (accounts/checks.py).
KEEL_OIDC_ROLES = env("KEEL_OIDC_ROLES", default="")
# A worker's claim on a batch of messages: when it dies, the batch is sent by
# another worker once the lease runs out (and the next sweep, every 15 s, runs).
OUTBOX_LEASE_SECONDS = env.int("KEEL_OUTBOX_LEASE_SECONDS", default=45)

# Celery. The default broker is kombu's filesystem transport: no server needed.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, str | int | bool] = {"visibility_timeout": 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "control").mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it finishes, and handed to another worker if its
# worker dies; every task is safe to run twice. One message at a time each.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two queues: delivery (email and Slack) and compute (evaluations, imports,
# schedules), so a slow mail server never delays an evaluation.
CELERY_TASK_DEFAULT_QUEUE = "compute"
# A worker without -Q takes both.
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in ("compute", "delivery")
)
CELERY_TASK_ROUTES = {"outbox.tasks.*": {"queue": "delivery"}}
# No task runs longer than this; the broker's visibility timeout is longer still,
# so a running task is never handed out twice. Work a dead worker held is found
# by the sweeps within a minute, not by the visibility timeout.
CELERY_TASK_SOFT_TIME_LIMIT = 1500
CELERY_TASK_TIME_LIMIT = 1800
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's database scheduler, stamping beat's heartbeat (ops/beat.py).
CELERY_BEAT_SCHEDULER = "ops.beat:Scheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No survey link token reaches a log line, whoever logs it (a 500's path).
    "filters": {"survey_links": {"()": "config.redaction.RedactSurveyLinks"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["survey_links"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Request logs would carry survey tokens in URLs; keep Django's request
    # logger to warnings about the server itself.
    # SQL logs would carry survey comments and token hashes in their parameters:
    # never below INFO, whatever LOG_LEVEL says (docs/anonymity.md).
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO", "propagate": True},
    },
}

# The JSON API (team-health integrations). No session auth: tokens only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Keel API",
    "DESCRIPTION": "Push team-health metric values from your own integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema (and any docs page) for integrations and signed-in people only.
    "SERVE_AUTHENTICATION": [
        "teamhealth.api.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Team-health values no team could have: refused at every door (teamhealth/thresholds.py).
KEEL_MAX_DELIVERY_RATE = env.int("KEEL_MAX_DELIVERY_RATE", default=500)
KEEL_HISTORY_START = date.fromisoformat(env("KEEL_HISTORY_START", default="2000-01-01"))

# Bodies and uploads are capped inside Django as well as at the proxy (README,
# "Running in production"): a CSV import is at most 2 MB and 10,000 rows.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields or JSON
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spill to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2_000

# Running on several machines (docs/production.md). /healthz calls beat stale
# when its heartbeat is older than this, and the outbox behind when a message
# due to be sent has waited longer than this.
KEEL_BEAT_STALE_SECONDS = env.int("KEEL_BEAT_STALE_SECONDS", default=60)
KEEL_OUTBOX_MAX_WAIT_SECONDS = env.int("KEEL_OUTBOX_MAX_WAIT_SECONDS", default=300)
# /metrics answers only a bearer token, only these client addresses, or both
# when both are set; with neither it answers nobody (ops/access.py).
KEEL_METRICS_TOKEN = env("KEEL_METRICS_TOKEN", default="")
KEEL_METRICS_ALLOWED_ADDRESSES = env.list("KEEL_METRICS_ALLOWED_ADDRESSES", default=[])
# Each Celery worker serves its task counters on this port (none when unset).
KEEL_WORKER_METRICS_PORT = env.int("KEEL_WORKER_METRICS_PORT", default=0)
KEEL_WORKER_METRICS_ADDRESS = env("KEEL_WORKER_METRICS_ADDRESS", default="127.0.0.1")
