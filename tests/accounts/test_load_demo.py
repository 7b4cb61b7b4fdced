from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from accounts.demo import LOGIN_USERS
from accounts.models import User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "hiring", "surveys", "teamhealth"}
    }


def test_no_user_exists_before_the_demo_is_loaded():
    assert not User.objects.exists()


def test_load_demo_is_idempotent_and_makes_the_documented_logins():
    call_command("load_demo", stdout=StringIO())
    first = _row_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _row_counts() == first
    assert "Demo data ready." in out.getvalue()
    for username in LOGIN_USERS:
        # Sign-in lockout counts attempts per request, so authenticate is given one.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="keel-demo"), username
    # The demo admin sees every candidate, team and round, and opens Django admin.
    admin = User.objects.get(username="admin")
    assert admin.is_admin
    assert admin.is_staff
    # The app looks lived in: loops in several states, submitted and pending scorecards.
    from hiring.models import InterviewLoop, Scorecard

    assert InterviewLoop.objects.values("status").distinct().count() >= 3
    assert Scorecard.objects.filter(status="submitted").exists()
    assert Scorecard.objects.filter(status="draft").exists()
