"""Django settings for Data Circle, all read from environment variables with safe defaults.

See README "Configuration" for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from datacircle.web import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATACIRCLE_HOME = config.home()

SECRET_KEY = config.secret_key(DATACIRCLE_HOME)
DEBUG = config.env_flag("DEBUG")
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "datacircle.accounts",
    "datacircle.jobs",
    "datacircle.scoping",
    "datacircle.peers",
    "datacircle.helpdesk",
    "datacircle.notices",
    "datacircle.library",
    "datacircle.programme",
    "datacircle.network",
    "datacircle.partners",
    "datacircle.catalogue",
    "datacircle.federation",
    "datacircle.maturity",
    "ninja",
    "datacircle.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "datacircle.web.storage.StaticFiles",
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "datacircle.web.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "datacircle.web.middleware.profile_language",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "datacircle.web.urls"
WSGI_APPLICATION = "datacircle.web.wsgi.application"

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
                "datacircle.web.navigation.areas",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(config.database_url(DATACIRCLE_HOME), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets several workers read while one writes; IMMEDIATE avoids "database is locked"
    # surprises when two requests upgrade a read transaction to a write at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("ar", _("Arabic"))]
# The core's texts (problems, errors, steps) have their own catalogue; the apps' are found by app.
LOCALE_PATHS = [PACKAGE_DIR / "core" / "locale"]
USE_I18N = True
# Our formats per language, before Django's (see datacircle.web.formats); figures grouped by
# thousands for readers: machine values in templates go through `unlocalize`.
FORMAT_MODULE_PATH = ["datacircle.web.formats"]
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATACIRCLE_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "datacircle.web.storage.StaticStorage"},
}

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = config.env_flag("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Data Circle <datacircle@localhost>")
# Links in emails point here (emails are sent outside any request, so the host is not known).
DATACIRCLE_BASE_URL = os.environ.get("DATACIRCLE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security. Cookies are marked Secure on every https request by datacircle.web.middleware;
# HTTPS=1 additionally redirects http to https and sends HSTS.
HTTPS = config.env_flag("HTTPS")
if config.env_flag("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

# Background jobs: "thread" runs them inside the web process (one machine); "worker" leaves them
# to `datacircle worker` processes (several app servers behind a load balancer).
DATACIRCLE_JOBS = os.environ.get("DATACIRCLE_JOBS", "thread")
if DATACIRCLE_JOBS not in ("thread", "worker", "inline"):
    raise ImproperlyConfigured("DATACIRCLE_JOBS must be thread, worker or inline")
# Uploads up to 50 MB reach the import job (the form says so); Django's own limit is in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Help desk: an answer is due this many working days (Monday to Friday) after the question.
DATACIRCLE_HELPDESK_DAYS = int(os.environ.get("DATACIRCLE_HELPDESK_DAYS", "3"))
# The name this installation gives itself in the shared catalogue API (GET /api/v1/).
DATACIRCLE_INSTANCE_NAME = os.environ.get("DATACIRCLE_INSTANCE_NAME", "Data Circle")
