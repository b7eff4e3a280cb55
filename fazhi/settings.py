"""Settings for fazhi, read from the environment.

Environment variables (all optional for the embedded demo):
  DATABASE_URL          sqlite:///path or postgres://user@host:5432/name
  FAZHI_SECRET_KEY      required when FAZHI_ENV=production
  FAZHI_ALLOWED_HOSTS   comma separated host names
  FAZHI_ENV             "development" (default) or "production"
  FAZHI_EMAIL_URL       smtp://host:port (default: e-mails are written to the console)
  FAZHI_SMS_GATEWAY     dotted path of an SMS gateway class (default records only)
  FAZHI_IDLE_TIMEOUT    idle session timeout in seconds (default 1800)
  FAZHI_BACKGROUND      "thread" (default) runs long page work (report
                        generation) in a thread the page polls; "inline" runs
                        it in the request
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", PROJECT_DIR / "var"))
SHARED_DIR = Path(os.environ.get("FAZHI_SHARED_DIR", PROJECT_DIR.parent / "shared"))

ENV = os.environ.get("FAZHI_ENV", "development")
FAZHI_BACKGROUND = os.environ.get("FAZHI_BACKGROUND", "thread")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("FAZHI_DEBUG", "1") == "1"

SECRET_KEY = os.environ.get("FAZHI_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("FAZHI_SECRET_KEY must be set in production.")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("FAZHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the API docs assets locally (no CDN offline)
    # kernel
    "fazhi.kernel.textzh",
    "fazhi.kernel.audit",
    "fazhi.kernel.org",
    "fazhi.kernel.deadlines",
    "fazhi.kernel.workflow",
    "fazhi.kernel.notices",
    "fazhi.kernel.indicators",
    "fazhi.domains.plan",
    "fazhi.domains.disclosure",
    "fazhi.domains.hotline",
    "fazhi.domains.laws",
    # edges
    "fazhi.web",
    "fazhi.portal",
    "fazhi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "fazhi.web.middleware.TraditionalScriptMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fazhi.web.middleware.IdleTimeoutMiddleware",
    "fazhi.web.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes last, as its docs require
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.web.context.staff_context",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"),
        conn_max_age=int(os.environ.get("FAZHI_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the sweep writes; IMMEDIATE makes
    # write transactions take the lock up front instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "fazhi.kernel.org.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fazhi.kernel.org.passwords.ComplexityValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout after repeated failures (等保 2.0 asks for it): 5 tries, 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("FAZHI_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("FAZHI_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# Lock by user name, not by address: a whole bureau often sits behind one NAT
# address, and locking it would shut out every colleague after one person's
# typos. axes warns about that choice (W006); we make it on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
FAZHI_IDLE_TIMEOUT = int(os.environ.get("FAZHI_IDLE_TIMEOUT", "1800"))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("FAZHI_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("FAZHI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [
        o for o in os.environ.get("FAZHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o
    ]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it to exist
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if os.environ.get("FAZHI_EMAIL_URL"):  # smtp://user:password@host:port
    from urllib.parse import unquote, urlsplit

    _mail = urlsplit(os.environ["FAZHI_EMAIL_URL"])
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
DEFAULT_FROM_EMAIL = os.environ.get("FAZHI_FROM_EMAIL", "fazhi@localhost")
FAZHI_SMS_GATEWAY = os.environ.get(
    "FAZHI_SMS_GATEWAY", "fazhi.kernel.notices.gateways.RecordingSmsGateway"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"jieba": {"level": "ERROR"}},
}
