import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    def make(*roles, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def client_for():
    """A logged-in test client for a user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def shifted_clock(monkeypatch):
    """Django's clock, moved on by ``shifted_clock.advance(timedelta)``."""
    import datetime as dt

    from django.utils import timezone

    class Clock:
        def __init__(self) -> None:
            self.now = timezone.now()

        def advance(self, delta: dt.timedelta) -> None:
            self.now += delta

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def recruiter(make_user):
    return make_user("Recruiter", username="rita")


@pytest.fixture
def interviewer(make_user):
    return make_user("Interviewer", username="ian")


@pytest.fixture
def admin_user(make_user):
    return make_user(username="ada", is_staff=True, is_superuser=True)


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL or a live broker skip, with the reason, without them."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    broker = getattr(settings, "LIVE_BROKER_URL", "")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    skip_broker = pytest.mark.skip(
        reason="needs a live broker: set CELERY_BROKER_URL=redis://… or amqp://…"
    )
    for item in items:
        if "postgres" in item.keywords and "postgresql" not in engine:
            item.add_marker(skip_pg)
        if "broker" in item.keywords and (not broker or broker.startswith("filesystem")):
            item.add_marker(skip_broker)
