"""Password reset emails through the outbox.

The reset link carries a token that would let anyone reading it set the
password, so the queued message holds no text: the link is made when the
email is sent (Django's tokens are computed from the account, not stored),
and a reset already used or overtaken by a password change makes the old
token invalid as it always does.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from outbox import services as outbox
from outbox.models import Message
from outbox.rendering import Rendered

KIND = "accounts.password_reset"


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, whose email is an outbox message rendered at send time."""

    def save(self, *args, **kwargs) -> None:
        email = self.cleaned_data["email"]
        stamp = timezone.now().isoformat()
        outbox.enqueue(
            [
                outbox.Draft(
                    kind=KIND,
                    about=f"user:{user.pk}",
                    recipient=getattr(user, User.get_email_field_name()),
                    dedupe_key=f"{KIND}-{user.pk}-{stamp}",
                    rendered_at_send=True,
                )
                for user in self.get_users(email)
            ]
        )


def render(messages: Sequence[Message]) -> dict[int, Rendered | None]:
    users = User.objects.in_bulk([int(m.about.removeprefix("user:")) for m in messages])
    site = urlsplit(settings.SITE_URL)
    texts: dict[int, Rendered | None] = {}
    for message in messages:
        user = users.get(int(message.about.removeprefix("user:")))
        if user is None or not user.is_active or not user.has_usable_password():
            texts[message.pk] = None
            continue
        context = {
            "email": message.recipient,
            "domain": site.netloc,
            "site_name": "Keel",
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme or "https",
        }
        subject = render_to_string("registration/password_reset_subject.txt", context)
        texts[message.pk] = Rendered(
            subject="".join(subject.splitlines()),
            body=render_to_string("registration/password_reset_email.html", context),
        )
    return texts
