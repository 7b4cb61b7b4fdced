"""A newcomer reads the survey link Keel emailed, in the development mailbox, and answers."""

import pytest
from playwright.sync_api import expect

from outbox import services as outbox
from tests.factories import UserFactory, team_with_members
from tests.surveys.conftest import open_round

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_files(tmp_path, settings, live_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.DEBUG = True
    settings.SITE_URL = live_server.url
    return tmp_path


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_admin_reads_a_survey_link_in_the_mailbox_and_it_opens_the_form(
    mail_files, page, phone_page, login, screenshot, size
):
    browser_page = page if size == "desktop" else phone_page
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    open_round(team_with_members(4, name="Backend Payments"))
    outbox.deliver_due()  # the worker (eager in tests) may already have sent them

    login(browser_page, "ada")
    browser_page.goto("/dev/mailbox/")
    expect(browser_page.get_by_role("heading", name="Development mailbox")).to_be_visible()
    mails = browser_page.locator(".dev-mailbox details")
    expect(mails).to_have_count(4)
    first = mails.first
    expect(first).to_contain_text("[Backend Payments] Your anonymous team survey is open")
    screenshot(browser_page, f"dev-mailbox-{size}")
    widths = browser_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]

    link = first.locator("a[href*='/surveys/a/']")
    expect(link).to_be_visible()
    link.click()
    browser_page.wait_for_load_state()
    expect(browser_page.locator("#survey-form")).to_be_visible()
