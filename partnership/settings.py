"""Settings for Partnership Tracker, read from the environment.

Development defaults are safe: SQLite in the repository's folder, DEBUG on, a
development secret key. With DEBUG off the site refuses to start unless a real
SECRET_KEY and ALLOWED_HOSTS are given. See .env.example for every variable.
"""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production"


def env_bool(name, default):
    """Read a boolean; anything but a clear yes or no is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (also accepted: 1/0, yes/no, on/off), not {value!r}."
    )


def env_list(name, default=""):
    """Read a comma-separated list, dropping empty items."""
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_rate(name, default):
    """Read a number of requests per time unit, such as "120/min"; empty means no limit."""
    value = os.environ.get(name, default).strip()
    if value and not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", value):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per s, min, hour or day, such as "
            f"120/min, not {value!r}."
        )
    return value


def env_email(name):
    """Read an email address; empty means none. A malformed address is an error."""
    value = os.environ.get(name, "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be an email address, not {value!r}.") from None
    return value


def env_database(default):
    """The database DATABASE_URL names, or `default` when it is unset."""
    return dj_database_url.config(
        default=default,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )


def check_production(secret_key, allowed_hosts):
    """With DEBUG off, refuse the development key, a short key and an empty host list."""
    if secret_key == DEVELOPMENT_SECRET_KEY or len(secret_key) < 32:
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is unset, the development key, or shorter than "
            "32 characters: set SECRET_KEY to a long random value."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured(
            "DEBUG is off but ALLOWED_HOSTS is empty: set ALLOWED_HOSTS to the site's "
            "host names, separated by commas."
        )


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

if not DEBUG:
    check_production(SECRET_KEY, ALLOWED_HOSTS)

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation requires: the record's text in each language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_countries",
    "import_export",
    "partnership.core.apps.LockoutConfig",  # django-axes
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "partnership.core",
    "partnership.organizations",
    "partnership.sectors",
    "partnership.agreements",
    "partnership.initiatives",
    "partnership.investments",
    "partnership.search",
    "partnership.site",
    "partnership.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Lets scripts on other sites read the API (only /api/); before the middleware whose
    # redirects and 304s it must see.
    "partnership.api.http.CrossOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Sends a visitor who chose Thai or Japanese from an English address to their language.
    "partnership.core.languages.RememberedLanguageMiddleware",
    # The admin in the language chosen with the switcher.
    "partnership.core.languages.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Public pages for anonymous visitors from the cache until the data changes (CACHE_PAGES).
    "partnership.core.caching.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the admin, for the records' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "partnership.core.security.SecurityLogMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnership.urls"

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
                "django.template.context_processors.csp",
                "partnership.core.context_processors.data_version",
                "partnership.core.context_processors.reviews",
            ],
        },
    },
]

WSGI_APPLICATION = "partnership.wsgi.application"

DATABASES = {"default": env_database(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's non-key columns (`include`) are for PostgreSQL; SQLite makes the index without
# them, as it should (investments.Investment's list order index).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("th", "Thai"), ("ja", "Japanese")]
# The interface's catalogues (makemessages writes the first), then Thai country names, which
# django-countries does not ship.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "countries"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
# The record's text in each language (django-modeltranslation, see partnership/core/translation.py):
# English is the record's own language, and what a page shows where a translation is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Slugs are made from the English title.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
# One way of writing dates in English, "2 Dec 2026" (partnership/formats/en/formats.py).
FORMAT_MODULE_PATH = ["partnership.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

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

# How the site names itself in citations and pages; the publisher, if set, is the body that
# publishes the record (a ministry, an agency). CONTACT_EMAIL is where readers report errors;
# unset, the method page says to tell the ministry staff who keep the record.
SITE_NAME = os.environ.get("SITE_NAME", "").strip() or "Partnership Tracker"
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "").strip()
CONTACT_EMAIL = env_email("CONTACT_EMAIL")

# Filters and lists
FILTERS_EMPTY_CHOICE_LABEL = "Any"
PAGE_SIZE = 25

# A database table, so every app process shares what is cached (the API's rate-limit counts).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_table",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
    # The pages most asked for, in each app process's memory too (core/caching.py): a page
    # of 400 KB read from the database on every visit costs more than making a small one.
    # At most 100 pages (about 40 MB) a process; their keys hold the data version.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
}

# Whole public pages kept for anonymous visitors under the data version (core/caching.py),
# and downloads kept as files under DOWNLOADS_ROOT (core/kept_files.py); off by default in
# development, where templates change under a running server.
CACHE_PAGES = env_bool("CACHE_PAGES", not DEBUG)
DOWNLOADS_ROOT = Path(
    os.environ.get("DOWNLOADS_ROOT") or Path(tempfile.gettempdir()) / "partnership-downloads"
)

# Open data API (/api/). API_RATE_LIMIT: requests per client address, "120/min", "5000/day"
# (empty: no limit). API_TRUSTED_PROXIES: how many proxies in front of the site append to
# X-Forwarded-For; 0 (the default) counts clients by the address that connects.
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Anonymous and read-only: no sessions or CSRF, everyone sees the same published data.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "partnership.api.pagination.Pagination",
    # The version is part of the path, /api/v1/…; a breaking change gets a new version.
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    # Every error as problem details (RFC 9457), application/problem+json.
    "EXCEPTION_HANDLER": "partnership.api.problems.exception_handler",
    # At most API_RATE_LIMIT requests per client address, counted in the default cache (the
    # database table every app process shares). The address is REMOTE_ADDR unless NUM_PROXIES
    # says how many proxies in front of the site append to X-Forwarded-For, so a client cannot
    # get a fresh allowance by sending its own. No rate turns the limit off.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_RATE_LIMIT or None},
    "NUM_PROXIES": env_int("API_TRUSTED_PROXIES", 0),
    "DEFAULT_SCHEMA_CLASS": "partnership.api.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership Tracker API",
    "DESCRIPTION": (
        "Read-only open data: agreements, cooperation areas, initiatives, investment projects, "
        "reported investment figures, organizations, the people who signed agreements, sectors, "
        "policies and sources. Only "
        "published records. List filters are those of the site's list pages; a parameter "
        "sent empty is the same as one left out. Amounts are decimal strings in full "
        "currency units with their ISO 4217 currency; never add amounts in different "
        "currencies, nor reported figures to single projects.\n\n"
        "The records' text comes in English, Thai or Japanese: `?lang=th` (or `ja`, `en`) or "
        "the `Accept-Language` header chooses; a text not yet translated comes in English. "
        "`Content-Language` names the language of the answer.\n\n"
        "Errors are problem details (RFC 9457, `application/problem+json`). Responses carry "
        "`ETag` and `Last-Modified` (a conditional request gets `304`), lists a `Link` "
        "header, and any site may read them (`Access-Control-Allow-Origin: *`).\n\n"
        "This is version 1 of the API, at /api/v1/. A change that could break a client "
        "comes as a new version, announced in advance with `Deprecation` and `Sunset` "
        "headers on the old one; additions come within the version."
    ),
    # The version of this document: its major number is the version in the path.
    "VERSION": "1.2.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema reads the filters' values from the database, which `check --deploy` must not
    # need; the test suite validates the schema instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Tags and operation ids leave out /api/v1/.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partnership.api.openapi.link_lists_to_records",
        "partnership.api.openapi.language_may_be_empty",
    ],
    # Swagger UI and Redoc from this site's own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "partnership.core.dates.DatePrecision",
        "LinkBasisEnum": "partnership.core.reported.LinkBasis",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Sign-in throttling (django-axes). LOGIN_FAILURE_LIMIT failed sign-ins for one account from
# one address lock that account at that address for LOGIN_LOCKOUT_MINUTES; failures older than
# that are forgotten. Other accounts at that address, and the account from anywhere else, are
# not affected; a correct password clears the account's failures at the address, and attempts
# made while locked are refused without being counted. Addresses are REMOTE_ADDR unless
# LOGIN_TRUSTED_PROXIES says how many proxies in front of the site append to X-Forwarded-For
# (see partnership/core/security.py). Unlocking: README, "Sign-in lockout".
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "partnership.core.security.client_address"
AXES_LOCKOUT_CALLABLE = "partnership.core.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
LOGIN_TRUSTED_PROXIES = env_int("LOGIN_TRUSTED_PROXIES", 0)

# Spreadsheet import and export in the admin (partnership/core/spreadsheets/). An upload
# waits for its confirmation in the default file storage, which every app server shares.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True

# Security. Scripts run only from this site and with the per-request nonce; nothing may frame
# the site; plugins are off. Styles allow inline attributes, which the admin relies on.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    # Production is served over HTTPS only. Behind a proxy that terminates TLS, set
    # SECURE_PROXY_SSL_HEADER=true so the forwarded protocol is trusted.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
