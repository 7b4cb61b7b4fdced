"""The development mailbox: the emails the file email backend wrote, read back.

Under ``make run`` Keel's mail goes to files in ``var/mail/`` (Django's file
backend: one file per connection, messages separated by a line of 79 dashes).
This reads them as the recipient would: what the email backend received, a
survey link's token included, which is never stored in the database. Only
for development (the view answers 404 unless DEBUG and the file backend are on).
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"
SHOWN = 200


@dataclass(frozen=True)
class Mail:
    key: str  # file name and position: the page's anchor
    to: str
    subject: str
    sent_at: datetime | None
    body: str


def enabled() -> bool:
    return bool(settings.DEBUG) and settings.EMAIL_BACKEND == FILE_BACKEND


def directory() -> Path:
    return Path(getattr(settings, "EMAIL_FILE_PATH", ""))


def _body(message: Any) -> str:
    """The plain text (or else the HTML) of a message parsed with the default policy."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else content.decode(errors="replace")


def read(folder: Path, limit: int = SHOWN) -> tuple[list[Mail], int]:
    """The newest ``limit`` messages, newest first, and how many the folder holds."""
    mails: list[Mail] = []
    files = sorted(folder.glob("*.log"), key=lambda f: f.stat().st_mtime) if folder.is_dir() else []
    for file in files:
        for position, chunk in enumerate(file.read_bytes().split(SEPARATOR)):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            try:
                sent_at = parsedate_to_datetime(str(message["Date"]))
            except (TypeError, ValueError):
                sent_at = None
            mails.append(
                Mail(
                    key=f"{file.stem}-{position}",
                    to=str(message["To"] or ""),
                    subject=str(message["Subject"] or ""),
                    sent_at=sent_at,
                    body=_body(message),
                )
            )
    mails.reverse()
    return mails[:limit], len(mails)
