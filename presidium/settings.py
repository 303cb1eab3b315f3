"""Settings read from the environment (django-environ).

Embedded default: SQLite file, Celery eager in-process, DEBUG on. Production: set DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# Tests run with DEBUG off by Django; only a real production start must refuse a missing key.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (生产模式必须设置 SECRET_KEY).")
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - development default only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "import_export",
    "presidium",
    "deputies",
    "congress",
    "suggestions",
    "supervision",
    "notifications",
    "reports",
    "dashboards",
    "accounts",
    "livelihood",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "presidium.middleware.ChineseFirstLocaleMiddleware",
    "presidium.middleware.InputSanitizerMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "presidium.middleware.ForcePasswordChangeMiddleware",
    "accounts.middleware.DeputyServiceMiddleware",
    "presidium.middleware.OneTimeSubmitMiddleware",
    # AxesMiddleware must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "presidium.urls"
WSGI_APPLICATION = "presidium.wsgi.application"
ASGI_APPLICATION = "presidium.asgi.application"

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
                "presidium.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and an in-process worker read while one writes.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["init_command"] = "PRAGMA journal_mode=WAL;"
    # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE). SQLite's default
    # deferred transactions start as readers and fail with "database is locked" — whatever the
    # timeout — when they try to write while another writer holds the lock; select_for_update is
    # a no-op here. Taken at the start, the second writer waits (up to ``timeout`` seconds), then
    # reads what the first committed and gets the same "已被他人修改" refusal as on PostgreSQL.
    options["transaction_mode"] = "IMMEDIATE"
    options["timeout"] = env.int("SQLITE_TIMEOUT", default=20)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "presidium.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "presidium.auth_backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "presidium.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling: 5 failures lock the ACCOUNT for 30 minutes, whatever was typed to name
# it (any letter case of the username, or the deputy's phone number) and from whichever address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "presidium.auth_backends.lockout_username"
# axes.W006 asks for the client address in the lock: a township office reaches the server through one
# NAT address, so an address-wide lock would shut out the whole office after five typos; locking the
# account (from every address) is the stricter protection for the account itself.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Vendor assets come from the npm registry (package.json) and are served by the app itself.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# A folder of the office's own fonts for the work report (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312,
# 黑体 .ttf/.otf files); without them the report falls back to the Debian fonts setup installs.
REPORT_FONT_DIR = env.str("REPORT_FONT_DIR", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# --- Celery -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # No Redis: tasks run eagerly in-process so a newcomer needs no server.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="presidium")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The dashboards' summary table needs a worker to refresh it; without one (the embedded default)
# every page computes its figures live. FIGURES_MAX_AGE: the oldest summary row still served (s);
# FIGURES_REFRESH_DELAY: a township's refresh runs this long after its first change (debounce, s).
# An Excel export with more rows than this is written by a background job (progress page, download).
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=1000)
FIGURES_SNAPSHOTS = env.bool("FIGURES_SNAPSHOTS", default=bool(REDIS_URL))
FIGURES_MAX_AGE = env.int("FIGURES_MAX_AGE", default=1800)
FIGURES_REFRESH_DELAY = env.int("FIGURES_REFRESH_DELAY", default=30)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- E-mail and SMS -------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="人大主席团工作平台 <noreply@localhost>")
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.ConsoleSmsBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "presidium.api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["presidium.api.permissions.IsAuthenticatedScoped"],
    "DEFAULT_FILTER_BACKENDS": ["presidium.api.filters.StrictDjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "presidium.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "presidium.api.schema.AutoSchema",
    # Reverse proxies in front of the app (nginx: 1). Rate limits then key on the real client IP
    # from X-Forwarded-For; with 0 the header is ignored so clients cannot forge it.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0) or None,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "presidium.api.throttling.SessionUserRateThrottle",
        "presidium.api.throttling.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        "apikey": env.str("THROTTLE_APIKEY", default="1200/min"),
        "voter_message": env.str("THROTTLE_VOTER_MESSAGE", default="5/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "乡镇人大主席团工作平台 API",
    "DESCRIPTION": "Read-only statistics and registers for county screens and provincial platforms. "
    "Authenticate with an API key: `Authorization: Api-Key <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No request may leave the machine: no online validator badge in Swagger UI, and Redoc uses the
    # machine's fonts (its template no longer links Google Fonts; see presidium/api/docs.py).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif",
                "headings": {
                    "fontFamily": "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
                },
                "code": {"fontFamily": "'DejaVu Sans Mono', Consolas, monospace"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Security (production) ------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 12

# Content Security Policy (django-csp), in every settings mode: scripts only from this site (no inline
# handlers in the templates: static/js/app.js wires data-confirm, data-confirm-submit, data-autosubmit,
# data-print) or carrying the request's nonce (the Redoc page's init). Inline *styles* stay allowed:
# Bootstrap markup and the docs bundles set style attributes. Uploaded files get their own, stricter
# policy (presidium.uploads.serve_upload).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# PDF rendering: where WeasyPrint finds the CJK fonts (Debian fonts-noto-cjk).
PDF_FONT_FAMILY_SERIF = "Noto Serif CJK SC"
PDF_FONT_FAMILY_SANS = "Noto Sans CJK SC"
