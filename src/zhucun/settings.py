"""Settings from the environment (12-factor).

DATABASE_URL   default: an SQLite file ``zhucun.sqlite3`` in the working directory
SECRET_KEY     default: read from (or generated into) ``.zhucun-secret`` in the working directory
ZHUCUN_DEBUG   "1" turns on Django's debug pages (never in production)
ZHUCUN_ALLOWED_HOSTS  comma-separated, default 127.0.0.1,localhost
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
WORK_DIR = Path(os.environ.get("ZHUCUN_HOME", os.getcwd()))


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = WORK_DIR / ".zhucun-secret"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("ZHUCUN_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("ZHUCUN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{WORK_DIR / 'zhucun.sqlite3'}",
        conn_max_age=int(os.environ.get("ZHUCUN_CONN_MAX_AGE", "60")),
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
    "zhucun.registry",
    "zhucun.params",
    "zhucun.selection",
    "zhucun.attendance",
    "zhucun.demo",
    "zhucun.gen",
    "zhucun.web",
    "zhucun.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
# API tokens expire this many days after creation (0: never)
ZHUCUN_API_TOKEN_DAYS = int(os.environ.get("ZHUCUN_API_TOKEN_DAYS", "90"))
# PBKDF2 iterations for the random one-time passwords the system hands out (about 70 bits of
# entropy each; upgraded to the full cost at the holder's first login, then replaced)
ZHUCUN_ONE_TIME_PASSWORD_ITERATIONS = 20_000
# a user who must change the password sees only the change-password page (and logout)
MIDDLEWARE = [*MIDDLEWARE, "zhucun.accounts.middleware.PasswordChangeRequiredMiddleware"]

# the most candidates ranked for one village in one request (selection/ranking.py); beyond it
# the caller names a dispatching unit (an operational limit, not policy)
ZHUCUN_RANK_CANDIDATES_MAX = int(os.environ.get("ZHUCUN_RANK_CANDIDATES_MAX", "1000"))
