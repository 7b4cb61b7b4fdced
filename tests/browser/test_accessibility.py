"""axe-core on every page of every role, at desktop (1280 px) and phone (390 px) width.

One test loads the demo data once, signs each role in once per width (one
browser context each), visits every page in ``PAGES`` and runs axe-core on it.
It fails on any critical or serious violation, naming the rule, its impact,
the elements and the page; moderate and minor findings are written to
``test-artifacts/axe-report.txt`` too. Every page state is also saved as a
screenshot under ``test-artifacts/a11y/`` to look at.

Every URL pattern of Keel must be visited or listed in ``EXCLUDED`` with the
reason, so a page added later cannot escape the check: **adding a page is one
line in ``PAGES``**, e.g.::

    Visit("manager", lambda demo: f"/team-health/teams/{demo.team.slug}/"),

(``role`` is the demo login whose browser opens it, or ``"anonymous"``;
``state`` names a page state reached by ``then``, such as a form submitted
with errors.)

axe-core (vendored at ``tests/browser/vendor/axe.min.js``, test-only) is
added to each browser context with ``add_init_script``: Playwright injects it
through the DevTools protocol, which the page's Content-Security-Policy does
not govern, so CSP stays enforced and any violation still fails the test (an
``add_script_tag`` would be an inline script, which the CSP rightly refuses).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from hiring.models import Interview, InterviewLoop, Scorecard
from outbox.models import Message
from surveys import links
from surveys.models import SurveyRound
from teamhealth.models import Alert, Team
from tests.browser.conftest import ARTIFACTS, _page_that_fails_on_csp_violations
from tests.surveys.conftest import answered_round

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")
WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


@dataclass
class Demo:
    """The demo data's objects that page addresses need."""

    team: Team
    loop: InterviewLoop
    decided_loop: InterviewLoop
    draft_interview: Interview
    submitted_interview: Interview
    starl_interview: Interview
    published_round: SurveyRound
    below_k_round: SurveyRound
    alert: Alert
    survey_link: str
    reset_link: str


@dataclass(frozen=True)
class Visit:
    role: str
    path: str | Callable[[Demo], str]
    state: str = ""
    then: Callable | None = field(default=None, compare=False)
    # At phone width, no table on the page is wider than its container.
    tables_fit: bool = False


