import pytest
from django.test import Client

from tests.factories import UserFactory


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
def recruiter(make_user):
    return make_user("Recruiter", username="rita")


@pytest.fixture
def interviewer(make_user):
    return make_user("Interviewer", username="ian")


@pytest.fixture
def admin_user(make_user):
    return make_user(username="ada", is_staff=True, is_superuser=True)
