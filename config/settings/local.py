"""Local development: ``make run``."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if "EMAIL_URL" not in os.environ:
    # Mail goes to files a newcomer can read at /dev/mailbox/ (home/mailbox.py).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
