"""Settings for every environment, read from environment variables (see README)."""

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config import celery as taches_celery
from config import env

BASE_DIR = Path(__file__).resolve().parent.parent

# "production" unless told otherwise: a forgotten variable must fail safe, not open.
ENVIRONMENT = env.get("DJANGO_ENV", "production")
PRODUCTION = ENVIRONMENT == "production"
TESTING = ENVIRONMENT == "test"
DEBUG = env.flag("DJANGO_DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = env.get("DJANGO_SECRET_KEY", required=True)
else:
    SECRET_KEY = env.get("DJANGO_SECRET_KEY", "insecure-development-key-never-used-in-production-" + "x" * 20)

ALLOWED_HOSTS = env.items("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.items("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "courriels",
    "comptes",
    "audit",
    "relais",
    "assmats",
    "formation",
    "demandes",
    "orientations",
    "insertion",
    "indicateurs",
    "portail",
    "tiers_payant",
    "rgpd",
]

MIDDLEWARE = [
    # First: every later reader of REMOTE_ADDR (rate limits, axes, audit trail) gets the client's address.
    "audit.middleware.adresse_du_client",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptes.middleware.no_store_when_logged_in",
    "comptes.middleware.staff_idle_timeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "comptes.middleware.staff_mfa_required",
    # Who changed what, when, from where: every successful write request of a signed-in user.
    "audit.middleware.journaliser_ecritures",
    # Turns django-ratelimit's Ratelimited (a PermissionDenied) into the French 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "comptes.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", required=True),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A runaway statement must not hold a connection forever; how long is too long depends on the process.
# Web (config/wsgi.py, config/asgi.py set DJANGO_PROCESS=web): 10 s, a third of gunicorn's 30 s worker timeout,
# so that a runaway statement is cancelled before gunicorn kills the worker; the slowest page measured runs its
# queries in well under a second (bench/README.md). Background (Celery workers and beat, management commands,
# anything else): the longest task's hard limit, so that the query of a task killed at its limit does not run on.
PROCESS = env.get("DJANGO_PROCESS", "background")
if PROCESS not in {"web", "background"}:
    raise ImproperlyConfigured("DJANGO_PROCESS must be web or background.")
STATEMENT_TIMEOUT_MS = env.integer(
    "DATABASE_STATEMENT_TIMEOUT_MS", 10_000 if PROCESS == "web" else taches_celery.LIMITE_LA_PLUS_LONGUE * 1000
)
DATABASES["default"]["OPTIONS"] = {"options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}
if TESTING:
    # Django's flush between transactional tests is one TRUNCATE; the audit trail's trigger refuses it
    # unless the session carries this setting (audit/migrations/0003).
    DATABASES["default"]["OPTIONS"]["options"] += " -c guichet.vider_journal=oui"
# Lets two test runs share one server (each its own test database).
DATABASES["default"]["TEST"] = {"NAME": env.get("DJANGO_TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get("REDIS_URL", required=True)
CACHES = {
    "default": {
        "BACKEND": "comptes.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Each test database has its own cache keys, so that test runs sharing one Redis (several checkouts,
        # or the demo) never empty each other's cache, and never touch the Celery broker's keys.
        "KEY_PREFIX": f"guichet-test-{env.get('DJANGO_TEST_DATABASE_NAME') or 'defaut'}" if TESTING else "guichet",
    }
}

# Seconds the queue's rows stay cached, under the versions of the user's relais (demandes.selectors.
# cle_de_la_file); 0 turns the cache off. Off in tests: their transactions never commit, so the database's
# version triggers never fire; the cache's own tests commit.
FILE_D_ATTENTE_CACHE_SECONDES = env.integer("FILE_D_ATTENTE_CACHE_SECONDES", 0 if TESTING else 60)
# Seconds the public search's content stays cached per criteria and minute (assmats.cache_de_la_recherche); 0
# turns the cache off. Off in tests, but for the cache's own: a test that changes the offer reads it at once.
RECHERCHE_CACHE_SECONDES = env.integer("RECHERCHE_CACHE_SECONDES", 0 if TESTING else 60)

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # No NumericPasswordValidator: "digits only is refused" is a composition rule, which the policy (OWASP ASVS
    # 2.1.9, NIST SP 800-63B) excludes; length and the common-password list do the work.
]
if TESTING:
    # Hashing cost is not what the tests check.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Staff see every family of their relais or département: their sessions end after 30 minutes idle
# (comptes.middleware.staff_idle_timeout; OWASP ASVS 3.3.2 level 2).
STAFF_SESSION_IDLE_SECONDS = 30 * 60

# Second factor (allauth.mfa, TOTP with recovery codes), required for staff roles (OWASP ASVS 2.2.3
# level 2): a staff member without TOTP is sent to set it up before any other page. Off in tests by
# default, because nearly every test logs staff in with force_login and is not about the second
# factor; tests/comptes/test_mfa.py turns it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Guichet RPE"
STAFF_MFA_REQUIRED = env.flag("STAFF_MFA_REQUIRED", default=not TESTING)

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portail:espace"

# django-allauth: login by e-mail, verified before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guichet RPE] "
ACCOUNT_FORMS = {"signup": "comptes.forms.InscriptionForm"}
ACCOUNT_ADAPTER = "comptes.adapters.AccountAdapter"
# Lockout is django-axes' job; allauth's own login throttle would answer first and differently.
# The others are allauth's defaults, written out so that they are reviewed here (per IP; "key" is
# the e-mail typed). Over the limit, allauth answers with config.urls.handler429 (French page).
ACCOUNT_RATE_LIMITS = {
    "login_failed": False,
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# django-ratelimit on our own forms (comptes.limites.limiter): "<count>/<period>" per IP and per
# account. Generous per IP: families at a relais or CAF kiosk share one public address.
GUICHET_RATE_LIMITS = {
    # The parent's request form, each step posted.
    "demande": {"ip": "120/h", "compte": "60/h"},
    # The public childminder search.
    "recherche": {"ip": "120/m", "compte": "60/m"},
    # A family's message to a childminder through her relais (each one e-mails a relais' team).
    "message_au_relais": {"ip": "10/h", "compte": "10/h"},
}
RATELIMIT_VIEW = "portail.views.page_429"
# Reverse proxies whose X-Forwarded-For is believed (audit.middleware.adresse_du_client): addresses or
# networks, comma-separated. None by default: REMOTE_ADDR is then taken as the client's address.
TRUSTED_PROXIES = [ipaddress.ip_network(item, strict=False) for item in env.items("DJANGO_TRUSTED_PROXIES")]

# Statistical exports (unmet needs by commune × age × schedule): a count under this threshold is
# published as « < N », so that no family of a small commune can be singled out.
STATS_SMALL_CELL_THRESHOLD = env.integer("STATS_SMALL_CELL_THRESHOLD", 5)

# Retention (CNIL guidance for petite-enfance files, see rgpd/): personal data is anonymised once
# these delays have passed; the figures the indicators need are kept.
RGPD_CONSERVATION = {
    # A request closed or withdrawn: 3 years, the brief's "after the child leaves care".
    "demande_close_mois": env.integer("RGPD_DEMANDE_CLOSE_MOIS", 36),
    # A childminder whose agrément ended (or was withdrawn) and who holds no other.
    "agrement_termine_mois": env.integer("RGPD_AGREMENT_TERMINE_MOIS", 36),
    # A tiers payant convention ended: kept for the 5-year limitation period of civil actions.
    "convention_terminee_ans": env.integer("RGPD_CONVENTION_TERMINEE_ANS", 5),
}

# django-axes: lock an account after repeated failures, whatever the IP.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "comptes.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "comptes.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The client's address, once audit.middleware.adresse_du_client has read it behind a trusted proxy.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
# Lockout is per account on purpose: families at a relais or CAF kiosk share one public IP,
# and locking that IP would lock them all out. Per-IP throttling belongs to rate limits.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed by npm (see package.json), served from our own domain: no CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# WhiteNoise serves the static files with DEBUG on or off; outside production it reads them where they are
# (no collectstatic before a demo or a test run).
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# The one upload, the PMI's CSV of agréments (assmats.forms.ImportAgrementsForm), is read and never saved.
# Kept in memory up to that size, so that it never touches the disk either; form fields other than
# files stay under Django's default 2.5 MB. The reverse proxy must let such a body through.
IMPORT_CSV_TAILLE_MAX = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_CSV_TAILLE_MAX
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Guichet RPE <ne-pas-repondre@guichet-rpe.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every e-mail, allauth's included, is written to the outbox (courriels) in the caller's transaction; only its
# drain task sends, through the real backend, which the EMAIL_BACKEND variable still names.
EMAIL_BACKEND = "courriels.backends.OutboxBackend"
COURRIELS_BACKEND_REEL = env.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.locmem.EmailBackend"  # tests read django.core.mail.outbox after the drain
    if TESTING
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20

# Celery: JSON only, a task is acknowledged after it ran and requeued if its worker dies.
CELERY_BROKER_URL = env.celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task of ours declares its time limits through its kind (config/celery.py; `check --deploy` refuses one
# that does not). These defaults apply to Celery's own tasks only; the real-worker test shrinks them.
CELERY_TASK_SOFT_TIME_LIMIT = env.integer("CELERY_TASK_SOFT_TIME_LIMIT", taches_celery.TACHE_COURTE["soft_time_limit"])
CELERY_TASK_TIME_LIMIT = env.integer("CELERY_TASK_TIME_LIMIT", taches_celery.TACHE_COURTE["time_limit"])
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the longest a task stays unacknowledged, or Redis hands a running task to a second worker.
    # Overridable so that the real-worker test of `indicateurs` sees a killed worker's task redelivered quickly.
    "visibility_timeout": env.integer("CELERY_VISIBILITY_TIMEOUT", taches_celery.DUREE_MAX_NON_ACQUITTEE),
    # A page that enqueues a task must not hang when Redis is down: the outbox catches up later.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
if env.get("CELERY_VISIBILITY_TIMEOUT"):
    # With a short timeout, sweep for abandoned tasks every second instead of every ~100 s.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"unacked_restore_interval": 1, "unacked_restore_throttle": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Test-only pause inside the indicators' transaction, so that a test can kill the worker mid-computation.
INDICATEURS_PAUSE_TEST_SECONDES = env.integer("INDICATEURS_PAUSE_TEST_SECONDES", 0) if TESTING else 0
# Tasks published by tests (transactional tests commit) go to a queue no demo worker listens to.
CELERY_TASK_DEFAULT_QUEUE = "guichet-tests" if TESTING else "celery"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "battement-worker": {"task": "portail.tasks.battement", "schedule": 60.0, "options": {"expires": 55}},
    # The outbox is drained on commit too; this pass catches what a broker outage left behind.
    "courriels-envoyer-en-attente": {
        "task": "courriels.tasks.envoyer_en_attente",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The queue's stored ranking key: the « enfant de moins de 3 ans » points lapse with the date alone.
    "demandes-rafraichir-cles-classement": {
        "task": "demandes.tasks.rafraichir_cles_classement",
        "schedule": crontab(hour=0, minute=5),
    },
    "demandes-cloturer-sans-reponse": {
        "task": "demandes.tasks.cloturer_demandes_sans_reponse",
        "schedule": crontab(hour=3, minute=30),
    },
    "assmats-disponibilites-perimees": {
        "task": "assmats.tasks.rappeler_disponibilites_perimees",
        "schedule": crontab(hour=9, minute=0),
    },
    "assmats-agrements-expires": {
        "task": "assmats.tasks.rappeler_agrements_expires",
        "schedule": crontab(hour=9, minute=5),
    },
    # AVIP places: those past their term end, those ending within 15 days remind the team and the family.
    "insertion-suivre-places-avip": {
        "task": "insertion.tasks.suivre_places_avip",
        "schedule": crontab(hour=9, minute=15),
    },
    "tiers-payant-statuts-des-conventions": {
        "task": "tiers_payant.tasks.mettre_a_jour_statuts_des_conventions",
        "schedule": crontab(hour=4, minute=0),
    },
    "assmats-echeance-legale": {
        "task": "assmats.tasks.rappeler_echeance_legale",
        "schedule": crontab(hour=9, minute=10),
    },
    # Indicators of circular C 2017-003: every relais, running year (and the previous one until 31 March).
    "indicateurs-calcul-nocturne": {
        "task": "indicateurs.tasks.planifier_calculs",
        "schedule": crontab(hour=2, minute=15),
    },
    # GDPR retention (RGPD_CONSERVATION): anonymises the records whose retention period is over.
    "rgpd-retention-donnees": {
        "task": "rgpd.tasks.appliquer_retention",
        "schedule": crontab(hour=3, minute=45),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log every font subset at INFO: noise on the console, no news.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp. Scripts come only from our own static files: no inline script, no eval (htmx's
# eval-based features are switched off in base.html's htmx-config). <style> elements likewise.
# Inline style *attributes* stay allowed (style-src-attr) because server-rendered SVG charts and
# the standalone 500 page size themselves with style="…"; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        # Bootstrap's form controls draw their icons as data: SVG backgrounds.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Container health checks call /healthz over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    ADMINS = [("Exploitation", address) for address in env.items("DJANGO_ADMINS")]
