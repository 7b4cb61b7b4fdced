"""Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium these tests skip with the reason, unless
KEEL_REQUIRE_BROWSER is set (CI), where a missing browser is a failure.
"""

import contextlib
import importlib
import os
import shutil
import threading
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
    ("accounts", "0003_admin_role_group", "create_admin_group"),
    ("hiring", "0002_seed_role_profiles", "seed"),
    ("surveys", "0002_seed_questions", "seed"),
    ("surveys", "0003_periodic_tasks", "seed"),
    ("teamhealth", "0005_seed_thresholds_and_schedules", "seed"),
    ("teamhealth", "0009_evaluation_requests_and_outbox", "swap_schedules"),
    ("outbox", "0002_sweep_schedule", "seed"),
    ("hiring", "0004_seed_starl_feedback_tasks", "seed"),
    ("hiring", "0006_role_title", "title_seeded_profiles"),
    ("hiring", "0008_score_bands_and_candidate_merges", "seed_score_bands"),
]


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite():
    """On SQLite the live server's threads share the test database's one in-memory
    connection. Two requests at once on it can deadlock: a query calling one of
    Django's SQL functions written in Python waits for the interpreter lock while
    holding SQLite's, and the other thread holds the interpreter lock while asking
    for SQLite's. So requests take turns there (PostgreSQL gives each its own
    connection and needs no such thing)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    turn = threading.Lock()
    original = WSGIHandler.__call__

    def one_at_a_time(self, environ, start_response):
        with turn:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = one_at_a_time  # type: ignore[method-assign]
    yield
    WSGIHandler.__call__ = original  # type: ignore[method-assign]


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


# Every page reports what the Content-Security-Policy blocked: the
# ``securitypolicyviolation`` DOM event (through a binding, so it survives
# navigations) and Chromium's console message. A test whose pages were refused
# anything fails, naming the directive and what was blocked.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__keelCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


def _is_csp_message(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@contextlib.contextmanager
def _page_that_fails_on_csp_violations(browser, **context_options):
    context = browser.new_context(**context_options)
    violations: list[str] = []
    context.expose_binding(
        "__keelCspViolation", lambda _source, report: violations.append(str(report))
    )
    context.add_init_script(_REPORT_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(f"console {message.type}: {message.text}")
            if _is_csp_message(message.text)
            else None
        ),
    )
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        _close_quietly(context, page)
    if violations:
        # One line per distinct violation (a page may repeat one many times).
        report = "\n".join(dict.fromkeys(violations))
        pytest.fail(f"Content-Security-Policy violations:\n{report}", pytrace=False)


@pytest.fixture
def page(browser, live_server):
    with _page_that_fails_on_csp_violations(
        browser, base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ) as page:
        yield page


@pytest.fixture
def phone_page(browser, live_server):
    with _page_that_fails_on_csp_violations(
        browser,
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ) as page:
        yield page


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
