"""The debrief: the panel's scorecards side by side, where it disagrees first."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hiring import debrief
from hiring.models import InterviewLoop
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    starl_answer,
    starl_question,
    submitted,
)

D = Decimal


# --- the rule, without a database ------------------------------------------------


def test_spread_gives_lowest_highest_range_and_standard_deviation():
    s = debrief.spread("technical", [D(55), D(88), D(70), None])
    assert (s.low, s.high, s.range) == (D(55), D(88), D(33))
    # mean 71, deviations -16, 17, -1: population variance 546/3 = 182, sqrt 13.49
    assert s.deviation == D("13.49")
    assert s.count == 3
    assert s.disagrees


def test_one_score_or_none_is_no_disagreement():
    assert not debrief.spread("culture", [D(40)]).disagrees
    assert debrief.spread("culture", [D(40)]).deviation == D("0.00")
    empty = debrief.spread("culture", [None, None])
    assert (empty.low, empty.range, empty.deviation, empty.disagrees) == (None, None, None, False)


def test_a_range_just_under_the_threshold_is_not_called_out():
    assert not debrief.spread("technical", [D(70), D("84.99")]).disagrees
    assert debrief.spread("technical", [D(70), D(85)]).disagrees


def test_dimensions_are_ordered_by_spread_widest_first_unscored_last():
    result = debrief.disagreement(
        [
            {"technical": D(80), "culture": D(60)},
            {"technical": D(82), "culture": D(90)},
        ],
        ["yes", "yes"],
    )
    assert [s.dimension for s in result.spreads] == ["culture", "technical", "leadership"]
    assert result.widest is not None
    assert result.widest.dimension == "culture"
    assert [s.dimension for s in result.disagreeing] == ["culture"]
    assert not result.recommendations_split


def test_equal_ranges_fall_back_to_deviation_then_dimension_order():
    result = debrief.disagreement(
        [
            {"technical": D(60), "leadership": D(60), "culture": D(70)},
            {"technical": D(80), "leadership": D(80), "culture": D(70)},
            {"technical": D(70), "leadership": D(80), "culture": D(70)},
        ],
        [],
    )
    # technical and leadership both range 20; leadership (60, 80, 80) deviates
    # 9.43, technical (60, 80, 70) 8.16
    assert [s.dimension for s in result.spreads] == ["leadership", "technical", "culture"]


def test_recommendations_split_only_across_hire_and_no_hire():
    assert debrief.disagreement([], ["yes", "strong_no"]).recommendations_split
    assert not debrief.disagreement([], ["yes", "strong_yes"]).recommendations_split
    assert not debrief.disagreement([], ["no", "strong_no", ""]).recommendations_split


def test_an_agreeing_panel_has_no_widest_disagreement():
    result = debrief.disagreement([{"technical": D(80)}, {"technical": D(84)}], ["yes", "yes"])
    assert result.widest is None


# --- the page ----------------------------------------------------------------------


@pytest.fixture
def loop(recruiter):
    return InterviewLoopFactory(recruiters=[recruiter], candidate__name="Alex Rivera")


def _url(loop):
    return reverse("hiring:loop_debrief", args=[loop.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Engineer", "Manager", "Director", "Interviewer", "Recruiter"])
def test_people_outside_the_loop_get_404_on_its_debrief(make_user, client_for, loop, role):
    submitted(InterviewFactory(loop=loop), technical=80, leadership=70, culture=60)
    assert client_for(make_user(role)).get(_url(loop)).status_code == 404


@pytest.mark.django_db
def test_recruiter_of_the_loop_and_admin_read_the_debrief(client_for, recruiter, admin_user, loop):
    assert client_for(recruiter).get(_url(loop)).status_code == 200
    assert client_for(admin_user).get(_url(loop)).status_code == 200


@pytest.mark.django_db
def test_interviewer_sees_the_debrief_only_once_their_own_scorecard_is_submitted(client_for, loop):
    mine = InterviewFactory(loop=loop)
    other = InterviewFactory(loop=loop)
    card = submitted(other, technical=40, leadership=50, culture=60)
    card.notes = "Panel secret: weak on caching"
    card.save()
    client = client_for(mine.interviewer)

    assert client.get(_url(loop)).status_code == 404

    submitted(mine, technical=90, leadership=70, culture=65)
    page = client.get(_url(loop))
    assert page.status_code == 200
    assert "Panel secret: weak on caching" in page.text


@pytest.mark.django_db
def test_only_submitted_scorecards_appear(client_for, recruiter, loop):
    done = InterviewFactory(loop=loop, interviewer__first_name="Dana")
    submitted(done, technical=80, leadership=70, culture=60)
    draft = InterviewFactory(loop=loop, interviewer__first_name="Pat")
    draft.scorecard.technical = D(12)
    draft.scorecard.notes = "Draft thoughts nobody should read"
    draft.scorecard.save()

    response = client_for(recruiter).get(_url(loop))
    assert [i.pk for i in response.context["debrief"].interviews] == [done.pk]
    assert "Draft thoughts nobody should read" not in response.text
    assert "1 scorecard not submitted yet" in response.text


@pytest.mark.django_db
def test_the_disagreement_is_called_out_first_with_scores_recommendations_and_evidence(
    client_for, recruiter, loop
):
    first = InterviewFactory(loop=loop, interviewer__first_name="Dana", title="System design")
    second = InterviewFactory(loop=loop, interviewer__first_name="Sam", title="Behavioural")
    a = submitted(first, technical=D(55), leadership=D(70), culture=D(72))
    b = submitted(second, technical=D(88), leadership=D(74), culture=D(70))
    b.recommendation = "no"
    b.notes = "Strong on design, unsure about ownership."
    b.save()
    starl_answer(a, ratings=(4, 4, 3, 4, 2))

    text = client_for(recruiter).get(_url(loop)).text
    callout = text.split('data-testid="disagreement"')[1].split("</ul>")[0]
    assert "The panel disagrees most on <strong>Technical</strong>" in callout
    assert "scores from 55 to 88 (33 points apart, standard deviation 16.5)" in callout
    assert "The recommendations split" in callout
    assert "Strong on design, unsure about ownership." in text
    assert "STAR-L evidence (1 answer)" in text
    assert "situation evidence" in text


@pytest.mark.django_db
def test_loop_page_and_ready_for_debrief_rows_link_to_the_debrief(client_for, recruiter, loop):
    submitted(InterviewFactory(loop=loop), technical=80, leadership=70, culture=60)
    InterviewLoop.objects.filter(pk=loop.pk).update(status=InterviewLoop.Status.DEBRIEF)
    client = client_for(recruiter)
    assert _url(loop) in client.get(loop.get_absolute_url()).text
    assert _url(loop) in client.get(reverse("hiring:loop_list")).text


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 12])
def test_debrief_query_count_is_constant(client_for, recruiter, django_assert_num_queries, size):
    loop = InterviewLoopFactory(recruiters=[recruiter])
    for index in range(size):
        card = submitted(
            InterviewFactory(loop=loop), technical=50 + index, leadership=70, culture=60
        )
        for position in range(index % 3):
            starl_answer(
                card,
                question=starl_question(f"Q{position}"),
                position=position,
            )
    InterviewFactory(loop=loop)  # one still a draft
    client = client_for(recruiter)
    with django_assert_num_queries(6):
        response = client.get(_url(loop))
    assert len(response.context["debrief"].interviews) == size
