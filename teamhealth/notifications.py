"""What alert notifications say, and how they reach email and Slack.

Rendering is pure (alert fields in, text and Block Kit out); the outbox
(``outbox.transports``) carries the result to SMTP and Slack.
"""

from __future__ import annotations

from dataclasses import dataclass

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
