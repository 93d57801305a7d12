"""Django settings. Local mode (the default): one user, loopback only, no login.

The database comes from --db / BACKSTRIDE_DB (a URL); SQLite by default in the user-data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from backstride import config
from backstride.storage.connection import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = config.secret_key()
DEBUG = os.environ.get("BACKSTRIDE_DEBUG") == "1"
# "local": a single runner on their own machine, signed in automatically on loopback.
MODE = os.environ.get("BACKSTRIDE_MODE", "local")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "backstride.storage",
    "backstride.web",
]

MIDDLEWARE = [
    "backstride.web.security.ContentSecurityPolicyMiddleware",  # every response, static files too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backstride.web.middleware.LocalUserMiddleware",
    "backstride.web.middleware.LocalTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backstride.web.urls"
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
                "backstride.web.views.common.common_context",
            ]
        },
    }
]
WSGI_APPLICATION = "backstride.web.wsgi.application"


DATABASES = {"default": database_settings(config.database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"  # storage; pages show the runner's zone (middleware.LocalTimeZoneMiddleware)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = None  # nothing is collected: WhiteNoise serves the package's static folder directly
WHITENOISE_USE_FINDERS = True  # serve straight from the package; no collectstatic step needed
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields; uploaded files stream to temporary files
FILE_UPLOAD_TEMP_DIR = str(config.private_tmp())  # health data: never in the shared /tmp
DATA_UPLOAD_MAX_NUMBER_FILES = 5000
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
