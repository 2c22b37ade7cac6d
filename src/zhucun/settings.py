"""Settings from the environment (12-factor).

DATABASE_URL   default: an SQLite file ``zhucun.sqlite3`` in the working directory
SECRET_KEY     default: read from (or generated into) ``.zhucun-secret`` in the working directory
ZHUCUN_DEBUG   "1" turns on Django's debug pages (never in production)
ZHUCUN_ALLOWED_HOSTS  comma-separated, default 127.0.0.1,localhost
ZHUCUN_AUDIT_KEY      the audit chain's HMAC key; default: read from (or generated into)
                      ``.zhucun-audit-key`` beside ``.zhucun-secret`` — never in the database
ZHUCUN_AUDIT_HEAD_FILE  where ``zhucun audit head --write`` keeps the signed chain head and
                      ``zhucun audit verify`` looks for it (optional)
ZHUCUN_HTTPS          "1": served behind TLS (Secure cookies, HSTS, HTTPS redirect)
ZHUCUN_MEDIA_ROOT / ZHUCUN_ATTACHMENTS_DIR  uploaded files (diary photos / rotation attachments);
                      ``zhucun backup`` copies both (docs/DEPLOY.md)
ZHUCUN_OFFICE_SESSION_SECONDS / ZHUCUN_PHONE_SESSION_SECONDS  session length per role
(see docs/SECURITY.md)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from zhucun.core.dburl import database_config

BASE_DIR = Path(__file__).resolve().parent
WORK_DIR = Path(os.environ.get("ZHUCUN_HOME", os.getcwd()))


def _secret_key(env: str = "SECRET_KEY", filename: str = ".zhucun-secret") -> str:
    key = os.environ.get(env)
    if key:
        return key
    path = WORK_DIR / filename
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("ZHUCUN_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("ZHUCUN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# A multi-host PostgreSQL URL (primary and standby, ``?target_session_attrs=read-write``) is
# accepted (core/dburl.py). Persistent connections are checked before reuse
# (CONN_HEALTH_CHECKS, ``ZHUCUN_CONN_HEALTH_CHECKS=0`` turns it off): after a failover or a
# database restart a dead connection is dropped and replaced instead of failing a request.
DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL") or f"sqlite:///{WORK_DIR / 'zhucun.sqlite3'}",
        conn_max_age=int(os.environ.get("ZHUCUN_CONN_MAX_AGE", "60")),
        health_checks=os.environ.get("ZHUCUN_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "zhucun.accounts",
    "zhucun.audit",
    "zhucun.notices",
    "zhucun.registry",
    "zhucun.useradmin",
    "zhucun.params",
    "zhucun.selection",
    "zhucun.tenure",
    "zhucun.rotation",
    "zhucun.assessment",
    "zhucun.work",
    "zhucun.support",
    "zhucun.review",
    "zhucun.attendance",
    "zhucun.demo",
    "zhucun.gen",
    "zhucun.inbox",
    "zhucun.web",
    "zhucun.api",
    "zhucun.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhucun.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhucun.web.middleware.ChineseErrorMiddleware",
]

ROOT_URLCONF = "zhucun.urls"
WSGI_APPLICATION = "zhucun.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

LANGUAGE_CODE = "zh-hans"
# The one language of the system: a browser asking for English still gets Chinese text and
# Chinese date formats (Django would otherwise switch to its English defaults).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = WORK_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ZHUCUN_MEDIA_ROOT", WORK_DIR / "media"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# --- Security (issue 9: audit key, deployment settings; docs/SECURITY.md) -----------------
# The audit chain's HMAC key: outside the database, so that whoever can write the database
# cannot recompute a rewritten chain.
ZHUCUN_AUDIT_KEY = _secret_key("ZHUCUN_AUDIT_KEY", ".zhucun-audit-key")
ZHUCUN_AUDIT_HEAD_FILE = os.environ.get("ZHUCUN_AUDIT_HEAD_FILE", "")
# Always sent (the pages hold no inline script, style or handler).
ZHUCUN_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Office roles (admin, prefecture, county, township, unit) on shared desks: a working day;
# cadres on their own phones: a month (the check-in queue must be able to upload).
ZHUCUN_OFFICE_SESSION_SECONDS = int(os.environ.get("ZHUCUN_OFFICE_SESSION_SECONDS", 8 * 3600))
ZHUCUN_PHONE_SESSION_SECONDS = int(os.environ.get("ZHUCUN_PHONE_SESSION_SECONDS", 30 * 86400))
SESSION_COOKIE_AGE = ZHUCUN_OFFICE_SESSION_SECONDS  # the shorter one unless login sets it
ZHUCUN_HTTPS = os.environ.get("ZHUCUN_HTTPS") == "1"
if ZHUCUN_HTTPS:  # served behind a TLS proxy that sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHUCUN_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("ZHUCUN_HSTS_PRELOAD", "1") == "1"
# --- end of security block ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHUCUN_LOG_LEVEL", "WARNING")},
}

# ---- accounts (issue 9, point 6): passwords, login throttling, API tokens ----------------------
# Django's validators, with Chinese messages (accounts/validators.py); they apply
# wherever a person chooses a password (change-password page, services.password_change), not to
# the passwords the system generates nor to the demo loader's fixed password.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "zhucun.accounts.validators.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "first_name", "last_name")},
    },
    {
        "NAME": "zhucun.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("ZHUCUN_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "zhucun.accounts.validators.CommonPasswordValidator"},
    {"NAME": "zhucun.accounts.validators.NumericPasswordValidator"},
]
# failed logins: per account and per client address within the window; at the threshold even
# the right password is refused for ZHUCUN_LOGIN_LOCK_SECONDS (accounts/throttle.py)
ZHUCUN_LOGIN_MAX_FAILURES = int(os.environ.get("ZHUCUN_LOGIN_MAX_FAILURES", "5"))
ZHUCUN_LOGIN_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("ZHUCUN_LOGIN_MAX_FAILURES_PER_ADDRESS", "20")
)
ZHUCUN_LOGIN_WINDOW_SECONDS = int(os.environ.get("ZHUCUN_LOGIN_WINDOW_SECONDS", "900"))
ZHUCUN_LOGIN_LOCK_SECONDS = int(os.environ.get("ZHUCUN_LOGIN_LOCK_SECONDS", "900"))
# behind a reverse proxy: the META key of the header the proxy sets to the client address
# (e.g. "HTTP_X_REAL_IP"; for X-Forwarded-For the rightmost entry is taken). Empty: REMOTE_ADDR.
ZHUCUN_CLIENT_ADDRESS_HEADER = os.environ.get("ZHUCUN_CLIENT_ADDRESS_HEADER", "")

# 站内通知 by email (off by default): ZHUCUN_NOTICE_EMAIL=1 and Django's SMTP settings from the
# environment (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
# DEFAULT_FROM_EMAIL); ZHUCUN_PUBLIC_URL makes the mailed links absolute.
ZHUCUN_NOTICE_EMAIL = os.environ.get("ZHUCUN_NOTICE_EMAIL") == "1"
ZHUCUN_PUBLIC_URL = os.environ.get("ZHUCUN_PUBLIC_URL", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhucun@localhost")
# API tokens expire this many days after creation (0: never)
ZHUCUN_API_TOKEN_DAYS = int(os.environ.get("ZHUCUN_API_TOKEN_DAYS", "90"))
# PBKDF2 iterations for the random one-time passwords the system hands out (about 70 bits of
# entropy each; upgraded to the full cost at the holder's first login, then replaced)
ZHUCUN_ONE_TIME_PASSWORD_ITERATIONS = 20_000
# a user who must change the password sees only the change-password page (and logout)
MIDDLEWARE = [*MIDDLEWARE, "zhucun.accounts.middleware.PasswordChangeRequiredMiddleware"]

# ---- Uploaded files: resource limits (issue 9 point 4; zhucun.registry.imports.limits) ------
# Every .xlsx/.csv read from a user (imports, batch screening) is bounded by these; passing one
# stops reading at once with a Chinese message naming the limit (HTTP 413 / a page error / a
# CLI error) and nothing is written. Operational limits, not policy: each may be set in the
# environment under the same name.
ZHUCUN_UPLOAD_MAX_BYTES = int(os.environ.get("ZHUCUN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# total of all parts of an .xlsx once decompressed (central directory sizes and bytes counted
# while decompressing, since the directory can lie)
ZHUCUN_XLSX_MAX_UNCOMPRESSED = int(
    os.environ.get("ZHUCUN_XLSX_MAX_UNCOMPRESSED", 100 * 1024 * 1024)
)
ZHUCUN_XLSX_MAX_SHARED_STRINGS = int(os.environ.get("ZHUCUN_XLSX_MAX_SHARED_STRINGS", 1_000_000))
ZHUCUN_IMPORT_MAX_COLUMNS = int(os.environ.get("ZHUCUN_IMPORT_MAX_COLUMNS", 64))
ZHUCUN_IMPORT_MAX_CELL_CHARS = int(os.environ.get("ZHUCUN_IMPORT_MAX_CELL_CHARS", 2000))
# rows of one file, by kind of import ("screening": batch screening)
ZHUCUN_IMPORT_MAX_ROWS = {
    "jurisdictions": 20_000,
    "villages": 20_000,
    "units": 20_000,
    "cadres": 100_000,
    "postings": 100_000,
    "screening": 5_000,
}

# ---- holiday calendar (issue 10): a sanity bound on an entered year, not a policy number -----
# Fewer weekday holidays than this in an entered year asks the administrator to confirm (every
# State Council schedule since 2008 has had at least 8 weekday holidays).
ZHUCUN_CALENDAR_MIN_WEEKDAY_HOLIDAYS = int(
    os.environ.get("ZHUCUN_CALENDAR_MIN_WEEKDAY_HOLIDAYS", "7")
)

# the most candidates ranked for one village in one request (selection/ranking.py); beyond it
# the caller names a dispatching unit (an operational limit, not policy)
ZHUCUN_RANK_CANDIDATES_MAX = int(os.environ.get("ZHUCUN_RANK_CANDIDATES_MAX", "1000"))

# ---- implausible dates (issue 10): an operational bound, not a policy number ----------------
# No date a form, import or API body gives may lie more than this many years after today
# (registry/validation.py date_in_bounds); dates of what the system manages also not before 2000.
ZHUCUN_MAX_YEARS_AHEAD = int(os.environ.get("ZHUCUN_MAX_YEARS_AHEAD", "10"))
# ---- 调整轮换 attachments (issue 11, MGT.9.DOCS): operational limits, not policy ----------
# Files live outside the database, named by their sha256, in this directory (created on demand).
ZHUCUN_ATTACHMENTS_DIR = Path(os.environ.get("ZHUCUN_ATTACHMENTS_DIR", WORK_DIR / "zhucun-files"))
ZHUCUN_ATTACHMENT_MAX_BYTES = int(os.environ.get("ZHUCUN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
