"""One settings file for every environment.

Everything that differs between a developer machine, CI and production comes from the
environment, read through the small typed helpers below. Every variable has a default that
works on a developer machine (PostgreSQL and Redis on 127.0.0.1); production sets
DJANGO_ENV=production, which turns on the secure defaults and refuses the development
secret key. Secrets may also be given as a file: FOO_FILE=/run/secrets/foo.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (Docker/K8s secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_json(name: str, default: Any) -> Any:
    """A JSON value from NAME (or NAME_FILE); ImproperlyConfigured names what is wrong."""
    raw = env_str(name, "")
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be JSON: {exc}") from exc


def database_from_url(url: str) -> dict[str, Any]:
    """postgres://user:password@host:port/name?sslmode=require -> Django DATABASES entry
    (dj-database-url; its query parameters become OPTIONS)."""
    db: dict[str, Any] = dict(dj_database_url.parse(
        url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True,
    ))
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL")
    db["NAME"] = db.get("NAME") or "samordna"
    db["TEST"] = {"NAME": f"test_{db['NAME']}"}
    if env_bool("DB_PREPARED_STATEMENTS", True):
        # psycopg prepares what a server-binding cursor runs, at its first run. Only the public
        # pages' compiled queries that ask (config/compiled.py, prepare=True) run on one:
        # Django's own cursors bind on the client, and psycopg never prepares those. Off (None,
        # Django's default) for a pooler that hands a session's statements to other clients.
        db.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 0)
    return db


DJANGO_ENV = env_str("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEV_SECRET_KEY = "dev-insecure-3b7c1f0e-change-me-in-production-9d2a6e4b8f1c5a7e"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY):
    raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) in production.")

DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Follows PORT (bin/dev: `PORT=8123 make run`) unless set.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Django's widget templates for the project's FORM_RENDERER (board.forms.FormRenderer).
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_htmx",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "axes",
    "csp",
    "board",
    "board.documents",
    "minutes",
    "finance",
    "interventions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The public pages' reads from the standby, when there is one (config/db_router.py).
    "config.db_router.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Swedish unless the user picked a language; not the browser's Accept-Language.
    "board.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# One field template and one error summary for every form (templates/forms/).
FORM_RENDERER = "board.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "board.context_processors.site_urls",
            ],
        },
    },
]

# Without prepared statements (Django's default, kept on purpose): with ?server_side_binding=true
# &prepare_threshold=5 a search for a common word took 100-142 ms instead of 23-28 ms, on
# PostgreSQL's generic plan for the text query (README, "Benchmarks").
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samordna")
    )
}
# A PostgreSQL hot standby of the primary for the public pages' reads (config/db_router.py).
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **database_from_url(env_str("DATABASE_REPLICA_URL")),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.db_router.PublicReplicaRouter"]
# After a POST, PUT, PATCH or DELETE a person reads the public pages from the primary this long.
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 30)
PUBLIC_READ_VIEWS = frozenset({
    "public:board", "public:board_org", "public:feed", "public:archive", "public:notice",
    "public:notice_attachment", "public:minutes_index", "public:minutes_years", "public:minutes_year",
    "public:minutes_detail", "public:search", "public:calendar", "public:sitemap",
})
PUBLIC_READ_PATHS = ("/api/v1/public/",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        # django-redis: one client per server for the process. Django's own backend builds a
        # redis.Redis per operation, 2-4x the CPU of a cached page's one MGET (bench/cache_client.py).
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "samordna",
        # A Redis that does not answer must not hold a public page for minutes (the TCP
        # default); the pages fall back to the database (minutes/public/cache.py).
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "board:home"
LOGOUT_REDIRECT_URL = "board:home"

# Login throttling: five failures for one user name from one address lock it for an hour.
# Wrong passwords and codes at signing and at removing the authenticator app count the same
# way (board.services.credentials_check).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Masked in the failed attempts axes stores (it masks "password" itself).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "totp_code", "code"]
# The name authenticator apps show beside the account (board/account_views.py).
OTP_TOTP_ISSUER = "Samordna"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))


def media_storage() -> dict[str, Any]:
    """Where uploaded handlingar and issued PDFs are kept, from MEDIA_STORAGE.

    `filesystem` (the default): MEDIA_ROOT, a folder every web and worker node must share (one
    machine, or an NFS mount). `s3`: a bucket of S3-compatible object storage (AWS S3, MinIO,
    SeaweedFS, Ceph RGW, ...) through django-storages. Either way the code reads and writes
    only through Django's storage API, and no address serves the files: every download is
    streamed through a view after its access check. In the bucket the objects are private
    (no public ACL, so a plain URL is refused); a URL that storage.url() signs lasts a minute.
    Without MEDIA_S3_ACCESS_KEY_ID boto3 finds its credentials itself (an instance role,
    AWS_* variables).
    """
    kind = env_str("MEDIA_STORAGE", "filesystem")
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, got {kind!r}")
    bucket = env_str("MEDIA_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET, the bucket's name.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,  # None: AWS S3 itself
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("MEDIA_S3_PREFIX").strip("/"),
            # "path" for a server whose host name has no bucket subdomains; empty: boto3 decides.
            "addressing_style": env_str("MEDIA_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",  # boto3 may otherwise sign URLs with the retired SigV2
            # A name already taken gets a suffix, as on the filesystem: an issued file is never replaced.
            "file_overwrite": False,
            # A file read for a download or a package is held in memory up to 2 MB, beyond that in
            # a temporary file (the default, 0, holds all of it in memory).
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Public pages (anslagstavla, archive, search) cache their rendered content in Redis for this
# many seconds; any change to public data invalidates it at once (minutes/public/cache.py).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 120)
# The editor's autosaves of one person in one § within this many seconds share one history
# row (minutes/drafting/services/editing.py save_typed); explicit saves always get their own.
AUTOSAVE_HISTORY_SECONDS = env_int("AUTOSAVE_HISTORY_SECONDS", 300)
# Who else has the minutes editor open (minutes/drafting/services/presence.py): the page's
# heartbeat every EDITOR_PRESENCE_HEARTBEAT seconds; gone after EDITOR_PRESENCE_SECONDS without one.
EDITOR_PRESENCE_HEARTBEAT = env_int("EDITOR_PRESENCE_HEARTBEAT", 10)
EDITOR_PRESENCE_SECONDS = env_int("EDITOR_PRESENCE_SECONDS", 30)
# Only for bench/public_bench.py: a do-nothing view at /bench/bare as the baseline.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)

# Uploaded handlingar: the limit the forms and the API enforce.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# BankID (RP API v6) for justering with an advanced electronic signature
# (minutes/justering/signing/bankid.py): the relying party's certificate and key from its bank
# (PEM), the CA that issued BankID's server certificate (empty: the one pybankid ships for the
# chosen endpoint), the test endpoint instead of production, and BANKID_URL to point the client
# at another address altogether (the tests' stand-in).
BANKID_CERT_PATH = env_str("BANKID_CERT_PATH", "")
BANKID_KEY_PATH = env_str("BANKID_KEY_PATH", "")
BANKID_CA_PATH = env_str("BANKID_CA_PATH", "")
BANKID_TEST_SERVER = env_bool("BANKID_TEST_SERVER", False)
BANKID_URL = env_str("BANKID_URL", "")
# The roots a BankID signature's certificate must chain to (PEM files, comma-separated): BankID's
# root CA for production (its test root with BANKID_TEST_SERVER). A signature is verified against
# them (XMLDSig, signxml) before it is recorded; without one, BankID signatures are not taken.
BANKID_SIGNATURE_ROOTS = env_list("BANKID_SIGNATURE_ROOTS", [])

# Passkeys (WebAuthn, board/passkeys.py and minutes/justering/signing/passkey.py): the relying
# party id, a registrable domain of the site's host name. Empty: the host name of the request
# (which ALLOWED_HOSTS checks). A passkey works only under the id it was added for.
PASSKEY_RP_ID = env_str("PASSKEY_RP_ID", "")

# OpenID Providers for justering with e-ID (minutes/justering/signing/oidc.py, the oidc.se
# profile): a JSON object {key: {issuer, client_id, client_secret, label, acr_values (those
# accepted as advanced), personal_number_claim (default the oidc.se claim), scope}}. Each is
# offered as the method "oidc-<key>" where an association has chosen OIDC. Empty: none.
OIDC_PROVIDERS: dict[str, dict[str, Any]] = env_json("OIDC_PROVIDERS", {})

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samordna <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that does not answer fails the attempt after this many seconds, not minutes.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Mail is sent by the worker after the act commits (board/mail.py). A failing server is tried
# again after MAIL_RETRY_SECONDS, doubling up to MAIL_RETRY_MAX_SECONDS (kept below the
# broker's visibility_timeout), MAIL_MAX_ATTEMPTS times in all (about 75 minutes by default);
# an attempt holds its row for MAIL_LEASE_SECONDS, and a row no message took within it is
# sent again by the sweep.
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 30)
MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 900)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10)
MAIL_LEASE_SECONDS = env_int("MAIL_LEASE_SECONDS", 120)
# The public's e-mail subscriptions to the notice board (minutes/subscriptions/): an unconfirmed
# subscription is deleted after SUBSCRIPTION_CONFIRM_HOURS; a posted notice is mailed in
# batches of SUBSCRIPTION_BATCH_SIZE addresses, spaced so that at most
# SUBSCRIPTION_MAIL_PER_MINUTE mails are queued a minute; the form takes
# SUBSCRIBE_LIMIT_PER_IP requests an hour from one computer and SUBSCRIBE_LIMIT_PER_ADDRESS for
# one e-mail address (beyond that: the same answer, no mail).
SUBSCRIPTION_CONFIRM_HOURS = env_int("SUBSCRIPTION_CONFIRM_HOURS", 48)
SUBSCRIPTION_BATCH_SIZE = env_int("SUBSCRIPTION_BATCH_SIZE", 200)
SUBSCRIPTION_MAIL_PER_MINUTE = env_int("SUBSCRIPTION_MAIL_PER_MINUTE", 600)
SUBSCRIBE_LIMIT_PER_IP = env_int("SUBSCRIBE_LIMIT_PER_IP", 10)
SUBSCRIBE_LIMIT_PER_ADDRESS = env_int("SUBSCRIBE_LIMIT_PER_ADDRESS", 3)

# Celery: Redis as broker and result store; tasks are queued only after the transaction
# that asked for them commits (DjangoTask.delay_on_commit), so a worker never sees a row
# that is not there yet.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
# A message taken but not acknowledged (acks_late) goes back to the queue when its pool
# process dies (reject_on_worker_lost), and after visibility_timeout when the whole worker
# died. Not shorter: a render's retry waits up to 300 s unacknowledged in the worker
# (board.documents.tasks), and a shorter timeout would hand out running tasks twice. A render whose
# worker died comes back sooner through the sweep below, from its database row.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# Work a committed row still owes (a render whose message was lost with the broker, never
# sent because the broker was down, or whose worker died) is sent again by every worker when it
# starts or reconnects to the broker and every WORKER_SWEEP_SECONDS (config/celery.py), and by
# beat: none of it waits for beat alone.
WORKER_SWEEP_TASKS = [
    "board.requeue_stuck_documents", "board.requeue_stuck_mail", "minutes.requeue_stuck_archive_packages",
    "minutes.requeue_stuck_notice_mailings",
]
WORKER_SWEEP_SECONDS = env_int("WORKER_SWEEP_SECONDS", 15)
# A render holds its row for this long and renews the hold while it runs; a render whose worker
# died is taken over when it runs out, and a queued row not taken within it is sent again.
DOCUMENT_LEASE_SECONDS = env_int("DOCUMENT_LEASE_SECONDS", 30)
# An archive package's build holds its row this long, renewed with every step of progress.
ARCHIVE_LEASE_SECONDS = env_int("ARCHIVE_LEASE_SECONDS", 120)
# Beat's schedule lives in Redis (celery-redbeat), with a lock: however many beat processes are
# started (a second node, a compose file scaled by mistake), one sends the periodic tasks; when
# it dies, another takes the lock once it has run out (REDBEAT_LOCK_SECONDS). A beat checks the
# schedule and renews its lock every BEAT_LOOP_SECONDS.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = REDIS_URL
CELERY_REDBEAT_REDIS_OPTIONS: dict[str, object] = {"socket_connect_timeout": 2}
CELERY_REDBEAT_KEY_PREFIX = env_str("REDBEAT_KEY_PREFIX", "samordna:redbeat")
CELERY_BEAT_MAX_LOOP_INTERVAL = env_int("BEAT_LOOP_SECONDS", 5)
CELERY_REDBEAT_LOCK_TIMEOUT = env_int("REDBEAT_LOCK_SECONDS", 30)
BEAT_SWEEP_SECONDS = float(env_int("BEAT_SWEEP_SECONDS", 60))
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # The sweep of WORKER_SWEEP_TASKS once more, from a pool process rather than a worker's
    # main process: a second way, not the only one (board.documents.tasks).
    "requeue-stuck-documents": {"task": "board.requeue_stuck_documents", "schedule": BEAT_SWEEP_SECONDS},
    "requeue-stuck-mail": {"task": "board.requeue_stuck_mail", "schedule": BEAT_SWEEP_SECONDS},
    "requeue-stuck-archive-packages": {"task": "minutes.requeue_stuck_archive_packages", "schedule": BEAT_SWEEP_SECONDS},
    # Notices owed to the subscribers whose batch message was lost, or whose posting day came.
    "requeue-stuck-notice-mailings": {"task": "minutes.requeue_stuck_notice_mailings", "schedule": BEAT_SWEEP_SECONDS},
    # The board's stored blocks of notices taken down are deleted (minutes/public/blocks.py).
    "notice-blocks-prune": {"task": "minutes.notice_blocks_prune", "schedule": 3600.0},
    # Subscriptions not confirmed within SUBSCRIPTION_CONFIRM_HOURS are deleted.
    "subscriptions-expire": {"task": "minutes.subscriptions_expire", "schedule": 3600.0},
    # Signers who have not signed are reminded as the justering deadline nears (minutes.justering).
    "justering-reminders": {"task": "minutes.justering_reminders", "schedule": 24 * 3600.0},
}

# PDF sealing: the organisation's certificate. A development certificate is created by
# `manage.py create_dev_certificate`; production points these to a real one.
PDF_SEAL_KEY_FILE = Path(env_str("PDF_SEAL_KEY_FILE", str(BASE_DIR / "var" / "seal" / "seal-key.pem")))
PDF_SEAL_CERT_FILE = Path(env_str("PDF_SEAL_CERT_FILE", str(BASE_DIR / "var" / "seal" / "seal-cert.pem")))
PDF_SEAL_KEY_PASSPHRASE = env_str("PDF_SEAL_KEY_PASSPHRASE", "")

# Content-Security-Policy (django-csp 4): only the site's own scripts and styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # /healthz is probed over plain HTTP by the container health check.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Tests only speed things up; they do not swap PostgreSQL or Redis for fakes.
if env_bool("FAST_PASSWORD_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
