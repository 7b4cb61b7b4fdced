"""Driving the product from a fault test: its pages and API, and what its messages say."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from teamhealth.models import IntegrationToken, SlackWebhook, Team
from tests.factories import TeamFactory, UserFactory

API_METRIC_VALUES = "/api/teamhealth/metric-values/"
ORG_OVERVIEW = "/team-health/org/"
THRESHOLD_ADD = "/admin/teamhealth/threshold/add/"
# How the org overview tells an admin that messages failed for good, and that Slack posts
# went out without an answer (so were not posted again).
FAILED_NOTICE = re.compile(r"(\d+) (?:notifications?|messages?) could not be delivered")
UNCONFIRMED_NOTICE = re.compile(r"(\d+) Slack posts? went out but Slack did not answer in time")
SURVEY_LINK = re.compile(r"https?://[^\s/]+(/surveys/a/[^\s]+/)")
LINK_INVALID = "This survey link does not work"


def client(user=None) -> Client:
    """A test Client that answers 500 as a browser would see it, rather than raising."""
    browser = Client(raise_request_exception=False)
    if user is not None:
        browser.force_login(user)
    return browser


def admin():
    return UserFactory(username="ada-admin", is_staff=True, is_superuser=True)


def team_with_managers(count: int, *, name: str, slack_url: str | None = None):
    """A team managed by ``count`` managers (each with an email), with its own Slack channel."""
    managers = [
        UserFactory(username=f"{name.lower().replace(' ', '-')}-manager{i}", roles=["Manager"])
        for i in range(count)
    ]
    team = TeamFactory(name=name, managers=managers)
    if slack_url:
        SlackWebhook.objects.create(team=team, url=slack_url)
    return team, [m.email for m in managers]


def integration_token(name: str = "Fault-test exporter") -> str:
    """A new API token for every team; returns the token itself."""
    token = secrets.token_urlsafe(24)
    IntegrationToken.objects.create(
        name=name,
        token_hash=IntegrationToken.hash_of(token),
        prefix=token[:8],
        all_teams=True,
    )
    return token


def post_metric(token: str, team: Team, metric: str, value, day=None):
    """POST one metric value through the API, as an integration does."""
    return client().post(
        API_METRIC_VALUES,
        {
            "team": team.slug,
            "metric": metric,
            "period": str(day or timezone.localdate()),
            "value": str(Decimal(str(value))),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def save_threshold(user, *, team: Team | None, metric: str, limit) -> object:
    """Save a threshold through its admin page (the preview already confirmed)."""
    return client(user).post(
        THRESHOLD_ADD,
        {
            "team": team.pk if team else "",
            "metric": metric,
            "limit": str(limit),
            "previewed_limit": str(limit),
            "_save": "Save",
        },
    )


def org_overview_text(user) -> str:
    page = client(user).get(ORG_OVERVIEW)
    assert page.status_code == 200, page.status_code
    return page.content.decode()


def failed_notice_count(text: str) -> int:
    found = FAILED_NOTICE.search(text)
    return int(found.group(1)) if found else 0


def unconfirmed_notice_count(text: str) -> int:
    found = UNCONFIRMED_NOTICE.search(text)
    return int(found.group(1)) if found else 0


def oldest_open_transaction_seconds() -> float:
    """How long the oldest transaction of any other session on the test database has been open."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return float(cursor.fetchone()[0])


def survey_links(body: str) -> list[str]:
    """The survey link paths (``/surveys/a/<token>/``) in an email body."""
    return SURVEY_LINK.findall(body)


def open_survey_link(path: str) -> tuple[int, bool, bool]:
    """Follow a survey link as its recipient would: (status, shows the form, says it is invalid)."""
    page = client().get(path, follow=True)
    names = {t.name for t in page.templates if t.name}
    text = page.content.decode(errors="replace")
    return page.status_code, "surveys/answer_form.html" in names, LINK_INVALID in text
