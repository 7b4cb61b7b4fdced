"""The stored hiring analytics equal the direct computation, before and after
amendments, decisions and outcomes; the page reads the summary while nothing changed."""

import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hiring.models import AnalyticsSummary, InterviewMethod, Scorecard
from hiring.selectors import analytics as selectors
from hiring.services.outcomes import record_decision, record_six_month_outcome
from hiring.services.scorecards import amend_scorecard
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    UserFactory,
    decided,
    default_profile,
    submitted,
)

pytestmark = pytest.mark.django_db


def _organisation(rng: random.Random, loops: int = 40):
    profile = default_profile()
    panel = [UserFactory(roles=["Interviewer"]) for _ in range(6)]
    made = []
    for index in range(loops):
        loop = InterviewLoopFactory(role_profile=profile, method=rng.choice(InterviewMethod.values))
        for person in rng.sample(panel, rng.randint(1, 3)):
            interview = InterviewFactory(loop=loop, interviewer=person)
            if rng.random() < 0.9:
                submitted(
                    interview,
                    technical=rng.randint(30, 100),
                    leadership=rng.randint(30, 100),
                    culture=rng.randint(30, 100),
                )
        if index % 4:
            offer = rng.random() < 0.7
            accepted = offer and rng.random() < 0.8
            outcome = rng.choice(["performing", "bad_hire", "left"]) if accepted else ""
            decided(
                loop, offer=offer, accepted=accepted, outcome=outcome, cost=rng.randint(50, 900)
            )
        made.append(loop)
    return made, panel


def _page_figures(page):
    return (
        page.methods,
        page.correlations,
        [(person.pk, c) for person, c in page.calibration],
        page.chart,
        page.predicts_nothing,
        page.predicts_backwards,
    )


def _same_as_direct():
    stored = selectors.analytics_page()
    direct = selectors.analytics_page(figures=selectors.compute_figures())
    assert _page_figures(stored) == _page_figures(direct)
    stored_figures, direct_figures = selectors.stored_figures(), selectors.compute_figures()
    assert stored_figures == direct_figures
    # in the same order too (the page iterates them), whatever the database keeps
    assert [list(c.deviation) for c in stored_figures.calibration] == [
        list(c.deviation) for c in direct_figures.calibration
    ]
    assert [list(c.tendency) for c in stored_figures.calibration] == [
        list(c.tendency) for c in direct_figures.calibration
    ]


def test_the_summary_equals_the_direct_computation_through_changes():
    rng = random.Random(3)
    loops, panel = _organisation(rng)
    _same_as_direct()
    summary = AnalyticsSummary.objects.get()
    assert summary.computed_at_change == summary.changes

    # An amendment moves calibration and validity.
    card = Scorecard.objects.filter(status="submitted").select_related("interview").first()
    amend_scorecard(
        scorecard_id=card.pk,
        amended_by=card.interview.interviewer,
        reason="Typo in technical",
        scores={"technical": Decimal(12)},
        recommendation="no",
        notes="",
    )
    summary.refresh_from_db()
    assert summary.computed_at_change < summary.changes
    _same_as_direct()

    # A decision on an undecided loop, then its 6-month outcome.
    open_loop = next(loop for loop in loops if not hasattr(loop, "outcome"))
    record_decision(
        loop=open_loop,
        decided_by=UserFactory(roles=["Recruiter"]),
        decision="offer",
        offer_accepted=True,
        hours=Decimal(4),
        cost=Decimal(250),
    )
    _same_as_direct()
    record_six_month_outcome(loop=open_loop, outcome="bad_hire")
    _same_as_direct()

    # A new submitted scorecard, and a draft (which changes no figure).
    interview = InterviewFactory(loop=loops[0], interviewer=panel[0])
    before = AnalyticsSummary.objects.get().changes
    card = Scorecard.objects.get(interview=interview)
    card.notes = "draft"
    card.save()
    assert AnalyticsSummary.objects.get().changes == before  # a draft counts no change
    submitted(interview, technical=99, leadership=10, culture=50)
    _same_as_direct()

    # A role profile's weights move every weighted total.
    profile = default_profile()
    profile.weight_technical, profile.weight_culture = Decimal("0.60"), Decimal("0.05")
    profile.save()
    _same_as_direct()

    # A deleted loop leaves the figures.
    loops[1].delete()
    _same_as_direct()


def test_the_page_reads_the_summary_while_nothing_changed(
    client_for, recruiter, django_assert_num_queries
):
    _organisation(random.Random(5), loops=12)
    client = client_for(recruiter)
    first = client.get(reverse("hiring:analytics"))
    # session, user, groups, summary, people, settings, outcomes due
    with django_assert_num_queries(7):
        again = client.get(reverse("hiring:analytics"))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again.text) == token.sub("", first.text)
    loop = InterviewLoopFactory(method="starl")
    submitted(InterviewFactory(loop=loop), technical=50, leadership=50, culture=50)
    # stale: methods, validity and scorecards are read again and stored
    with django_assert_num_queries(7 + 4):
        changed = client.get(reverse("hiring:analytics"))
    assert changed.context["calibration"] != first.context["calibration"]