def _submit_empty(button: str) -> Callable:
    def submit(page):
        # The server's own messages, not the browser's: skip the required-field check.
        page.evaluate("document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
        page.get_by_role("button", name=button).first.click()
        page.wait_for_load_state()

    return submit


def _sign_in_wrongly(page):
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


PAGES: list[Visit] = [
    # Signed out
    Visit("anonymous", "/accounts/login/"),
    Visit("anonymous", "/accounts/login/", "wrong password", _sign_in_wrongly),
    Visit("anonymous", "/accounts/password_reset/"),
    Visit("anonymous", "/accounts/password_reset/", "errors", _submit_empty("Send")),
    Visit("anonymous", "/accounts/password_reset/done/"),
    Visit("anonymous", lambda demo: demo.reset_link),
    Visit("anonymous", "/accounts/reset/done/"),
    Visit("anonymous", lambda demo: demo.survey_link),
    Visit("anonymous", "/surveys/answered/"),
    Visit("anonymous", "/surveys/a/not-a-token/", "unknown link"),
    Visit("anonymous", "/admin/login/"),
    # Recruiter
    Visit("recruiter", "/"),
    Visit("recruiter", "/hiring/candidates/", tables_fit=True),
    Visit("recruiter", "/hiring/candidates/?view=decided", "decided", tables_fit=True),
    Visit("recruiter", "/hiring/candidates/?view=outcome_due", "outcome due", tables_fit=True),
    Visit("recruiter", "/hiring/candidates/?q=nobody-by-this-name", "empty search"),
    Visit("recruiter", "/hiring/candidates/new/"),
    Visit("recruiter", "/hiring/candidates/new/", "errors", _submit_empty("Create")),
    Visit("recruiter", lambda demo: f"/hiring/loops/{demo.loop.pk}/", tables_fit=True),
    Visit("recruiter", lambda demo: f"/hiring/loops/{demo.decided_loop.pk}/", "decided"),
    Visit("recruiter", lambda demo: f"/hiring/loops/{demo.loop.pk}/debrief/", "debrief"),
    Visit("recruiter", lambda demo: f"/hiring/loops/{demo.loop.pk}/feedback/"),
    Visit("recruiter", lambda demo: f"/hiring/loops/{demo.decided_loop.pk}/decision/"),
    Visit("recruiter", lambda demo: f"/hiring/loops/{demo.loop.pk}/exercises/"),
    Visit("recruiter", "/hiring/analytics/"),
    Visit("recruiter", "/accounts/password_change/"),
    Visit("recruiter", "/accounts/password_change/", "errors", _submit_empty("Change")),
    Visit("recruiter", "/accounts/password_change/done/"),
    # Interviewer
    Visit("interviewer", "/"),
    Visit("interviewer", "/hiring/interviews/", tables_fit=True),
    Visit("interviewer", lambda demo: f"/hiring/interviews/{demo.draft_interview.pk}/scorecard/"),
    Visit(
        "interviewer",
        lambda demo: f"/hiring/interviews/{demo.submitted_interview.pk}/scorecard/",
        "submitted",
    ),
    Visit(
        "interviewer",
        lambda demo: f"/hiring/interviews/{demo.submitted_interview.pk}/scorecard/amend/",
    ),
    Visit("interviewer", lambda demo: f"/hiring/interviews/{demo.starl_interview.pk}/starl/"),
    # Manager
    Visit("manager", "/"),
    Visit("manager", "/team-health/", tables_fit=True),
    Visit("manager", lambda demo: f"/team-health/teams/{demo.team.slug}/"),
    Visit("manager", lambda demo: f"/team-health/alerts/{demo.alert.pk}/"),
    Visit("manager", "/team-health/alerts/", "all alerts", tables_fit=True),
    Visit("manager", "/team-health/values/new/"),
    Visit("manager", "/team-health/values/new/", "errors", _submit_empty("Save")),
    Visit("manager", "/team-health/values/import/"),
    Visit("manager", "/surveys/", tables_fit=True),
    Visit("manager", "/surveys/overview/", tables_fit=True),
    Visit("manager", lambda demo: f"/surveys/rounds/{demo.published_round.pk}/"),
    Visit("manager", lambda demo: f"/surveys/rounds/{demo.below_k_round.pk}/", "below k"),
    Visit("manager", lambda demo: f"/surveys/rounds/{demo.published_round.pk}/action-plan/"),
    # Engineer
    Visit("engineer", "/"),
    Visit("engineer", "/surveys/"),
    Visit("engineer", lambda demo: f"/surveys/rounds/{demo.published_round.pk}/", "published"),
    Visit(
        "engineer",
        lambda demo: f"/surveys/rounds/{_open_round_of(demo.team).pk}/answer/",
    ),
    # Director
    Visit("director", "/"),
    Visit("director", "/team-health/org/", tables_fit=True),
    Visit("director", "/surveys/overview/", tables_fit=True),
    Visit("director", "/surveys/overview/?view=questions", "heatmap by question"),
    Visit("director", "/surveys/overview/?view=period", "feedback score by period"),
    Visit("director", "/team-health/alerts/?state=resolved", "resolved alerts", tables_fit=True),
    # Admin: Keel's pages, Django admin and the admin pages Keel adds
    Visit("admin", "/"),
    Visit("admin", "/admin/"),
    Visit("admin", "/admin/hiring/"),
    Visit("admin", "/admin/hiring/roleprofile/"),
    Visit("admin", "/admin/hiring/roleprofile/1/change/"),
    Visit("admin", "/admin/hiring/roleprofile/add/"),
    Visit("admin", "/admin/surveys/question/"),
    Visit("admin", lambda demo: f"/admin/surveys/surveyround/{demo.published_round.pk}/change/"),
    Visit("admin", "/admin/teamhealth/threshold/"),
    Visit("admin", "/admin/teamhealth/threshold/1/change/"),
    Visit("admin", "/admin/teamhealth/metricvalue/import/"),
    Visit("admin", lambda demo: f"/admin/teamhealth/team/{demo.team.pk}/change/"),
    Visit("admin", "/admin/outbox/message/"),
    Visit("admin", "/admin/accounts/user/"),
    Visit("admin", "/admin/password_change/"),
    Visit("admin", "/admin/password_change/done/"),
]

# URL patterns no visit reaches, each with the reason.
EXCLUDED = {
    "logout": "POST only; answers with a redirect to the sign-in page",
    "hiring:starl_autosave": "JSON endpoint called by static/js/starl.js",
    "hiring:exercise_result": "POST only; redirects back to the scorecard",
    "surveys:publish": "POST only; redirects back to the round's results",
    "teamhealth:alert_acknowledge": "POST only; redirects back to the alert",
    "teamhealth:alert_snooze": "POST only; redirects back to the alert",
    "api_metric_values": "JSON API",
    "api_teams": "JSON API",
    "api_schema": "OpenAPI schema (YAML)",
    "surveys:action_status": "POST only; redirects back to the round's results",
    "dev_mailbox": "only under make run (DEBUG, mail to files); tests/browser/test_dev_mailbox.py",
    "healthz": "JSON for load balancers",
    "metrics": "Prometheus text, behind a token",
    "oidc_authentication_init": "redirects to the identity provider; 404 with single sign-on off",
    "oidc_authentication_callback": "redirects back into Keel; 404 with single sign-on off",
    "favicon.ico": "an icon",
    "admin:login": "shadowed by admin_login, the same page behind the sign-in limit",
    "admin:logout": "POST only; Django admin's own logged-out page",
    "admin:autocomplete": "JSON endpoint of the admin's select2 widgets",
    "admin:jsi18n": "JavaScript",
    "admin:outbox_message_resend": "POST only; redirects back to the message",
    "admin:teamhealth_threshold_preview": "JSON endpoint called by static/js/threshold_preview.js",
    "admin:view_on_site": "redirects to the object's own page",
    "admin/(?P<url>.*)$": "the admin's catch-all, a 404",
}

# Django admin draws every model's pages of one kind with the same templates:
# visiting some changelists, change forms and add forms checks them all. A
# kind never visited (delete, history) is listed here with its reason.
ADMIN_MODEL_PAGE = re.compile(r"^admin:\w+_(changelist|add|change|delete|history)$")
# Each model's bare object address only redirects to its change form.
ADMIN_OBJECT_REDIRECT = re.compile(r"^admin/\w+/\w+/<path:object_id>/$")
ADMIN_KINDS_EXCLUDED = {
    "delete": "Django admin's own confirmation page, no Keel template",
    "history": "Django admin's own history page, no Keel template",
}


def _open_round_of(team: Team) -> SurveyRound:
    return SurveyRound.objects.filter(team=team, status=SurveyRound.Status.OPEN).latest(
        "period_start"
    )


def _build_demo() -> Demo:
    call_command("load_demo", stdout=io.StringIO())
    team = Team.objects.get(name="Backend Payments")
    manager = User.objects.get(username="manager")
    interviewer = User.objects.get(username="interviewer")
    below_k = answered_round(team_size=6, answers=2, manager=manager, name="Quiet Corner")
    engineer = User.objects.get(username="engineer")
    invitation_email = Message.objects.filter(
        kind=links.INVITATION, recipient=engineer.email
    ).latest("pk")
    body = links.render([invitation_email])[invitation_email.pk].body
    survey_link = re.search(r"https?://\S+(/surveys/a/\S+/)", body).group(1)
    scorecards = Scorecard.objects.filter(interview__interviewer=interviewer)
    return Demo(
        team=team,
        loop=InterviewLoop.objects.exclude(status=InterviewLoop.Status.DECIDED)
        .filter(interviews__scorecard__status=Scorecard.Status.SUBMITTED)
        .first(),
        decided_loop=InterviewLoop.objects.filter(status=InterviewLoop.Status.DECIDED).first(),
        draft_interview=scorecards.filter(status=Scorecard.Status.DRAFT).first().interview,
        submitted_interview=scorecards.filter(status=Scorecard.Status.SUBMITTED).first().interview,
        starl_interview=scorecards.filter(
            status=Scorecard.Status.DRAFT, interview__assesses_leadership=True
        )
        .first()
        .interview,
        published_round=SurveyRound.objects.filter(team=team, published_at__isnull=False).latest(
            "period_start"
        ),
        below_k_round=below_k,
        alert=Alert.objects.filter(team=team).exclude(status=Alert.Status.RESOLVED).first(),
        survey_link=survey_link,
        reset_link=(
            f"/accounts/reset/{urlsafe_base64_encode(force_bytes(manager.pk))}/"
            f"{default_token_generator.make_token(manager)}/"
        ),
    )


def _join(prefix: str, route: str) -> str:
    return URLResolver._join_route(prefix, route) if prefix else route


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """Every URL pattern as its name (``namespace:name``), or its route when unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}".lstrip(":") if pattern.name else route


def _pattern_of(path: str) -> str:
    match = resolve(urlsplit(path).path)
    return match.view_name if match.url_name else match.route


def _unchecked(visited: set[str]) -> list[str]:
    kinds_visited = {m.group(1) for name in visited if (m := ADMIN_MODEL_PAGE.match(name))}
    missing = []
    for name in dict.fromkeys(url_patterns()):
        if name in visited or name in EXCLUDED or ADMIN_OBJECT_REDIRECT.match(name):
            continue
        admin_page = ADMIN_MODEL_PAGE.match(name)
        if admin_page and (
            admin_page.group(1) in kinds_visited or admin_page.group(1) in ADMIN_KINDS_EXCLUDED
        ):
            continue
        missing.append(name)
    return missing


# ``preload: false``: axe would otherwise re-read stylesheets that @import others
# (Django admin's) into <style> elements, which the CSP refuses; only the
# css-orientation-lock rule needs them.
_RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"], preload: false});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

_TABLES_WIDER_THAN_THEIR_BOX = """() => [...document.querySelectorAll("main table")]
  .filter((table) => table.offsetParent !== null)
  .map((table) => {
    const box = table.closest(".table-responsive") || table.parentElement;
    return {table: table.className, scroll: box.scrollWidth, width: box.clientWidth};
  })
  .filter((t) => t.scroll > t.width + 1)"""


# Keel's own pages (Django admin has its own): one <main id="main">, and the
# skip link to it is the first link on the page.
_MAIN_AND_SKIP_LINK = """() => ({
  mains: document.querySelectorAll("main#main").length,
  first_link: document.querySelector("a[href]").getAttribute("href"),
})"""


def _axe_violations(page) -> list[dict]:
    return page.evaluate(_RUN_AXE)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def test_every_page_of_every_role_passes_axe_at_desktop_and_phone_width(browser, live_server):
    demo = _build_demo()
    roles = list(dict.fromkeys(visit.role for visit in PAGES))
    findings: list[str] = []
    failures: list[str] = []
    visited: set[str] = set()
    shots = ARTIFACTS / "a11y"
    shots.mkdir(parents=True, exist_ok=True)

    for width, options in WIDTHS.items():
        for role in roles:
            with _page_that_fails_on_csp_violations(
                browser, base_url=live_server.url, reduced_motion="reduce", **options
            ) as page:
                page.context.add_init_script(path=str(AXE))
                if role != "anonymous":
                    page.goto("/accounts/login/")
                    page.get_by_label("Username").fill(role)
                    page.get_by_label("Password").fill(DEMO_PASSWORD)
                    page.get_by_role("button", name="Log in").click()
                    page.wait_for_url(lambda url: "/accounts/login/" not in url)
                    # The home page the sign-in lands on finishes before the next
                    # page is asked for (two requests at once share SQLite's one
                    # in-memory test connection).
                    page.wait_for_load_state("load")
                for visit in (v for v in PAGES if v.role == role):
                    path = visit.path(demo) if callable(visit.path) else visit.path
                    response = page.goto(path)
                    assert response is not None
                    assert response.ok, f"{role} {path}: HTTP {response.status}"
                    page.wait_for_load_state("load")
                    if visit.then:
                        visit.then(page)
                    visited.update({_pattern_of(path), _pattern_of(page.url)})
                    where = f"{path}{f' ({visit.state})' if visit.state else ''} as {role}, {width}"
                    page.screenshot(
                        path=str(shots / f"{width}-{role}-{_slug(path + ' ' + visit.state)}.png"),
                        full_page=True,
                    )
                    for violation in _axe_violations(page):
                        targets = "; ".join(n["target"] for n in violation["nodes"][:6])
                        line = (
                            f"[{violation['impact']}] {violation['id']} on {where}: "
                            f"{violation['help']} ({len(violation['nodes'])}: {targets})"
                        )
                        findings.append(line)
                        if violation["impact"] in FAILING_IMPACTS:
                            failures.append(line)
                    if not urlsplit(page.url).path.startswith("/admin/"):
                        landmarks = page.evaluate(_MAIN_AND_SKIP_LINK)
                        if landmarks != {"mains": 1, "first_link": "#main"}:
                            failures.append(f"[landmarks] {where}: {landmarks}")
                    if width == "phone" and visit.tables_fit:
                        for table in page.evaluate(_TABLES_WIDER_THAN_THEIR_BOX):
                            failures.append(
                                f"[layout] table {table['table']!r} on {where} is "
                                f"{table['scroll']} px wide in a {table['width']} px box"
                            )

    (ARTIFACTS / "axe-report.txt").write_text("\n".join(findings) + "\n")
    unchecked = _unchecked(visited)
    assert not unchecked, (
        "URL patterns neither visited by PAGES nor listed in EXCLUDED with a reason: "
        + ", ".join(unchecked)
    )
    if failures:
        pytest.fail(
            f"{len(failures)} critical or serious accessibility violations:\n"
            + "\n".join(failures),
            pytrace=False,
        )


def test_a_page_nobody_visits_or_excludes_is_named():
    """The coverage check itself: a page left out of PAGES fails the run, by name."""
    every_page = set(url_patterns())
    assert _unchecked(every_page - {"hiring:analytics"}) == ["hiring:analytics"]
    # One changelist visited stands for every model's changelist; none visited is named.
    changelists = {name for name in every_page if name.endswith("_changelist")}
    assert _unchecked(every_page - changelists | {"admin:hiring_roleprofile_changelist"}) == []
    assert "admin:hiring_roleprofile_changelist" in _unchecked(every_page - changelists)


def test_axe_reports_text_too_faint_to_read(browser, live_server):
    """The runner itself: axe is there under the CSP and a contrast failure is serious."""
    with _page_that_fails_on_csp_violations(browser, base_url=live_server.url) as page:
        page.context.add_init_script(path=str(AXE))
        page.goto("/accounts/login/")
        assert not [v for v in _axe_violations(page) if v["impact"] in FAILING_IMPACTS]
        page.evaluate(
            """document.querySelector("main .card-body").insertAdjacentHTML(
                   "beforeend", '<p class="text-warning">Hard to read</p>')"""
        )
        found = {v["id"]: v["impact"] for v in _axe_violations(page)}
    assert found.get("color-contrast") == "serious"
