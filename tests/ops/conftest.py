import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from ops import health
from ops.beat import BEAT
from ops.models import Heartbeat
from outbox.models import Message


@pytest.fixture(autouse=True)
def _broker_checked_afresh():
    health.forget_broker()
    yield
    health.forget_broker()


@pytest.fixture
def beat_ticked(db):
    """Beat's heartbeat, ``seconds`` ago (5 by default)."""

    def stamp(seconds: int = 5) -> None:
        Heartbeat.objects.update_or_create(
            name=BEAT, defaults={"at": timezone.now() - timedelta(seconds=seconds)}
        )

    stamp()
    return stamp


def make_message(*, created_ago: int = 0, status=Message.Status.PENDING, retry_in=None):
    """An outgoing email queued ``created_ago`` seconds ago."""
    key = uuid.uuid4().hex
    message = Message.objects.create(
        channel=Message.Channel.EMAIL,
        kind="tests.ops",
        recipient=f"{key}@example.com",
        subject="Hello",
        body="Hello",
        dedupe_key=key,
        message_id=Message.new_message_id("example.com"),
        status=status,
        next_attempt_at=None if retry_in is None else timezone.now() + timedelta(seconds=retry_in),
    )
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=created_ago)
    )
    return message
