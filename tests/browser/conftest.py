"""Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium these tests skip with the reason, unless
KEEL_REQUIRE_BROWSER is set (CI), where a missing browser is a failure.
"""

import contextlib
import importlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KEEL_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "pw-for-tests"

# Playwright's sync API runs an event loop in this thread; the live server's
# ORM calls happen in another thread, but the test's own setup code must be
# allowed to use the ORM alongside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Data migrations that seed reference rows. Transactional tests flush every
# table after each test, so the rows are put back before each browser test.
SEED_MIGRATIONS = [
    ("accounts", "0002_role_groups", "create_role_groups"),
    ("hiring", "0002_seed_role_profiles", "seed"),
    ("surveys", "0002_seed_questions", "seed"),
    ("surveys", "0003_periodic_tasks", "seed"),
    ("surveys", "0005_send_pending_links_schedule", "seed"),
    ("teamhealth", "0005_seed_thresholds_and_schedules", "seed"),
    ("hiring", "0004_seed_starl_feedback_tasks", "seed"),
]


@pytest.fixture(autouse=True)
def seed_reference_data(transactional_db):
    from django.apps import apps

    for app_label, migration, function in SEED_MIGRATIONS:
        module = importlib.import_module(f"{app_label}.migrations.{migration}")
        getattr(module, function)(apps, None)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("KEEL_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} and KEEL_REQUIRE_BROWSER is set")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _close_quietly(context, page) -> None:
    """Close the browser without a last request racing the database flush.

    Pages that autosave on ``pagehide`` send one more request when closed; the
    live server would write it while the test database is being emptied.
    """
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=3_000)
    context.route("**/*", lambda route: route.abort())
    context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    _close_quietly(context, page)


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    _close_quietly(context, page)


@pytest.fixture
def login():
    """Log in through the real login form, by its visible labels."""

    def do_login(page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return do_login


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ to look at."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
