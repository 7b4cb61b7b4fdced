"""Production: gunicorn, Celery workers, one beat, PostgreSQL, Redis/RabbitMQ.

Served over HTTPS behind a TLS-terminating proxy; ``manage.py check --deploy``
prints no warnings with these defaults (tests/test_security.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # required: no default in production
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Required: never a key derived from the secret key in production.
KEEL_SECRETS_KEYS = env.list("KEEL_SECRETS_KEYS")
if not KEEL_SECRETS_KEYS:
    raise ImproperlyConfigured("Set KEEL_SECRETS_KEYS: comma-separated Fernet keys, newest first.")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Each web and worker process keeps its database connection between requests
# (checked before reuse) instead of opening one per request: a new PostgreSQL
# connection cost more CPU than a whole survey answer. A deployment then holds
# one connection per process (gunicorn workers plus Celery worker processes on
# every machine); keep that under PostgreSQL's max_connections. 0 closes it
# after every request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("KEEL_DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Production serves the collected, hashed files (``collectstatic``) only.
WHITENOISE_USE_FINDERS = False

# HTTPS only. The proxy terminates TLS and says so in X-Forwarded-Proto (it must
# overwrite that header, never pass a client's on); plain HTTP is redirected.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The same proxy appends the client's address to X-Forwarded-For; sign-in
# lockout and rate limits count per client address (set 0 when nothing is in front).
KEEL_TRUSTED_PROXY_COUNT = env.int("KEEL_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe, and Prometheus scrapes, each web machine over plain HTTP
# on the private network (docs/production.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# HSTS: browsers refuse plain HTTP to this host for SECURE_HSTS_SECONDS. Lower it
# (e.g. 3600) while first rolling out HTTPS; 0 sends no header at all.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Cookies only over HTTPS, and out of reach of scripts (Keel's scripts post the
# form's own CSRF field, never read the cookie).
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Django's defaults, stated so that nobody loosens them by accident. Survey
# links carry their token in the URL: no Referer ever leaves the site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
