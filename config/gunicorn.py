"""Gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi``.

Survey link tokens never reach a log (``config.redaction``): ``RedactingLogger``
replaces them in every access-log field (request line, path, referer, headers,
environ) and in every error-log message, traceback included; Django's own log
lines, written to the same stream, pass the same filter (``LOGGING``). The
bind address and worker count stay on the command line (``--bind``,
``--workers``).

With ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory of this server's
own, docs/production.md), every gunicorn worker counts its requests into
files there and ``/metrics`` adds them up, whichever worker answers.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger

from config.redaction import RedactSurveyLinks, redact


class RedactingLogger(Logger):
    """Gunicorn's logger, with survey link tokens taken out of both logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSurveyLinks) for f in log.filters):
                log.addFilter(RedactSurveyLinks())

    def atoms(self, resp, req, environ, request_time) -> dict:
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = "config.gunicorn.RedactingLogger"
accesslog = "-"
errorlog = "-"
# Gunicorn's default format (the combined log format without the user).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'


def child_exit(server, worker) -> None:
    """A worker gone: its live gauges leave the sum (its counters stay counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
