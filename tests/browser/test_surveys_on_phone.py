"""A manager reads their teams' survey rounds on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys import services
from tests.factories import UserFactory
from tests.surveys.conftest import answered_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_sees_an_overdue_action_plan_on_a_phone(phone_page, login, screenshot):
    manager = UserFactory(username="maya", roles=["Manager"])
    survey_round = answered_round(team_size=5, answers=5, manager=manager, name="Payments")
    services.publish_results(survey_round=survey_round, by=manager)
    survey_round.refresh_from_db()
    # Closed 10 days ago: the plan was due 7 days after close.
    type(survey_round).objects.filter(pk=survey_round.pk).update(
        closed_at=timezone.now() - timedelta(days=10)
    )

    login(phone_page, "maya")
    phone_page.goto("/surveys/")
    # The Action plan column was off screen: 579 px of table in a 334 px card.
    expect(phone_page.get_by_text("Action plan overdue since")).to_be_visible()
    expect(phone_page.get_by_text("5 of 5").first).to_be_visible()
    screenshot(phone_page, "surveys-manager-phone")
    widths = phone_page.locator(".table-responsive").evaluate(
        "el => [el.scrollWidth, el.clientWidth]"
    )
    assert widths[0] <= widths[1]
