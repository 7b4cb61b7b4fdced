"""Every form Keel shows, posted with generated values: the answer is a page (with the
problems next to their fields), a redirect or a 4xx, never a 500.

The forms are found, not listed: each page is fetched, and every form and formset in
its context (or an admin page's) is filled field by field from the field's kind, so a
new field or form is covered without touching this file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from teamhealth.models import Alert
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    decided,
    exercise,
    submitted,
)
from tests.surveys.conftest import answered_round, open_round

from . import strategies
from .conftest import PROPERTIES

pytestmark = pytest.mark.django_db


@dataclass
class World:
    users: dict[str, object]
    urls: dict[str, str]
    fields: dict[str, dict[str, st.SearchStrategy]] = field(default_factory=dict)


@pytest.fixture
def world() -> World:
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    recruiter = UserFactory(roles=["Recruiter"])
    interviewer = UserFactory(roles=["Interviewer"])
    manager = UserFactory(roles=["Manager", "Engineer"])
    team = TeamFactory(name="Payments", managers=[manager])
    loop = InterviewLoopFactory(recruiters=[recruiter])
    interview = InterviewFactory(loop=loop, interviewer=interviewer)
    done = InterviewFactory(loop=loop, interviewer=interviewer)
    submitted(done, technical=80, leadership=70, culture=75)
    hired = InterviewLoopFactory(recruiters=[recruiter])
    decided(hired, by=recruiter)
    from hiring.models import ExerciseAssignment

    ExerciseAssignment.objects.create(
        interview=interview,
        exercise=exercise(),
        sent_at=timezone.now() - timedelta(days=2),
    )
    alert = Alert.objects.create(team=team, subject="oncall_hours", kind="breach", message="x")
    closed = answered_round(manager=manager)
    MembershipFactory(team=team, user=manager)
    live = open_round(team)
    return World(
        users={
            "admin": admin_user,
            "recruiter": recruiter,
            "interviewer": interviewer,
            "manager": manager,
        },
        urls={
            "loop": str(loop.pk),
            "hired": str(hired.pk),
            "interview": str(interview.pk),
            "done": str(done.pk),
            "alert": str(alert.pk),
            "closed": str(closed.pk),
            "live": str(live.pk),
        },
    )


# (door, who, url from the world, the buttons its page may post)
DOORS: list[tuple[str, str, Callable[[dict[str, str]], str], list[str]]] = [
    ("metric entry", "manager", lambda u: reverse("teamhealth:metric_entry"), []),
    ("alert", "manager", lambda u: reverse("teamhealth:alert_detail", args=[u["alert"]]), []),
    ("new candidate", "recruiter", lambda u: reverse("hiring:loop_create"), []),
    ("loop", "recruiter", lambda u: reverse("hiring:loop_detail", args=[u["loop"]]), []),
    ("feedback", "recruiter", lambda u: reverse("hiring:loop_feedback", args=[u["loop"]]), []),
    (
        "decision",
        "recruiter",
        lambda u: reverse("hiring:loop_decision", args=[u["loop"]]),
        ["save_decision"],
    ),
    (
        "outcome",
        "recruiter",
        lambda u: reverse("hiring:loop_decision", args=[u["hired"]]),
        ["save_outcome"],
    ),
    (
        "scorecard",
        "interviewer",
        lambda u: reverse("hiring:scorecard", args=[u["interview"]]),
        ["submit", "save"],
    ),
    (
        "amendment",
        "interviewer",
        lambda u: reverse("hiring:scorecard_amend", args=[u["done"]]),
        [],
    ),
    ("STAR-L", "interviewer", lambda u: reverse("hiring:starl", args=[u["interview"]]), ["back"]),
    ("results", "manager", lambda u: reverse("surveys:round_results", args=[u["closed"]]), []),
    ("action plan", "manager", lambda u: reverse("surveys:action_plan", args=[u["closed"]]), []),
]
ADMIN_ADD_PAGES = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_add"
    for model in admin.site._registry
    if model._meta.app_label in ("accounts", "outbox", "teamhealth", "hiring", "surveys")
)
# Fewer examples per admin page: there are many pages, and admins are few and trusted.
ADMIN_PROPERTIES = settings(PROPERTIES, max_examples=4)


def forms_in(value, found: list[forms.BaseForm]) -> None:
    """Every form in a page's context: forms, formsets (with their management form),
    admin forms, and lists of them."""
    if isinstance(value, forms.BaseForm):
        found.append(value)
    elif isinstance(value, forms.BaseFormSet):
        found.append(value.management_form)
        found.extend(value.forms)
    elif hasattr(value, "form") and isinstance(value.form, forms.BaseForm):  # AdminForm
        found.append(value.form)
    elif isinstance(value, list | tuple):
        for item in value:
            forms_in(item, found)


def page_forms(client: Client, url: str) -> list[forms.BaseForm]:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    found: list[forms.BaseForm] = []
    contexts = page.context if isinstance(page.context, list) else [page.context]
    for context in contexts:
        for value in context.flatten().values():
            forms_in(value, found)
    for inline in page.context.get("inline_admin_formsets") or []:
        forms_in(inline.formset, found)
    assert found, f"no form on {url}"
    return list({id(form): form for form in found}.values())


def posted_fields(world: World, client: Client, url: str) -> dict[str, st.SearchStrategy]:
    """What the page at ``url`` posts, each with a strategy for its values (read once)."""
    if url not in world.fields:
        world.fields[url] = _posted_fields(client, url)
    return world.fields[url]


def _posted_fields(client: Client, url: str) -> dict[str, st.SearchStrategy]:
    fields: dict[str, st.SearchStrategy] = {}
    for form in page_forms(client, url):
        for name, form_field in form.fields.items():
            if isinstance(form_field, forms.FileField):
                fields[form.add_prefix(name)] = strategies.csv_files().map(
                    lambda content: SimpleUploadedFile("values.csv", content, "text/csv")
                )
            else:
                fields[form.add_prefix(name)] = strategies.for_field(form_field)
    return fields


def post_and_check(client: Client, url: str, data: dict) -> None:
    # The test client raises what the view raised: an exception fails the test as a 500 would.
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code < 500
    assert response.status_code in (200, 302, 400, 403, 404, 405), response.status_code


@pytest.mark.parametrize(("door", "who", "url", "buttons"), DOORS, ids=[d[0] for d in DOORS])
@given(data=st.data())
@PROPERTIES
def test_every_form_answers_any_input_without_an_error(world, door, who, url, buttons, data):
    client = Client()
    client.force_login(world.users[who])
    address = url(world.urls)
    fields = posted_fields(world, client, address)
    values = data.draw(st.fixed_dictionaries({}, optional=fields), label="fields")
    for button in buttons:
        if data.draw(st.booleans(), label=button):
            values[button] = "1"
    post_and_check(client, address, values)


@pytest.mark.parametrize(("door", "who", "url", "buttons"), DOORS, ids=[d[0] for d in DOORS])
def test_every_field_of_every_form_takes_each_edge_value_without_an_error(
    world, door, who, url, buttons
):
    """One field at a time gets each value that has broken a page (year 1, NUL, a line
    break, a number no column holds), the other fields sensible, so it reaches the rules."""
    client = Client()
    client.force_login(world.users[who])
    address = url(world.urls)
    fields = {
        form.add_prefix(name): (form_field, form[name].value())
        for form in page_forms(client, address)
        for name, form_field in form.fields.items()
        if not isinstance(form_field, forms.FileField)
    }
    baseline = {
        name: strategies.sensible(form_field, initial)
        for name, (form_field, initial) in fields.items()
    }
    for button in [None, *buttons]:
        for name, (form_field, _) in fields.items():
            for value in strategies.edge_values(form_field):
                data = baseline | {name: value}
                if button:
                    data[button] = "1"
                post_and_check(client, address, data)


@pytest.mark.parametrize("name", ADMIN_ADD_PAGES)
@given(data=st.data())
@ADMIN_PROPERTIES
def test_every_admin_form_answers_any_input_without_an_error(world, name, data):
    client = Client()
    client.force_login(world.users["admin"])
    address = reverse(name)
    if name not in world.fields and client.get(address).status_code == 403:
        return  # an admin page that adds nothing by hand
    fields = posted_fields(world, client, address)
    values = data.draw(st.fixed_dictionaries({}, optional=fields), label="fields")
    post_and_check(client, address, values)


@given(upload=strategies.csv_files())
@PROPERTIES
def test_the_csv_import_pages_answer_any_file_without_an_error(world, upload):
    for who, address in [
        ("manager", reverse("teamhealth:metric_import")),
        ("admin", reverse("admin:teamhealth_metricvalue_import")),
    ]:
        client = Client()
        client.force_login(world.users[who])
        post_and_check(client, address, {"file": SimpleUploadedFile("v.csv", upload, "text/csv")})


@given(
    query=st.fixed_dictionaries(
        {},
        optional={
            "q": strategies.text,
            "view": strategies.text,
            "page": strategies.numbers,
            "period": st.one_of(strategies.dates, strategies.text),
        },
    )
)
@PROPERTIES
def test_search_boxes_and_filters_answer_any_query_without_an_error(world, query):
    for who, name in [
        ("recruiter", "hiring:loop_list"),
        ("manager", "surveys:overview"),
        ("manager", "teamhealth:my_teams"),
    ]:
        client = Client()
        client.force_login(world.users[who])
        assert client.get(reverse(name), query).status_code == 200
