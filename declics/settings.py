"""DéClics settings: one file, every value from the environment.

With no variable set, the project runs embedded: SQLite, Celery on kombu's filesystem broker,
console e-mail, DEBUG on. Production sets DATABASE_URL, REDIS_URL (cache; the broker and the beat
lock take the next two Redis databases), EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=false;
`manage.py check --deploy` then reports nothing.
Every variable is documented in `.env.example`.

Database connections: `CONN_MAX_AGE` (seconds, default 600) keeps one connection per worker thread
between requests. With `DATABASE_POOL=true` (PostgreSQL only) Django's psycopg 3 connection pool is
used instead (`DATABASE_POOL_MIN_SIZE`, `DATABASE_POOL_MAX_SIZE`, per process); persistent
connections are then turned off, as Django requires. Prefer the pool with threaded servers
(gunicorn `--threads`), persistent connections with sync workers.
"""

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local, git-ignored state of the embedded run

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # optional; real variables win

DEBUG = env.bool("DEBUG", default=True)
_INSECURE_DEV_KEY = "django-insecure-declics-embedded-development-key-never-use-in-production"
# Without DEBUG the key must come from the environment: a missing one stops the start-up.
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_DEV_KEY) if DEBUG else env.str("SECRET_KEY")
# Former keys, while rotating SECRET_KEY: sessions, links and the second factor's stored secrets keep working.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

INSTALLED_APPS = [
    # Django's admin, signed in through allauth only, with the second factor (declics.accounts.admin_site).
    "declics.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    # The audit log of the team's actions (declics.audit says why this library).
    "auditlog",
    # Readiness checks (declics.operations.health) and their `manage.py health_check` command.
    "health_check",
    "declics.accounts",
    "declics.territories",
    "declics.notifications",
    "declics.rome",
    "programs",
    "programs.role_models",
    "programs.assessment",
    "programs.workshops",
    "programs.advisers",
    "programs.follow_up",
    "mentoring",
    "jobs",
    "jobs.trainings",
    "jobs.offers",
    # A person's data (export, erasure, retention), over what every app above declares.
    "declics.privacy",
]

MIDDLEWARE = [
    # First: the floor it puts under the account forms' answers covers the whole answer.
    "declics.accounts.middleware.EvenAccountFormTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's pages in their account's language (after LocaleMiddleware and auth).
    "declics.notifications.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "declics.middleware.StaticCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: the team's requests write the audit log with their author (declics.audit).
    "declics.audit.StaffAuditMiddleware",
    "declics.accounts.middleware.SecondFactorMiddleware",
    "declics.middleware.SessionRefreshMiddleware",
    "declics.middleware.PrivatePagesNoStoreMiddleware",
    # Last: a domain error leaving a view becomes its 4xx refusal page (declics.errors).
    "declics.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "declics.urls"
WSGI_APPLICATION = "declics.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "declics.context_processors.site",
            ],
            # The cached loader in every mode: templates are compiled once per process.
            # (runserver's autoreloader clears the cache when a template changes.)
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'declics.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two processes
            # wait for each other (up to `timeout` s) instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            # WAL lets the web process read while the Celery worker writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
        }
    )
elif env.bool("DATABASE_POOL", default=False):
    # Django's psycopg 3 pool (PostgreSQL only); it cannot be combined with CONN_MAX_AGE.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Persistent connections: one connection per worker thread, kept between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the cache, the Celery broker and the beat lock, each on its own database ---------------
# REDIS_URL is the cache's database (say /0); unless set on their own, the broker takes the next
# database of the same server (/1) and the beat scheduler's lock and schedule the one after (/2),
# so flushing or filling one never touches the others.
REDIS_URL = env.str("REDIS_URL", default="")


