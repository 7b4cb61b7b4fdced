"""What alert notifications say, and how they reach email and Slack.

Rendering is pure (alert fields in, text and Block Kit out). Transports raise
``TransientDeliveryError`` for what a retry can fix (SMTP refusal, connection
errors, Slack 429/5xx) and ``PermanentDeliveryError`` for what it cannot.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection

EVENT_PREFIX = {
    "fired": "",
    "renotify": "Reminder: ",
    "escalated": "Escalated: ",
    "resolved": "Resolved: ",
}
EVENT_LINE = {
    "fired": "A new team-health alert fired.",
    "renotify": "This alert is still firing and nobody has acknowledged it yet.",
    "escalated": "This alert got worse.",
    "resolved": "This alert cleared: the value is back within its threshold.",
}


@dataclass(frozen=True)
class DigestTeam:
    """One team in a manager's weekly digest."""

    name: str
    url: str
    metrics: tuple[tuple[str, str, str, str], ...]  # (label, value, limit, state)
    alerts: tuple[tuple[str, str], ...]  # (message, status)


def digest_body(*, teams: list[DigestTeam], week: int) -> str:
    """The weekly digest: per team, each metric against its threshold, then its open alerts."""
    parts = [f"Team health, week {week}.\n"]
    for team in teams:
        count = len(team.alerts)
        heading = f"{team.name}: {count} open alert{'' if count == 1 else 's'}"
        lines = [heading, "-" * len(heading)]
        lines += [
            f"{label}: {value} ({limit}), {state}" for label, value, limit, state in team.metrics
        ]
        if team.alerts:
            lines.append("Open alerts:")
            lines += [f"- {message} ({status})" for message, status in team.alerts]
        else:
            lines.append("No open alerts.")
        lines.append(team.url)
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


class TransientDeliveryError(Exception):
    """A failure worth retrying later (with ``retry_after`` seconds when the server said)."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentDeliveryError(Exception):
    """A failure no retry will fix (bad webhook URL, rejected recipient)."""


def subject_for(event: str, message: str) -> str:
    return f"{EVENT_PREFIX.get(event, '')}{message}"[:300]


def email_body(*, event: str, message: str, reason: str, team_url: str) -> str:
    return (
        f"{EVENT_LINE.get(event, '')}\n\n{message}\n\nWhy: {reason}\n\n"
        f"Open the team page to acknowledge or snooze it:\n{team_url}\n"
    )


def slack_payload(*, event: str, message: str, reason: str, team_url: str) -> dict:
    """A Block Kit message: the alert, why it fired, and a button to the team page."""
    title = subject_for(event, message)
    return {
        "text": title,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"{EVENT_LINE.get(event, '')} {reason}"}],
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open team page"},
                        "url": team_url,
                    }
                ],
            },
        ],
    }


def send_email(*, to: str, subject: str, body: str) -> None:
    try:
        connection = get_connection(fail_silently=False, timeout=10)
        EmailMessage(subject=subject, body=body, to=[to], connection=connection).send()
    except smtplib.SMTPRecipientsRefused as error:
        if all(code >= 500 for code, _ in error.recipients.values()):
            raise PermanentDeliveryError(f"Recipient refused: {error.recipients}") from error
        raise TransientDeliveryError(f"Recipient deferred: {error.recipients}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransientDeliveryError(f"SMTP: {error}") from error


def post_to_slack(*, url: str, payload: dict, timeout: float = 10) -> None:
    if not url.startswith(("https://", "http://")):
        raise PermanentDeliveryError(f"Not a webhook URL: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310
            return
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            retry_after = error.headers.get("Retry-After")
            raise TransientDeliveryError(
                f"Slack answered {error.code}",
                retry_after=int(retry_after) if retry_after and retry_after.isdigit() else None,
            ) from error
        raise PermanentDeliveryError(
            f"Slack answered {error.code}: {error.read()[:200]!r}"
        ) from error
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        raise TransientDeliveryError(f"Slack unreachable: {error}") from error
