"""What the running processes say about themselves."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a process said it was alive, by process kind ("beat").

    Celery beat stamps its row from its own loop (``ops/beat.py``), so the
    stamp's age says whether the one beat of the deployment is running,
    whichever machine it runs on.
    """

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