def _next_redis_database(url: str, offset: int) -> str:
    """`url` on the database `offset` places after its own (redis://host:6379/0 -> /1 for 1);
    the database of a unix socket is its `db` parameter (unix:///run/redis.sock?db=0)."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(int(query.get("db", 0)) + offset)
        return f"{url.split('?', 1)[0]}?{urlencode(query)}"
    database = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{database + offset}").geturl()


REDIS_LOCKS_URL = env.str("REDIS_LOCKS_URL", default=_next_redis_database(REDIS_URL, 2))

# --- Cache (rate limits, sessions' helpers): Redis when available -----------------------------
if REDIS_URL:
    # While Redis is away, each process works from its own local memory (declics/cache.py):
    # no page fails, rate limits keep counting, /healthz reports the outage.
    CACHES = {
        "default": {
            "BACKEND": "declics.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A Redis that does not answer costs a request at most a second, and only one
                # request per process every RETRY_AFTER seconds tries it again.
                "socket_connect_timeout": 1.0,
                "socket_timeout": 1.0,
                "RETRY_AFTER": 5.0,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of the base layout that are the same on every page (the assets, the menu of a role, the
# footer), per language: rendered once per process and kept in its memory (templates/base.html).
# They change only with the code, which restarts the processes; under runserver an edited file
# empties this cache (declics/fragments.py).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "declics-fragments",
}

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A person signs in with an e-mail address or a mobile number (issue 15): with its password, or with
# a one-time code sent to it (ACCOUNT_LOGIN_BY_CODE_ENABLED; by SMS for a number).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# allauth's own fields (email, phone, password twice); first name, last name and role are fields of
# our SignupForm (ACCOUNT_FORMS), which allauth renders and passes to the adapter's save_user.
# "email*": allauth requires it with mandatory verification; our SignupForm asks instead for an
# address *or* a mobile number from a job seeker (an address from a mentor), and the verification
# of the address is skipped for a person who has none (declics.accounts.stages). A password is
# asked of everyone, including phone sign-ups: it lets them in when SMS do not reach them, and
# allauth's setting is one for all; a forgotten one is replaced by a code (login by code).
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
# The number is stored on the User (AccountAdapter.set_phone…) and verified by a code sent by SMS
# through the outbox (kind "security") right after sign-up.
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
# Six digits: easy to read in an SMS and to type on a phone's numeric keypad.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
# A sign-up with an address already taken shows the usual "check your inbox" page and e-mails the
# owner of the address instead: the page never tells a stranger that this person is registered.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "declics.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "declics.accounts.forms.LoginForm",
    "signup": "declics.accounts.forms.SignupForm",
    "request_login_code": "declics.accounts.forms.RequestLoginCodeForm",
    "verify_phone": "declics.accounts.forms.VerifyPhoneForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DéClics] "

# --- Audit log of the team's actions (issue 14, item 9; declics.audit) ---------------------------------
# The models the team acts on, and of each the fields worth a before/after: never a secret (password,
# second factors' data, tokens) nor a field that moves on its own (last_login, counters, timestamps
# of sending). A person's own text and contact details stay out too: the log says what the team
# changed, the person's data stays in its room. Registered by auditlog when it loads. No
# many-to-many field: auditlog writes those entries without its `pre_log` signal, so they would
# escape the rule "the team's actions only" (declics.audit).
AUDITLOG_DISABLE_REMOTE_ADDR = True  # who did what and when; not from which address
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "accounts.User", "include_fields": ["role", "is_active", "is_staff", "is_superuser"]},
    {"model": "programs.Agency"},
    {"model": "programs.AdviserMembership"},
    {"model": "programs.Session", "exclude_fields": ["created_at", "survey_sent_at"]},
    {"model": "programs.SessionStep", "exclude_fields": ["opened_at"]},
    {
        "model": "programs.Enrolment",
        "include_fields": [
            "session",
            "status",
            "adviser",
            "promoted_at",
            "withdrawn_at",
            "ended_at",
            "ended_by",
            "end_reason",
            "transferred_to",
        ],
    },
    {
        "model": "programs.RoleModel",
        "include_fields": ["job_title", "rome", "employer", "photo_consent_at", "is_active"],
    },
    {"model": "programs.Talk", "exclude_fields": ["seats_taken", "sequence"]},
    {"model": "programs.Questionnaire", "include_fields": ["version", "title", "is_active"]},
    {"model": "programs.Workshop", "exclude_fields": ["seats_taken", "sequence", "created_at", "updated_at"]},
    {
        "model": "mentoring.MentorProfile",
        "include_fields": ["status", "reviewed_at", "reviewed_by", "capacity", "region", "nationwide"],
    },
    {"model": "mentoring.Mentorship", "include_fields": ["status", "ended_at", "ended_by", "end_reason"]},
    {"model": "mentoring.MatchRun", "include_fields": ["status", "published_at", "published_by"]},
    {"model": "jobs.Partner", "exclude_fields": ["created_at"]},
    {"model": "jobs.PartnerMembership"},
    {"model": "jobs.MeetingSlot", "exclude_fields": ["seats_taken", "sequence", "created_at"]},
    {"model": "jobs.Training"},
    {
        "model": "jobs.JobOffer",
        "include_fields": ["title", "is_published", "is_moderated", "expires_on", "positions"],
    },
    # The console's own records of a team action (issue 14): what was decided, never who received it.
    {"model": "jobs.OfferModeration"},
    {
        "model": "programs.CohortMessage",
        "include_fields": ["session", "segment_label", "subject", "send_after", "recipients_count"],
    },
    {"model": "programs.SessionTemplate", "include_fields": ["name", "source", "capacity"]},
    {"model": "programs.BulkRemoval", "include_fields": ["session", "reason", "status", "total", "removed"]},
    {
        "model": "territories.ZoningImport",
        "include_fields": ["kind", "classification", "valid_from", "valid_to", "source", "filename"],
    },
)

# --- Rate limits and the real client (issue 11, defects 4 and 5) -----------------------------------
# Behind the compose proxy every request reaches gunicorn from the proxy's address: the limits key on
# the client the trusted proxies saw, the last ALLAUTH_TRUSTED_PROXY_COUNT-th entry of
# X-Forwarded-For (0: REMOTE_ADDR, for a server nobody else stands in front of).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# The account forms that take an address (sign-up, login, reset, code) answer no sooner than this,
# registered or not: the cheap ones differ by a query, which the floor hides (the others hash).
ACCOUNT_FORMS_MIN_SECONDS = 0.1
# A person locked out of password login (by their own mistakes or a stranger's) can always ask
# for a one-time code by e-mail (its own limits: request_login_code).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so they are visible and tunable, and the site's own choices.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    # A code by e-mail or SMS: per client, and per address or number (the key).
    "request_login_code": "20/m/ip,3/m/key",
    # The SMS verifying a number (sign-up, change, resend): per number and per client.
    "verify_phone": "1/30s/key,3/m/ip",
    "change_phone": "1/m/user",
    # The key is the account *and* the client (AccountAdapter): a stranger's wrong passwords lock
    # the stranger out, not the owner.
    "login_failed": "10/m/ip,5/5m/key",
    # Wrong passwords for one account from every client together (key: the account): slows a
    # guess spread over many addresses; the owner can still sign in with a code.
    "login_failed_account": "30/h/key",
    "confirm_email": "1/3m/key",
}
# The site's own limits (declics.ratelimits), in allauth's format and store, per client.
RATE_LIMITS = {
    # A person typing sends one request per pause, far below this.
    "commune_search": "120/m/ip",
}

# --- Second factor (allauth.mfa) ----------------------------------------------------------------
# Staff and advisers see other people's data: every page they open needs a session that passed a
# second factor (declics.accounts.middleware.SecondFactorMiddleware); everyone may turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "declics.accounts.mfa.MFAAdapter"  # stores the TOTP secrets encrypted
MFA_TOTP_ISSUER = "DéClics Numériques"
MFA_FORMS = {
    "authenticate": "declics.accounts.forms.AuthenticateForm",
    "reauthenticate": "declics.accounts.forms.ReauthenticateForm",
    "activate_totp": "declics.accounts.forms.ActivateTOTPForm",
    "add_webauthn": "declics.accounts.forms.AddWebAuthnForm",
    "reauthenticate_webauthn": "declics.accounts.forms.ReauthenticateWebAuthnForm",
    "edit_webauthn": "declics.accounts.forms.EditWebAuthnForm",
}
# One 30-second step either side: a code read at the end of its step, or a phone clock a little
# off, still works. Each code is accepted once, and wrong codes are rate limited (login_failed).
MFA_TOTP_TOLERANCE = 1
# No "trust this browser": every sign-in of a staff member or an adviser asks for the second factor.
MFA_TRUST_ENABLED = False
# Security keys are a second factor only, never a password replacement.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# WebAuthn needs https, except on http://localhost while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions end after inactivity.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
# Instead of writing the session on every request (SESSION_SAVE_EVERY_REQUEST), the session of a
# logged-in person is re-saved, pushing its expiry back, at most once per SESSION_REFRESH_INTERVAL
# (declics.middleware.SessionRefreshMiddleware): inactivity still ends it, without a write per page.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_INTERVAL = env.int("SESSION_REFRESH_INTERVAL", default=5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers (production values apply when DEBUG is off) --------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # `preload` in the header only allows submitting the domain to the browsers' preload list.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind the compose proxy / a load balancer that terminates TLS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The probes and the scrape come over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Content-Security-Policy: no inline script, no third-party origin; everything is vendored.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")  # private files, never served directly
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail ----------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
    # django-environ drops the leading "/" of filemail:///abs/path; take the URL's own path.
    EMAIL_FILE_PATH = urlsplit(env.str("EMAIL_URL")).path
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="DéClics Numériques <ne-pas-repondre@declics.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS: `console`, `file` (one JSON line per SMS in SMS_FILE_PATH: the embedded default),
# `locmem` (tests) or a dotted path to a backend class (declics.notifications.sms).
SMS_BACKEND = env.str("SMS_BACKEND", default="file")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=VAR_DIR / "sms")
# The sender name the phone shows: at most 11 letters or digits, no accent (operators' rule,
# checked at start-up: declics/notifications/checks.py).
SMS_SENDER = env.str("SMS_SENDER", default="DeClics")
# SMS_BACKEND=brevo: Brevo's transactional SMS API, its key from the environment only.
BREVO_API_KEY = env.str("BREVO_API_KEY", default="")
SMS_API_URL = env.str("SMS_API_URL", default="https://api.brevo.com/v3/transactionalSMS/sms")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)  # seconds per request to the provider
# The estimated price of one SMS segment, in euros (shown to staff with the segments sent).
SMS_COST_PER_SEGMENT = env.float("SMS_COST_PER_SEGMENT", default=0.045)
# The secret the provider signs its callbacks with (STOP replies); empty: the endpoint refuses all.
SMS_WEBHOOK_SECRET = env.str("SMS_WEBHOOK_SECRET", default="")
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_CLAIM_LEASE = env.int("NOTIFICATIONS_CLAIM_LEASE", default=300)  # seconds
NOTIFICATIONS_KICK_ON_QUEUE = env.bool("NOTIFICATIONS_KICK_ON_QUEUE", default=True)
# At most this many optional messages (nudges, cohort news, surveys) a day per person; the rest go
# into one digest the next morning, from NOTIFICATIONS_DIGEST_HOUR (Paris time).
NOTIFICATIONS_OPTIONAL_PER_DAY = env.int("NOTIFICATIONS_OPTIONAL_PER_DAY", default=2)
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=8)
# A request a mentor declines or lets expire passes on to the next mentor at most this many
# times; then staff accompany the person (mentoring/services.py, `pass_request_on`).
MENTORING_MAX_CHAINED_REQUESTS = env.int("MENTORING_MAX_CHAINED_REQUESTS", default=3)

# --- Celery ------------------------------------------------------------------------------------------
CELERY_BROKER_DIR = env.path("CELERY_BROKER_DIR", default=VAR_DIR / "broker")
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=_next_redis_database(REDIS_URL, 1) or "filesystem://"
)
if CELERY_BROKER_URL.startswith("filesystem:"):
    # kombu's filesystem transport: producers write one file per message into the queue folder and
    # workers take them from the same folder, so `data_folder_in` and `data_folder_out` are equal.
    # `control_folder` holds the fan-out tables (worker remote control); kombu's default is a
    # relative "control" folder in the current directory, hence the explicit path.
    _broker_dir = Path(CELERY_BROKER_DIR)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    for _folder in ("queue", "control", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Fail fast when Redis is away (health check, `.delay()` in a request) instead of hanging.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 5}
HEALTHZ_BROKER_TIMEOUT = env.float("HEALTHZ_BROKER_TIMEOUT", default=2.0)  # s: /healthz, /readyz, /metrics
CELERY_RESULT_BACKEND = None  # tasks write their results to the database they work on
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_LOCKS_URL:
    # One scheduler, whatever runs: each beat process takes a Redis lock before its first tick and
    # renews it at every tick (celery-redbeat). A second beat waits for the lock and queues nothing.
    # A beat stopped normally releases the lock; one that dies leaves it to expire after
    # BEAT_LOCK_TIMEOUT seconds. The waiting beat then takes over from the last run of each task,
    # kept in Redis: nothing is queued twice, and a task that fell due meanwhile is queued once.
    # Without Redis (the embedded run) beat keeps its schedule in a local file: one beat only.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_LOCKS_URL
    CELERY_REDBEAT_REDIS_OPTIONS = {"socket_connect_timeout": 5, "socket_timeout": 5}
    CELERY_REDBEAT_KEY_PREFIX = "declics:beat:"
    CELERY_REDBEAT_LOCK_TIMEOUT = env.int("BEAT_LOCK_TIMEOUT", default=60)
    # A beat wakes up at least this often (seconds): to renew the lock, and, while waiting for it,
    # to try again. Must stay well under BEAT_LOCK_TIMEOUT.
    CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, min(10, CELERY_REDBEAT_LOCK_TIMEOUT // 3))
# Every periodic job, in one place.
CELERY_BEAT_SCHEDULE = {
    "send-due-notifications": {
        "task": "declics.notifications.tasks.send_due_notifications",
        "schedule": env.float("NOTIFICATIONS_SEND_EVERY", default=15.0),
    },
    # Each person's held optional messages, in one digest the next morning.
    "notifications-send-digests": {"task": "declics.notifications.tasks.send_digests", "schedule": 15 * 60.0},
    "mentoring-expire-and-remind-requests": {
        "task": "mentoring.tasks.expire_and_remind_requests",
        "schedule": 15 * 60.0,
    },
    "mentoring-remind-mentorships-without-session": {
        "task": "mentoring.tasks.remind_mentorships_without_session",
        "schedule": 6 * 60 * 60.0,
    },
    "programs-advance-calendars": {"task": "programs.tasks.advance_calendars", "schedule": 300.0},
    "programs-deliver-pending-cohort-messages": {
        "task": "programs.tasks.deliver_pending_cohort_messages",
        "schedule": 300.0,
    },
    "programs-send-surveys": {"task": "programs.follow_up.tasks.send_surveys", "schedule": 60 * 60.0},
    # Every slot type (workshops, talks, meetings): offers passed on, reminders queued when due.
    "bookings-expire-offers": {"task": "programs.bookings.tasks.expire_booking_offers", "schedule": 120.0},
    "bookings-send-reminders": {"task": "programs.bookings.tasks.send_booking_reminders", "schedule": 60.0},
    "privacy-apply-retention": {
        "task": "declics.privacy.tasks.apply_retention",
        "schedule": 24 * 60 * 60.0,
    },
    "jobs-follow-up-applications": {
        "task": "jobs.offers.tasks.follow_up_applications",
        "schedule": env.float("JOBS_FOLLOW_UP_EVERY", default=60.0 * 60),
    },
    "jobs-import-france-travail-offers": {
        "task": "jobs.offers.tasks.import_france_travail_offers",
        "schedule": env.float("FRANCE_TRAVAIL_IMPORT_EVERY", default=60.0 * 60 * 6),
    },
}
# France Travail "Offres d'emploi v2" API (https://francetravail.io): the import runs only when set.
FRANCE_TRAVAIL_CLIENT_ID = env.str("FRANCE_TRAVAIL_CLIENT_ID", default="")
FRANCE_TRAVAIL_CLIENT_SECRET = env.str("FRANCE_TRAVAIL_CLIENT_SECRET", default="")
FRANCE_TRAVAIL_TOKEN_URL = env.str(
    "FRANCE_TRAVAIL_TOKEN_URL",
    default="https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire",
)
FRANCE_TRAVAIL_API_URL = env.str(
    "FRANCE_TRAVAIL_API_URL", default="https://api.francetravail.io/partenaire/offresdemploi/v2"
)

# --- Forms -----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: structured (one JSON object per line) to stdout -------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "declics.logging.JsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env.str("LOG_FORMAT", default="plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # httpx logs every request at INFO (each SMS sent): the outbox logs what matters itself.
        "httpx": {"level": "WARNING"},
    },
}

# --- Operations: health checks, metrics, error reports (declics/operations, README "Operations") -----
# /readyz fails when the oldest due outbox message has waited longer than this (seconds)…
HEALTH_OUTBOX_MAX_LAG = env.int("HEALTH_OUTBOX_MAX_LAG", default=600)
# …or when the disk holding MEDIA_ROOT is this full (percent).
HEALTH_DISK_MAX_PERCENT = env.float("HEALTH_DISK_MAX_PERCENT", default=90.0)
# /metrics answers only a request bearing this token (Authorization: Bearer …); unset, it is a 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from declics.operations.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Demo data (seed_demo) is refused when DEBUG is off, unless this is set on purpose (a staging site).
ALLOW_DEMO_DATA = env.bool("ALLOW_DEMO_DATA", default=DEBUG)

VAR_DIR.mkdir(exist_ok=True)
# WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, e.g. before collectstatic.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
