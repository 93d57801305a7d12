"""Django settings. Local mode (the default): one user, loopback only, no login.
Clinic mode (BACKSTRIDE_MODE=clinic, see backstride.modes): PostgreSQL, accounts and sign-in, and the
secret key and host names from the environment; it refuses to start without them.

The database comes from --db / BACKSTRIDE_DB (a URL); SQLite by default in the user-data folder.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from backstride import config, modes
from backstride.storage.connection import database_settings

BASE_DIR = Path(__file__).resolve().parent
# "local": a single runner on their own machine, signed in automatically on loopback.
# "clinic": many people on one server, each signed in with their own account.
MODE = modes.current_mode()
if MODE == modes.CLINIC:
    clinic = modes.clinic_environment()  # one StartupError naming every missing variable
    SECRET_KEY = clinic.secret_key
    DEBUG = False  # never in clinic mode: a debug page would show health data to anyone
    ALLOWED_HOSTS = clinic.allowed_hosts
    database_url = clinic.database_url
    served_over_tls = clinic.tls
else:
    SECRET_KEY = config.secret_key()
    DEBUG = os.environ.get("BACKSTRIDE_DEBUG") == "1"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
    database_url = config.database_url()
    served_over_tls = False

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # sign-in throttling; its tables exist in both modes, it acts only in clinic mode
    "django_otp",  # clinic staff's optional two-step sign-in (services/two_factor.py) ...
    "django_otp.plugins.otp_totp",  # ... with an authenticator app's 6-digit codes
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
    "backstride.web.middleware.ClinicSignInMiddleware",
    "backstride.web.middleware.LocalTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into our page
]

ROOT_URLCONF = "backstride.web.urls"
OTP_TOTP_ISSUER = "backstride"  # how an authenticator app names the account's codes
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


DATABASES = {"default": database_settings(database_url)}
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

# Accounts (clinic mode; local mode's one user has no password and never signs in).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# Argon2 first: new and changed passwords are hashed with it; the others only read older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 24 * 3600  # an admin's reset link works for a day, and only until it is used
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before the password check
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: 5 wrong passwords for one username from one address lock that pair out for 15 minutes
# (by the pair, so that one person's typos never lock out a whole clinic behind one address).
AXES_ENABLED = MODE == modes.CLINIC
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "backstride.web.views.accounts.locked_out"
AXES_VERBOSE = False

if MODE == modes.CLINIC:
    SESSION_COOKIE_AGE = 12 * 3600  # signed out after 12 hours without a page
    SESSION_SAVE_EVERY_REQUEST = True  # ... counted from the last page, not from sign-in
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_HTTPONLY = True  # pages carry the token themselves (base.html's hx-headers, forms)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    if served_over_tls:  # BACKSTRIDE_TLS=1: a proxy in front terminates HTTPS and says so
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_HSTS_SECONDS = 365 * 24 * 3600
        SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services of the clinic's domain are not ours
