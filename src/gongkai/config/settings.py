"""Django settings for gongkai, configured from the environment.

Environment variables:

- ``GONGKAI_HOME``: directory for the SQLite file, uploads and collected static files (default ``./var``).
- ``DATABASE_URL``: use this database (PostgreSQL in production) instead of ``$GONGKAI_HOME/gongkai.sqlite3``.
- ``GONGKAI_PRODUCTION=1``: HTTPS-only cookies, HSTS, SSL redirect; DEBUG is refused.
- ``GONGKAI_DEBUG``: ``1``/``0`` (default: on unless production).
- ``GONGKAI_SECRET_KEY``: required unless DEBUG.
- ``GONGKAI_ALLOWED_HOSTS`` / ``GONGKAI_CSRF_TRUSTED_ORIGINS``: comma-separated.
- ``GONGKAI_BEHIND_PROXY``: trust ``X-Forwarded-Proto`` and the last ``X-Forwarded-For`` entry from the reverse
  proxy (nginx) in front; default on exactly when ``GONGKAI_PRODUCTION=1`` (see ``deploy/nginx.conf``).
- ``GONGKAI_SSL_REDIRECT``, ``GONGKAI_HSTS_SECONDS``: override the production defaults.
- ``GONGKAI_UPLOAD_SLOTS`` (default 2), ``GONGKAI_UPLOAD_WAIT_SECONDS`` (default 10): how many uploads this
  host checks at once, across all app processes, and how long a request waits for a turn.
- ``GONGKAI_EMAIL_URL``: the SMTP server notices are sent through (``smtp://``/``smtps://``, see
  ``gongkai.delivery.config``); without it mail is written to ``$GONGKAI_HOME/mail/``
  (and staff may reset a forgotten password by e-mail only when it is set).
- ``GONGKAI_SMS_URL`` / ``GONGKAI_SMS_KEY``: the SMS gateway's webhook and its signing key.
- ``GONGKAI_SITE_URL``: the workbench's public address, for links in staff e-mails (optional).
- ``GONGKAI_ADMINS``: ``张三 <zhang@example.cn>, li@example.cn`` — who gets server errors by e-mail
  (``GONGKAI_SERVER_EMAIL`` is the sender); ``GONGKAI_LOG_DIR``: the rotating log file's directory
  (default ``$GONGKAI_HOME/logs``, empty: none); ``GONGKAI_LOG_LEVEL`` (default INFO).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gongkai.ops.logs import log_directory, logging_config, parse_admins


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 的值 {value!r} 无法识别，请使用 1 或 0")


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


GONGKAI_HOME = Path(os.environ.get("GONGKAI_HOME") or "var").resolve()
PRODUCTION = _flag("GONGKAI_PRODUCTION")
DEBUG = _flag("GONGKAI_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("GONGKAI_PRODUCTION=1 时不得开启 GONGKAI_DEBUG")

SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("未设置 GONGKAI_SECRET_KEY；只有调试模式才使用开发用密钥")
    SECRET_KEY = "django-insecure-gongkai-development-only-never-deploy-this-key"

ALLOWED_HOSTS = _list("GONGKAI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = _list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])
# A failed CSRF check answers in Chinese in the site's frame, like every other error page.
CSRF_FAILURE_VIEW = "gongkai.config.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # The second factor (TOTP) of staff sign-in, before the domain apps so that org.admin can take
    # django-otp's device admin away (devices change only through org.second_factor, audited).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Domain apps go here, before core, so that their templates can override core's defaults.
    "gongkai.org",
    "gongkai.publications",
    "gongkai.inforequests",
    "gongkai.appeals",
    "gongkai.reporting",
    "gongkai.ranking",
    "gongkai.engagement",
    "gongkai.grid",
    "gongkai.participation",
    "gongkai.responsiveness",
    "gongkai.portal",
    "gongkai.search",
    "gongkai.delivery",
    "gongkai.workbench",
    "gongkai.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP and the other headers on every response; refuses oversized public posts before they are read.
    "gongkai.portal.middleware.SecurityHeadersMiddleware",
    # Serves static files from the app process: a 街道 deployment has no separate web server to do it.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Marks a session verified by a second factor; then ours ends idle staff sessions and sends a session
    # that still owes its code, its own password or its enrolment to that step first.
    "django_otp.middleware.OTPMiddleware",
    "gongkai.org.middleware.StaffAccountMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"
ASGI_APPLICATION = "gongkai.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        # Each app keeps its templates in <app>/templates/<app>/.
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.workbench.context_processors.workbench",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    # SQLite cannot create the directory that holds its file.
    GONGKAI_HOME.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": GONGKAI_HOME / "gongkai.sqlite3",
            "OPTIONS": {
                # WAL lets the web process read while `gongkai tick` writes; NORMAL sync is durable
                # enough under WAL. IMMEDIATE takes the write lock at BEGIN, so two writers queue on
                # the busy timeout instead of failing with "database is locked" on lock upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# The authenticator app shows this name beside the six digits.
OTP_TOTP_ISSUER = "政务公开工作台"
# Password reset by e-mail is offered only when outgoing mail is configured (GONGKAI_EMAIL_URL); without
# it the reset pages say to ask the 公开办负责人 (an administrator sets a temporary password).
EMAIL_CONFIGURED = bool(os.environ.get("GONGKAI_EMAIL_URL", "").strip())
LOGIN_REDIRECT_URL = "/workbench/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = GONGKAI_HOME / "static"
# Without collectstatic (dev, tests, `gongkai serve`) WhiteNoise finds files through the app finders;
# it still expects STATIC_ROOT to exist and warns on every request otherwise.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = GONGKAI_HOME / "media"
# Uploads checked at once on this host (core.upload_slots): each can take ~150 MB (a photo at the pixel cap).
GONGKAI_UPLOAD_SLOTS = int(os.environ.get("GONGKAI_UPLOAD_SLOTS") or 2)
GONGKAI_UPLOAD_WAIT_SECONDS = float(os.environ.get("GONGKAI_UPLOAD_WAIT_SECONDS") or 10)
UPLOAD_SLOT_DIR = GONGKAI_HOME / "run"

# Delivery of notices (gongkai.delivery): read when `gongkai tick` sends, parsed there.
GONGKAI_EMAIL_URL = os.environ.get("GONGKAI_EMAIL_URL", "").strip()
GONGKAI_MAIL_DIR = GONGKAI_HOME / "mail"
GONGKAI_SMS_URL = os.environ.get("GONGKAI_SMS_URL", "").strip()
GONGKAI_SMS_KEY = os.environ.get("GONGKAI_SMS_KEY", "").strip()
# 随手拍 forwarding (gongkai.grid): each receiver's webhook and the HMAC key shared with it.
GONGKAI_GRID_URL = os.environ.get("GONGKAI_GRID_URL", "").strip()
GONGKAI_GRID_KEY = os.environ.get("GONGKAI_GRID_KEY", "").strip()
GONGKAI_96010_URL = os.environ.get("GONGKAI_96010_URL", "").strip()
GONGKAI_96010_KEY = os.environ.get("GONGKAI_96010_KEY", "").strip()
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "").strip().rstrip("/")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai"}}

# Security headers; the cookie and transport flags below only make sense behind HTTPS.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = _flag("GONGKAI_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS") or (31_536_000 if PRODUCTION else 0))
# An office's site usually sits on a shared government domain whose other hosts it does not control,
# so HSTS must not reach subdomains or the browsers' preload list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# Behind nginx (deploy/nginx.conf), which overwrites X-Forwarded-Proto and appends the client to
# X-Forwarded-For: only then are those headers believed (also by core.net.client_ip).
if _flag("GONGKAI_BEHIND_PROXY", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Monitoring probes /healthz over plain HTTP on the loopback interface.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

ADMINS = parse_admins(os.environ.get("GONGKAI_ADMINS", ""))
SERVER_EMAIL = os.environ.get("GONGKAI_SERVER_EMAIL", "") or "gongkai@localhost"
LOGGING = logging_config(
    log_dir=log_directory(GONGKAI_HOME, os.environ.get("GONGKAI_LOG_DIR")),
    mail_admins=bool(ADMINS),
    level=os.environ.get("GONGKAI_LOG_LEVEL", "INFO"),
)
