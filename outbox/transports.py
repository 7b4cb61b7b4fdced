"""How a message reaches SMTP and Slack, and what each failure means.

Every transport call has a timeout. Failures are sorted three ways:

- ``TransientError``: a retry can fix it (SMTP 4xx, a refused or dropped
  connection, Slack 429 or 5xx). ``retry_after`` carries a server's
  Retry-After; ``connection_lost`` says the next messages to the same server
  would fail too.
- ``PermanentError``: no retry will (SMTP 5xx, a header Django refuses, a Slack 4xx
  other than 429).
- ``UncertainError``: the receiver took the message and did not answer in time, so
  it may have arrived. Email is tried again with the same Message-ID, which
  mailboxes fold into one; a Slack webhook offers no such key, so the post is
  not repeated and the try is counted instead.
"""

from __future__ import annotations

import contextlib
import json
import smtplib
import urllib.error
import urllib.request
from http.client import HTTPException

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection


class DeliveryError(Exception):
    pass


class TransientError(DeliveryError):
    def __init__(self, message: str, *, retry_after: int | None = None, connection_lost=False):
        super().__init__(message)
        self.retry_after = retry_after
        self.connection_lost = connection_lost


class PermanentError(DeliveryError):
    pass


class UncertainError(DeliveryError):
    pass


def timeout() -> float:
    return float(getattr(settings, "EMAIL_TIMEOUT", None) or 10)


class Mailer:
    """One SMTP connection for a batch, opened on first use and reopened after a failure."""

    def __init__(self):
        self._connection = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            # A broken connection is dropped either way.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None

    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        try:
            message = EmailMessage(
                subject=subject, body=body, to=[to], headers={"Message-ID": message_id}
            )
            message.message()  # header checks happen here, before any network
        except (BadHeaderError, ValueError) as error:
            raise PermanentError(f"Refused header: {error}") from error
        if self._connection is None:
            connection = get_connection(fail_silently=False, timeout=timeout())
            try:
                connection.open()
            except (smtplib.SMTPException, OSError) as error:
                raise TransientError(
                    f"SMTP server unreachable: {error}", connection_lost=True
                ) from error
            self._connection = connection
        try:
            message.connection = self._connection
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentError(f"Recipient refused: {error.recipients}") from error
            raise TransientError(f"Recipient deferred: {error.recipients}") from error
        except smtplib.SMTPAuthenticationError as error:
            self.close()
            raise TransientError(f"SMTP sign-in refused: {error}", connection_lost=True) from error
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                raise PermanentError(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
            raise TransientError(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except (TimeoutError, smtplib.SMTPServerDisconnected) as error:
            self.close()
            # smtplib turns a read timeout into "connection unexpectedly closed".
            if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
                raise UncertainError(
                    f"SMTP server did not answer within {timeout():g} s"
                ) from error
            raise TransientError(f"SMTP: {error}", connection_lost=True) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TransientError(f"SMTP: {error}", connection_lost=True) from error


def post_to_slack(*, url: str, payload: dict) -> None:
    if not url.startswith(("https://", "http://")):
        raise PermanentError(f"Not a webhook URL: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout()):  # noqa: S310
            return
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            retry_after = error.headers.get("Retry-After")
            raise TransientError(
                f"Slack answered {error.code}",
                retry_after=int(retry_after) if retry_after and retry_after.isdigit() else None,
            ) from error
        raise PermanentError(f"Slack answered {error.code}: {error.read()[:200]!r}") from error
    except urllib.error.URLError as error:
        # Raised while connecting or sending the request: Slack never had it.
        raise TransientError(f"Slack unreachable: {error.reason}") from error
    except (TimeoutError, HTTPException, OSError) as error:
        # Raised while waiting for the answer: the post may have landed.
        raise UncertainError(f"Slack did not answer within {timeout():g} s: {error}") from error
