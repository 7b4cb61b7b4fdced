"""The worker killed -9 in the middle of a batch of emails, then restarted: a scenario to reuse."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from .conftest import RECOVERY_SECONDS, SETTLE_SECONDS, SWEEP_TASKS
from .processes import wait_until


def kill_mid_batch(
    *,
    worker,
    smtp_fake,
    beat,
    recipients: set[str],
    start: Callable[[], None] = lambda: None,
    periodic: list[str] = (),
    seconds_per_message: float = 1.0,
    killed_after: int = 2,
) -> None:
    """Send a batch to ``recipients`` through a slow mail server; kill the worker mid-batch.

    ``start`` queues the batch (requests, services); ``periodic`` are the tasks beat
    runs that send it (sent with the sweeps every few seconds, as beat would).
    The kill lands after ``killed_after`` messages were accepted, while the next
    one is being handed over and the server does not have it yet. Then the mail
    server is fast again, the worker restarts, beat goes on; this returns once
    every recipient has an email (or after RECOVERY_SECONDS), plus SETTLE_SECONDS
    for anything sent twice.
    """
    smtp_fake.slow(seconds_per_message, phase="rcpt")
    worker.start()
    beat([*SWEEP_TASKS, *periodic])
    start()
    worker.wait_until(
        lambda: len(smtp_fake.received) >= killed_after and smtp_fake.in_flight,
        40,
        what=f"{killed_after} emails accepted and the next one being handed over",
    )
    worker.kill9()
    killed_at = len(smtp_fake.received)
    smtp_fake.accept()
    worker.start()
    with contextlib.suppress(AssertionError):  # the test says what is missing
        wait_until(lambda: set(smtp_fake.by_recipient()) >= recipients, RECOVERY_SECONDS)
    time.sleep(SETTLE_SECONDS)
    print(f"killed after {killed_at} emails\n{smtp_fake.summary()}")


def lost_and_repeated(smtp_fake, recipients: set[str]) -> list[str]:
    """What went wrong: recipients with no email, and more than one extra email in all."""
    counts = smtp_fake.by_recipient()
    problems = [f"no email to {address}" for address in sorted(recipients - set(counts))]
    extra = sum(counts.values()) - len(recipients)
    if extra > 1:
        twice = sorted(address for address, count in counts.items() if count > 1)
        problems.append(f"{extra} emails sent again (to {', '.join(twice)}); at most 1 may be")
    # The figures, for a run with -s (the README quotes them).
    print(
        f"\n{len(recipients)} recipients, {sum(counts.values())} emails received: "
        f"{len(recipients - set(counts))} lost, {max(extra, 0)} sent twice"
    )
    strangers = sorted(set(counts) - recipients)
    if strangers:
        problems.append(f"emails to {', '.join(strangers)}, who should get none")
    return problems
