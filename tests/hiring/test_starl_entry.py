"""STAR-L entry on a scorecard: evidence rule, leadership score, autosave."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hiring.models import Scorecard, StarlAnswer, StarlDraft
from hiring.services.scorecards import submit_scorecard
from tests.factories import InterviewFactory, starl_answer, starl_question

pytestmark = pytest.mark.django_db


def _post_data(answers, version=0, **extra):
    data = {
        "answers-TOTAL_FORMS": str(len(answers)),
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "20",
        "version": str(version),
        **extra,
    }
    for index, (question, parts) in enumerate(answers):
        data[f"answers-{index}-question"] = str(question.pk) if question else ""
        for part, (text, rating) in parts.items():
            data[f"answers-{index}-{part}_text"] = text
            data[f"answers-{index}-{part}_rating"] = "" if rating is None else str(rating)
    return data


FULL = {p: (f"{p} heard", 4) for p in ("situation", "task", "action", "result", "learning")}


@pytest.fixture
def interview(interviewer):
    return InterviewFactory(interviewer=interviewer, loop__candidate__name="Alex Rivera")


def test_saving_answers_sets_leadership_from_the_ratings(client_for, interviewer, interview):
    question = starl_question()
    other = starl_question("Describe a time you disagreed with your manager.")
    second = {**FULL, "result": ("cut p99 by half", 2)}
    response = client_for(interviewer).post(
        reverse("hiring:starl", args=[interview.pk]),
        _post_data([(question, FULL), (other, second)], save="1"),
    )
    assert response.status_code == 302
    assert StarlAnswer.objects.filter(scorecard=interview.scorecard).count() == 2
    interview.scorecard.refresh_from_db()
    # ten ratings: nine 4s and one 2 -> mean 3.8 -> 70.00
    assert interview.scorecard.leadership == Decimal("70.00")


def test_rating_without_evidence_is_rejected_with_a_clear_message(
    client_for, interviewer, interview
):
    parts = {**FULL, "task": ("", 3)}
    response = client_for(interviewer).post(
        reverse("hiring:starl", args=[interview.pk]),
        _post_data([(starl_question(), parts)], save="1"),
    )
    assert response.status_code == 200
    assert "Task: write down the evidence you heard before rating it." in response.text
    assert not StarlAnswer.objects.exists()


def test_answer_needs_its_question(client_for, interviewer, interview):
    response = client_for(interviewer).post(
        reverse("hiring:starl", args=[interview.pk]), _post_data([(None, FULL)], save="1")
    )
    assert "Choose the question you asked." in response.text


def test_blank_extra_answer_is_ignored(client_for, interviewer, interview):
    blank = dict.fromkeys(FULL, ("", None))
    response = client_for(interviewer).post(
        reverse("hiring:starl", args=[interview.pk]),
        _post_data([(starl_question(), FULL), (None, blank)], save="1"),
    )
    assert response.status_code == 302
    assert StarlAnswer.objects.count() == 1


def test_answer_without_learning_is_marked(client_for, interviewer, interview):
    starl_answer(interview.scorecard, ratings=(4, 4, 4, 4, None), learning=False)
    page = client_for(interviewer).get(reverse("hiring:scorecard", args=[interview.pk]))
    assert page.status_code == 200
    starl_page = client_for(interviewer).get(reverse("hiring:starl", args=[interview.pk]))
    assert "No Learning recorded" in starl_page.text


def test_anchors_are_shown_next_to_each_rating(client_for, interviewer, interview):
    response = client_for(interviewer).get(reverse("hiring:starl", args=[interview.pk]))
    assert "Situation rating" in response.text
    assert "Vivid, concise context; stakes and constraints quantified." in response.text
    assert "Changed how they or their team work; shows evidence of it." in response.text


def test_submit_recomputes_leadership_on_the_server(interviewer, interview):
    starl_answer(interview.scorecard, ratings=(5, 5, 5, 5, 5))
    card = submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interviewer,
        scores={"technical": Decimal(80), "leadership": Decimal(10), "culture": Decimal(70)},
        recommendation="yes",
    )
    assert card.leadership == Decimal("100.00")


def test_scorecard_form_hides_leadership_input_once_starl_answers_exist(
    client_for, interviewer, interview
):
    starl_answer(interview.scorecard, ratings=(3, 3, 3, 3, 3))
    response = client_for(interviewer).get(reverse("hiring:scorecard", args=[interview.pk]))
    assert 'name="leadership"' not in response.text
    assert "leadership score <strong>50.00</strong>" in response.text
    client_for(interviewer).post(
        reverse("hiring:scorecard", args=[interview.pk]),
        {"technical": "80", "culture": "70", "recommendation": "yes", "submit": "1"},
    )
    interview.scorecard.refresh_from_db()
    assert interview.scorecard.is_submitted
    assert interview.scorecard.leadership == Decimal("50.00")


def test_autosave_keeps_the_draft_and_the_page_restores_it(client_for, interviewer, interview):
    client = client_for(interviewer)
    parts = {**FULL, "action": ("half typed", None)}
    response = client.post(
        reverse("hiring:starl_autosave", args=[interview.pk]),
        _post_data([(starl_question(), parts)]),
    )
    assert response.status_code == 200
    assert "saved_at" in response.json()
    page = client.get(reverse("hiring:starl", args=[interview.pk]))
    assert "Restored your unsaved draft" in page.text
    assert "half typed" in page.text
    assert not StarlAnswer.objects.exists()  # a draft is not an answer until saved


def test_late_autosave_after_saving_is_ignored(client_for, interviewer, interview):
    client = client_for(interviewer)
    question = starl_question()
    client.post(
        reverse("hiring:starl", args=[interview.pk]), _post_data([(question, FULL)], save="1")
    )
    late = client.post(
        reverse("hiring:starl_autosave", args=[interview.pk]),
        _post_data([(question, FULL)], version=0),
    )
    assert late.status_code == 409
    assert not StarlDraft.objects.exists()


def test_discard_draft(client_for, interviewer, interview):
    client = client_for(interviewer)
    client.post(
        reverse("hiring:starl_autosave", args=[interview.pk]),
        _post_data([(starl_question(), FULL)]),
    )
    client.post(reverse("hiring:starl", args=[interview.pk]), {"discard": "1"})
    assert not StarlDraft.objects.exists()


def test_submitted_scorecard_shows_answers_read_only(client_for, interviewer, interview):
    starl_answer(interview.scorecard)
    Scorecard.objects.filter(pk=interview.scorecard.pk).update(
        status="submitted", submitted_at=interview.scheduled_at
    )
    page = client_for(interviewer).get(reverse("hiring:starl", args=[interview.pk]))
    assert "situation evidence" in page.text
    assert "<textarea" not in page.text
    autosave = client_for(interviewer).post(
        reverse("hiring:starl_autosave", args=[interview.pk]), {"version": "0"}
    )
    assert autosave.status_code == 404


def test_starl_page_query_count_does_not_grow_with_answers(
    client_for, interviewer, interview, django_assert_num_queries
):
    client = client_for(interviewer)
    starl_answer(interview.scorecard)
    client.get(reverse("hiring:starl", args=[interview.pk]))  # warm the session
    with django_assert_num_queries(8):
        client.get(reverse("hiring:starl", args=[interview.pk]))
    for position in range(1, 4):
        question = starl_question(f"Question {position}")
        starl_answer(interview.scorecard, position=position, question=question)
    with django_assert_num_queries(8):
        client.get(reverse("hiring:starl", args=[interview.pk]))


def test_one_answer_per_question_asked(client_for, interviewer, interview):
    question = starl_question()
    response = client_for(interviewer).post(
        reverse("hiring:starl", args=[interview.pk]),
        _post_data([(question, FULL), (question, FULL)], save="1"),
    )
    assert response.status_code == 200
    assert "This question already has an answer above." in response.text
    assert not StarlAnswer.objects.exists()


def test_only_leadership_questions_make_the_leadership_score(client_for, interviewer, interview):
    leadership = starl_question()
    culture = starl_question("Tell me about a time you changed how your team works.", "culture")
    low = {p: (f"{p} heard", 1) for p in FULL}
    client_for(interviewer).post(
        reverse("hiring:starl", args=[interview.pk]),
        _post_data([(leadership, FULL), (culture, low)], save="1"),
    )
    interview.scorecard.refresh_from_db()
    assert StarlAnswer.objects.count() == 2
    assert interview.scorecard.leadership == Decimal("75.00")  # the 1s of culture not counted


def test_amending_a_scorecard_with_starl_answers_leaves_leadership_to_the_ratings(
    client_for, interviewer, interview
):
    starl_answer(interview.scorecard, ratings=(3, 3, 3, 3, 3))
    submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interviewer,
        scores={"technical": Decimal(80), "culture": Decimal(70)},
        recommendation="yes",
    )
    client = client_for(interviewer)
    url = reverse("hiring:scorecard_amend", args=[interview.pk])
    assert 'name="score_leadership"' not in client.get(url).text
    client.post(
        url,
        {
            "score_technical": "85",
            "score_culture": "70",
            "recommendation": "yes",
            "notes": "",
            "reason": "Misread my notes",
        },
    )
    interview.scorecard.refresh_from_db()
    assert (interview.scorecard.technical, interview.scorecard.leadership) == (
        Decimal("85.00"),
        Decimal("50.00"),
    )
