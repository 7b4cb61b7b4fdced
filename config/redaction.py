"""Survey link tokens never reach a log line: one rule for Django's and gunicorn's logs.

Survey links carry a personal token in their path (``/surveys/a/<token>/``)
and the answer page the token's hash, signed (``/surveys/answer/<signed>/``).
Whoever reads a log holding either could open or poll someone's link.
"""

from __future__ import annotations

import logging
import re

# Both link pages, whatever precedes them (a scheme and host in a referer).
SURVEY_LINK = re.compile(r"(/surveys/(?:a|answer)/)[^/?#\s\"']+")
REDACTED = "<redacted>"


def redact(text: str) -> str:
    """``text`` with the token (or signed hash) of every survey link replaced."""
    return SURVEY_LINK.sub(rf"\g<1>{REDACTED}", text)


class RedactSurveyLinks(logging.Filter):
    """Rewrites a record's final text, with its arguments and traceback applied."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
