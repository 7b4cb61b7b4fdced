"""The Django admin pages Keel customises work under the strict
Content-Security-Policy (the ``page`` fixture fails a test on any violation),
and the fixture really catches one."""

import re

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from playwright.sync_api import expect

from tests.browser.conftest import _page_that_fails_on_csp_violations
from tests.factories import UserFactory, team_with_members
from tests.surveys.conftest import open_round

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_page(page, login):
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    login(page, "ada")
    return page


def test_admin_edits_a_role_profile(admin_page, screenshot):
    page = admin_page
    page.goto("/admin/hiring/roleprofile/")
    page.locator("#result_list").get_by_role("link", name="staff", exact=True).click()
    expect(page.get_by_text("Weights (must sum to 1)")).to_be_visible()
    page.get_by_label("Technical minimum").fill("72")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    screenshot(page, "admin-role-profiles")


def test_admin_tunes_survey_questions_cadences_and_rounds(admin_page, screenshot):
    page = admin_page
    survey_round = open_round(team_with_members(5, name="Backend Payments"))
    team_with_members(3, name="Frontend Platform")  # no cadence yet

    page.goto("/admin/surveys/question/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto("/admin/surveys/cadence/add/")
    # The team is picked through the admin's autocomplete widget (select2).
    page.locator(".field-team .select2-selection").click()
    page.locator(".select2-search__field").fill("Frontend")
    page.get_by_role("option", name="Frontend Platform").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was added successfully"))).to_be_visible()

    page.goto(f"/admin/surveys/surveyround/{survey_round.pk}/change/")
    expect(page.get_by_label("Minimum group size")).to_be_visible()
    screenshot(page, "admin-survey-round")


def test_admin_reads_a_crontab_in_words_on_a_periodic_task(admin_page):
    page = admin_page
    crontab = CrontabSchedule.objects.create(minute="0", hour="7", day_of_week="1")
    task = PeriodicTask.objects.create(
        name="csp check", task="accounts.tasks.ping", crontab=crontab
    )

    page.goto(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")
    crontab_select = page.locator("#id_crontab")
    crontab_select.select_option(str(crontab.pk))
    crontab_select.dispatch_event("change")
    expect(page.locator(".field-crontab .help")).to_contain_text("Translation: At 07:00")
    expect(page.locator(".field-crontab_translation")).to_be_hidden()


def test_an_inline_style_is_refused_and_fails_the_test(browser, live_server):
    with (  # noqa: PT012 - the violation happens inside the page's lifetime
        pytest.raises(pytest.fail.Exception, match="style-src-attr"),
        _page_that_fails_on_csp_violations(browser, base_url=live_server.url) as page,
    ):
        page.goto("/accounts/login/")
        page.evaluate(
            """document.body.insertAdjacentHTML("beforeend",
                   '<p id="injected" style="color: rgb(255, 0, 0)">injected</p>')"""
        )
        color = page.evaluate("getComputedStyle(document.getElementById('injected')).color")
        assert color != "rgb(255, 0, 0)"


def test_admin_widgets_work_on_the_other_customised_pages(admin_page):
    page = admin_page
    engineer = UserFactory(username="eli", roles=["Engineer"])

    page.goto("/admin/")
    expect(page.get_by_role("link", name="Role profiles")).to_be_visible()
    # Inline rows added by the admin's inlines.js; the interviewer through autocomplete.
    page.goto("/admin/hiring/interviewloop/add/")
    page.get_by_role("button", name="Add another Interview").click()
    expect(page.locator("#interviews-0")).to_be_visible()
    # The groups picker (SelectFilter2.js) on a person.
    page.goto(f"/admin/accounts/user/{engineer.pk}/change/")
    expect(page.locator("#id_groups_from")).to_be_visible()
    page.goto("/admin/teamhealth/metricvalue/import/")
    expect(page.get_by_role("button", name="Import")).to_be_visible()
    page.goto("/admin/teamhealth/threshold/add/")
    expect(page.locator("#threshold-preview")).to_be_attached()


def test_the_threshold_form_draws_the_proposed_limit_on_the_teams_chart(admin_page, screenshot):
    from teamhealth.models import Threshold
    from tests.factories import TeamFactory, metric_series

    page = admin_page
    team = TeamFactory(name="Backend Payments")
    metric_series(team, "oncall_hours", [6, 7, 8, 9, 12.5, 11])
    override = Threshold.objects.create(team=team, metric="oncall_hours", limit=10)
    page.goto(f"/admin/teamhealth/threshold/{override.pk}/change/")
    page.get_by_label("Limit").fill("8")
    preview = page.locator("#threshold-preview")
    expect(preview).to_contain_text("With 8 this would have raised")
    chart = page.locator("#threshold-preview-chart")
    expect(chart).to_be_visible()
    assert page.evaluate(
        "() => Chart.getChart('threshold-preview-chart').data.datasets.map(d => d.label)"
    ) == ["Backend Payments: On-call burden (hrs/week)", "In force (max 10)", "Proposed (max 8)"]
    screenshot(page, "threshold-preview-chart")
    page.get_by_label("Limit").fill("-1")
    expect(preview).to_have_text("Hours cannot be negative: a threshold is 0 or more.")
    expect(preview).to_have_class(re.compile("errornote"))
    expect(chart).to_be_visible()
    labels = page.evaluate(
        "() => Chart.getChart('threshold-preview-chart').data.datasets.map(d => d.label)"
    )
    assert len(labels) == 2
    screenshot(page, "threshold-preview-out-of-range")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "threshold-preview-out-of-range-phone")
