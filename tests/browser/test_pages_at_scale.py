"""My interviews pages and searches its done list; the org overview filters
teams. Desktop and phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    InterviewFactory,
    TeamFactory,
    UserFactory,
    metric_series,
    submitted,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_interviewer_pages_and_searches_done_interviews(viewport, request, login, screenshot):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    ivy = UserFactory(username="ivy", roles=["Interviewer"])
    now = timezone.now()
    for index in range(30):
        interview = InterviewFactory(
            interviewer=ivy,
            scheduled_at=now - timedelta(days=60 - index),
            loop__candidate__name=f"Candidate {index:02}",
        )
        submitted(interview, technical=70, leadership=70, culture=70)
    InterviewFactory(
        interviewer=ivy, scheduled_at=now + timedelta(days=1), loop__candidate__name="Next Person"
    )

    login(page, "ivy")
    page.goto("/hiring/interviews/")
    done = page.locator("section[aria-labelledby=done]")
    expect(page.get_by_test_id("done-count")).to_have_text("30")
    expect(done.locator("a.card")).to_have_count(25)
    expect(done.get_by_text("Candidate 29")).to_be_visible()
    expect(page.get_by_text("Next Person")).to_be_visible()
    screenshot(page, f"my-interviews-paged{suffix}")
    done.get_by_role("link", name="Older").click()
    expect(done.locator("a.card")).to_have_count(5)
    expect(done.get_by_text("Candidate 00")).to_be_visible()
    done.get_by_role("link", name="Newer").click()
    expect(done.get_by_text("Candidate 29")).to_be_visible()
    page.get_by_label("Search done interviews").fill("candidate 1")
    done.get_by_role("button", name="Search").click()
    expect(done.locator("a.card")).to_have_count(10)
    expect(page.get_by_test_id("done-count")).to_have_text("10")
    screenshot(page, f"my-interviews-search{suffix}")
    page.get_by_label("Search done interviews").fill("nobody")
    done.get_by_role("button", name="Search").click()
    expect(done.get_by_text("No submitted scorecard matches your search.")).to_be_visible()


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_director_filters_the_org_overview(viewport, request, login, screenshot):
    page = request.getfixturevalue(viewport)
    suffix = "" if viewport == "page" else "-phone"
    UserFactory(username="dana", roles=["Director"])
    for index in range(4):
        calm = TeamFactory(name=f"Calm {index}")
        metric_series(calm, "oncall_hours", [5, 6, 5, 6])
    busy = TeamFactory(name="Busy Pagers")
    metric_series(busy, "oncall_hours", [6, 8, 9, 14])
    slow = TeamFactory(name="Slow Shippers")
    metric_series(slow, "delivery_rate", [30, 25, 20, 12])

    login(page, "dana")
    page.goto("/team-health/org/")
    expect(page.get_by_test_id("overview-counts")).to_contain_text("2 of 6 teams need attention")
    expect(page.get_by_role("link", name="Busy Pagers")).to_be_visible()
    expect(page.get_by_role("link", name="Calm 0")).to_have_count(0)
    screenshot(page, f"org-overview-attention{suffix}")
    page.get_by_label("Metric").select_option("delivery_rate")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Slow Shippers")).to_be_visible()
    expect(page.get_by_role("link", name="Busy Pagers")).to_have_count(0)
    page.get_by_label("Show").select_option("all")
    page.get_by_label("Metric").select_option("")
    page.get_by_label("Team name").fill("calm")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table tbody tr")).to_have_count(4)
    screenshot(page, f"org-overview-all{suffix}")
