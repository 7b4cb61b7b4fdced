"""Generated-input tests: every form, the CSV import and the API answer any input
with a page, a message or a 4xx, never a 500 (Hypothesis and Schemathesis).

Fixed seeds (``derandomize``, no example database) so a run is the same on every
machine, and a budget of examples per test so the whole set takes about a minute.
"""

from __future__ import annotations

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

# Function-scoped fixtures (a database in a transaction, a signed-in client) are
# shared by the examples of one test on purpose: rows made by one example may meet
# the next, as they would in a real database.
PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=10,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests served by the WSGI app in-process keep the test's database connection
    (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Generated input sends far more requests than a person: the limits are tested elsewhere."""
    settings.KEEL_RATE_LIMITS = dict.fromkeys(settings.KEEL_RATE_LIMITS, "100000/m")
