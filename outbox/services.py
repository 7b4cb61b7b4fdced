"""Queueing messages, and delivering them: claim with a lease, send, mark.

``enqueue`` writes rows in the caller's transaction. ``deliver_due`` is what
workers run (woken after each commit, and every few seconds by the sweep): it
claims a batch of due rows with a lease, sends them one by one over one
connection, and marks each right after it went out. Nothing is held locked
while a message travels, so a hung server never blocks other workers or the
requests that queue messages.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import transports, wake
from .models import Message
from .rendering import Rendered, renderer_for

logger = logging.getLogger(__name__)

DELIVER_TASK = "outbox.tasks.deliver_due"
MAX_ATTEMPTS = 8
BATCH = 50
# Queueing this many at once (a round's links for every team) refreshes the table's
# statistics on PostgreSQL, so the first claims already get an index plan.
ANALYZE_AFTER = 1000


def lease_seconds() -> int:
    return int(getattr(settings, "OUTBOX_LEASE_SECONDS", 45))


@dataclass(frozen=True)
class Draft:
    """A message to queue. ``about`` names what it announces ("alert:12")."""

    kind: str
    recipient: str
    dedupe_key: str
    about: str = ""
    channel: str = Message.Channel.EMAIL
    subject: str = ""
    body: str = ""
    payload: dict = field(default_factory=dict)
    rendered_at_send: bool = False


def one_line(subject: str) -> str:
    """A subject as a mail header can carry it: line breaks (and runs of spaces) become one
    space, so a name or title typed with a line break never makes a send fail."""
    return " ".join(subject.split())


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "keel.invalid"


def enqueue(drafts: list[Draft]) -> None:
    """Queue messages in the current transaction, in one INSERT; a dedupe key already
    queued is skipped (the key is unique, so a concurrent writer loses quietly).

    The worker is woken when the transaction commits.
    """
    if not drafts:
        return
    domain = _message_domain()
    rows: dict[str, Message] = {}
    for draft in drafts:
        key = draft.dedupe_key[:300]
        rows.setdefault(
            key,
            Message(
                channel=draft.channel,
                kind=draft.kind,
                about=draft.about[:100],
                recipient=draft.recipient,
                subject="" if draft.rendered_at_send else one_line(draft.subject)[:300],
                body="" if draft.rendered_at_send else draft.body,
                payload=draft.payload,
                rendered_at_send=draft.rendered_at_send,
                dedupe_key=key,
                message_id=Message.new_message_id(domain),
            ),
        )
    Message.objects.bulk_create(list(rows.values()), batch_size=500, ignore_conflicts=True)
    if len(rows) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Autovacuum analyzes a table only a while after the insert commits; until then
        # the planner takes thousands of fresh rows for a handful and reads every pending
        # row for each batch. ANALYZE samples at most 30,000 rows, and sees this
        # transaction's own rows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Message._meta.db_table}")
    wake.after_commit(DELIVER_TASK)


def cancel(*, kind: str, abouts: list[str]) -> int:
    """Drop pending messages that no longer make sense (the link's round closed)."""
    return Message.objects.filter(
        kind=kind, about__in=abouts, status=Message.Status.PENDING
    ).update(status=Message.Status.CANCELLED, leased_until=None, lease_owner="")


@transaction.atomic
def resend(*, message_ids: list[int]) -> int:
    """An admin sends failed messages again, with a fresh count of attempts."""
    count = Message.objects.filter(pk__in=message_ids, status=Message.Status.FAILED).update(
        status=Message.Status.PENDING, attempts=0, next_attempt_at=None, leased_until=None
    )
    if count:
        wake.after_commit(DELIVER_TASK)
    return count


def backoff_seconds(attempts: int, retry_after: int | None = None) -> int:
    """30 s, 60 s, 2 min … capped at an hour; a server's Retry-After wins when longer."""
    delay = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return max(delay, retry_after or 0)


# ------------------------------------------------------------------ delivery


def _due(now: datetime) -> Q:
    return (
        Q(status=Message.Status.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(leased_until__isnull=True) | Q(leased_until__lt=now))
    )


def _claim(owner: str, limit: int, after: int = 0) -> list[Message]:
    """Lease up to ``limit`` due messages after id ``after`` to ``owner``; each claim
    counts as an attempt.

    Counting at claim time means a message that kills its worker every time
    (or whose worker keeps dying) still ends as failed after MAX_ATTEMPTS.
    A run passes the last id it claimed (a keyset): each batch starts where
    the last one ended, through the index of pending rows in id order, so no
    batch reads again what earlier ones sent or left for later.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(_due(now), pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Message.objects.filter(_due(now), pk__in=ids).update(
            leased_until=now + timedelta(seconds=lease_seconds()),
            lease_owner=owner,
            attempts=F("attempts") + 1,
        )
    return list(Message.objects.filter(pk__in=ids, lease_owner=owner).order_by("pk"))


def _still_mine(owner: str, messages: list[Message]) -> set[int]:
    """Extend the lease on the rest of the batch; the ones another worker took are dropped."""
    ids = [message.pk for message in messages]
    Message.objects.filter(pk__in=ids, lease_owner=owner, status=Message.Status.PENDING).update(
        leased_until=timezone.now() + timedelta(seconds=lease_seconds())
    )
    return set(
        Message.objects.filter(
            pk__in=ids, lease_owner=owner, status=Message.Status.PENDING
        ).values_list("pk", flat=True)
    )


def _finish(owner: str, message: Message, **changes) -> None:
    Message.objects.filter(pk=message.pk, lease_owner=owner).update(
        leased_until=None, lease_owner="", **changes
    )


def _retry_later(owner: str, message: Message, error: str, retry_after: int | None = None):
    if message.attempts >= MAX_ATTEMPTS:
        _fail(owner, message, f"Gave up after {message.attempts} tries. {error}")
        return
    _finish(
        owner,
        message,
        last_error=error[:2000],
        next_attempt_at=timezone.now()
        + timedelta(seconds=backoff_seconds(message.attempts, retry_after)),
    )


def _fail(owner: str, message: Message, error: str) -> None:
    _finish(owner, message, status=Message.Status.FAILED, last_error=error[:2000])
    logger.warning("Message %s (%s) failed for good: %s", message.pk, message.kind, error)


def _render(messages: list[Message]) -> dict[int, Rendered | Exception | None]:
    """Subject and body of each message; renderers run once per kind, outside transactions."""
    texts: dict[int, Rendered | Exception | None] = {
        m.pk: Rendered(m.subject, m.body) for m in messages if not m.rendered_at_send
    }
    by_kind: dict[str, list[Message]] = defaultdict(list)
    for message in messages:
        if message.rendered_at_send:
            by_kind[message.kind].append(message)
    for kind, group in by_kind.items():
        renderer = renderer_for(kind)
        if renderer is None:
            for message in group:
                texts[message.pk] = transports.PermanentError(f"Nothing renders {kind} messages.")
            continue
        rendered = renderer(group)
        for message in group:
            texts[message.pk] = rendered.get(message.pk)
    return texts


def _send_batch(owner: str, messages: list[Message], mailer: transports.Mailer) -> int:
    sent = 0
    texts = _render(messages)
    lease_ends = time.monotonic() + lease_seconds()
    margin = 2 * transports.timeout() + 5
    mine = {message.pk for message in messages}
    mail_down = ""
    for index, message in enumerate(messages):
        if time.monotonic() > lease_ends - margin:
            mine = _still_mine(owner, messages[index:])
            lease_ends = time.monotonic() + lease_seconds()
        if message.pk not in mine:
            continue
        if message.attempts > MAX_ATTEMPTS:
            _fail(owner, message, f"Gave up after {MAX_ATTEMPTS} tries that never finished.")
            continue
        text = texts.get(message.pk)
        if text is None:
            _finish(owner, message, status=Message.Status.CANCELLED)
            continue
        if isinstance(text, Exception):
            _fail(owner, message, str(text))
            continue
        if mail_down and message.channel == Message.Channel.EMAIL:
            # The mail server is away: the rest of the batch waits for the next try.
            _retry_later(owner, message, f"Not tried: {mail_down}")
            continue
        try:
            if message.channel == Message.Channel.EMAIL:
                mailer.send(
                    to=message.recipient,
                    subject=one_line(text.subject),
                    body=text.body,
                    message_id=message.message_id,
                )
            else:
                transports.post_to_slack(url=message.recipient, payload=message.payload)
        except transports.PermanentError as error:
            _fail(owner, message, str(error))
        except transports.UncertainError as error:
            if message.channel == Message.Channel.SLACK:
                # A webhook cannot tell a repeat from a new post: count it, never repeat it.
                _finish(
                    owner,
                    message,
                    status=Message.Status.SENT,
                    sent_at=timezone.now(),
                    uncertain_attempts=F("uncertain_attempts") + 1,
                    last_error=f"{error}; not posted again, as Slack cannot tell a repeat.",
                )
                sent += 1
            else:
                # Tried again with the same Message-ID, which mailboxes fold into one.
                Message.objects.filter(pk=message.pk).update(
                    uncertain_attempts=F("uncertain_attempts") + 1
                )
                _retry_later(owner, message, str(error))
                mail_down = str(error)
        except transports.TransientError as error:
            _retry_later(owner, message, str(error), error.retry_after)
            if error.connection_lost:
                mail_down = str(error)
        else:
            _finish(
                owner, message, status=Message.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    return sent


@dataclass(frozen=True)
class Run:
    sent: int
    out_of_time: bool


def deliver_due(*, budget_seconds: float = 240, batch: int = BATCH) -> Run:
    """Send due messages until none is left or the time budget is spent.

    Runs outside any transaction: each claim and each mark commits on its own.
    """
    owner = uuid.uuid4().hex
    deadline = time.monotonic() + budget_seconds
    sent = 0
    last = 0
    with transports.Mailer() as mailer:
        while True:
            if time.monotonic() >= deadline:
                return Run(sent, out_of_time=True)
            claimed = _claim(owner, batch, after=last)
            if not claimed:
                # Behind the keyset only what a dead worker left may be due now: the next run
                # (the sweep comes every few seconds) starts from the first id again.
                return Run(sent, out_of_time=False)
            last = claimed[-1].pk
            sent += _send_batch(owner, claimed, mailer)
