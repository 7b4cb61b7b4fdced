"""The rubric beside each score: the band of the typed score stands out as it is typed."""

import re

import pytest
from playwright.sync_api import expect

from hiring.models import RoleProfile
from tests.factories import InterviewFactory, InterviewLoopFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_typing_a_score_highlights_its_band(request, viewport, login, screenshot):
    browser_page = request.getfixturevalue(viewport)
    interviewer = UserFactory(username="ian", roles=["Interviewer"])
    loop = InterviewLoopFactory(
        candidate__name="Lucía Fernández",
        role_profile=RoleProfile.objects.get(name="senior-backend"),
    )
    InterviewFactory(loop=loop, interviewer=interviewer, title="System design")

    login(browser_page, "ian")
    browser_page.goto("/hiring/interviews/")
    browser_page.get_by_role("link", name=re.compile("Lucía Fernández")).click()
    technical = browser_page.get_by_role("list", name="Technical rubric: what each band looks like")
    current = technical.locator('[aria-current="true"]')
    expect(current).to_have_count(0)

    browser_page.get_by_label("Technical score").fill("82.5")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("80–100 Exceptional")
    expect(current).to_contain_text("1200 ms to under 200 ms")

    browser_page.get_by_label("Technical score").fill("59.9")
    expect(current).to_contain_text("40–59 Developing")
    browser_page.get_by_label("Culture score").fill("71")
    culture = browser_page.get_by_role("list", name="Culture rubric: what each band looks like")
    expect(culture.locator('[aria-current="true"]')).to_contain_text("60–79 Solid")
    screenshot(browser_page, f"scorecard-rubric-{viewport}")
