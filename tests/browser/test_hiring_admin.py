"""An admin edits a role profile's score rubric and merges two candidate records."""

import re

import pytest
from playwright.sync_api import expect

from hiring.models import Candidate, CandidateMerge
from tests.factories import InterviewLoopFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_page(page, login):
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    login(page, "ada")
    return page


def test_admin_is_told_next_to_the_field_when_a_rubric_leaves_a_gap(admin_page, screenshot):
    page = admin_page
    page.goto("/admin/hiring/roleprofile/")
    page.locator("#result_list").get_by_role("link", name="senior-backend", exact=True).click()
    # the first band listed that starts at 40 (culture 40-59) now starts at 45
    page.locator("input[name$='-low'][value='40']").first.fill("45")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.get_by_text("Leaves 40–44 without a band: start this one at 40.").first
    expect(error).to_be_visible()
    screenshot(page, "admin-score-rubric-gap")

    page.locator("input[name$='-low'][value='45']").first.fill("40")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()


def test_admin_merges_two_candidate_records(admin_page, screenshot):
    page = admin_page
    keep = InterviewLoopFactory(candidate__name="Yusuf Demir", candidate__email="yusuf@example.com")
    InterviewLoopFactory(candidate__name="Yusuf Demir", candidate__email="Yusuf@Example.com ")

    page.goto("/admin/hiring/candidate/")
    for checkbox in page.locator("input[name='_selected_action']").all():
        checkbox.check()
    page.locator("select[name='action']").select_option("merge_two")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("Choose the record to keep.")).to_be_visible()
    page.get_by_label(re.compile(r"Keep Yusuf Demir \(yusuf@example.com\)")).check()
    screenshot(page, "admin-merge-candidates")
    page.get_by_role("button", name="Merge").click()

    expect(page.get_by_text(re.compile("merged into Yusuf Demir: 1 loop moved"))).to_be_visible()
    assert list(Candidate.objects.values_list("pk", flat=True)) == [keep.candidate.pk]
    assert keep.candidate.loops.count() == 2
    assert CandidateMerge.objects.get().merged_by.username == "ada"
