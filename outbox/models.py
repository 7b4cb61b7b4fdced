"""Every message Keel sends, email or Slack, is a row here first."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class Message(models.Model):
    """One email or Slack post to one recipient.

    Written in the same transaction as the change that causes it, so a change
    that commits is always announced and one that rolls back never is. A
    worker claims due rows with a lease (``leased_until``), sends them, and
    marks each one sent right after it went out: a worker that dies leaves at
    most the one message it was sending unmarked, and the rest are claimed
    again when the lease runs out. ``dedupe_key`` makes the same change
    impossible to queue twice.

    A message whose ``kind`` has a renderer (survey links) keeps no body: the
    renderer writes it at send time, so a secret it carries is never stored.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SLACK = "slack", "Slack"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "No longer needed"

    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(
        max_length=40, help_text="What the message is, e.g. teamhealth.alert or hiring.exercise."
    )
    about = models.CharField(
        max_length=100, blank=True, help_text="What it announces, e.g. alert:12 or loop:40."
    )
    recipient = models.CharField(max_length=500, help_text="Email address or webhook URL.")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    rendered_at_send = models.BooleanField(
        default=False, help_text="Subject and body are written when it is sent, never stored."
    )
    dedupe_key = models.CharField(max_length=300, unique=True)
    message_id = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        help_text="The email's Message-ID: the same on every try, so a mailbox folds a repeat.",
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    uncertain_attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Tries whose outcome is unknown: the receiver took the message "
        "and did not answer in time.",
    )
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_owner = models.CharField(max_length=36, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            # The claim walks the pending rows in id order and stops after a batch:
            # the sent ones are not in this index, so no batch reads them again.
            models.Index(
                fields=("id",), condition=Q(status="pending"), name="outbox_message_pending"
            ),
            models.Index(fields=("kind", "about"), name="outbox_message_about"),
            models.Index(fields=("status", "kind"), name="outbox_message_status_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent") | Q(sent_at__isnull=True),
                name="outbox_message_sent_at_only_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient}: {self.subject or self.kind}"

    @staticmethod
    def new_message_id(domain: str) -> str:
        return f"<{uuid.uuid4().hex}@{domain}>"
