"""Feedback, decision and outcome, exercises, amendments, analytics: pages and rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hiring.models import (
    CandidateFeedback,
    ExerciseAssignment,
    LoopOutcome,
    RoleBenchmark,
    ScorecardAmendment,
)
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    UserFactory,
    decided,
    default_profile,
    exercise,
    starl_answer,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(recruiter):
    loop = InterviewLoopFactory(recruiters=[recruiter], candidate__name="Alex Rivera")
    interview = InterviewFactory(loop=loop)
    submitted(interview, technical=Decimal(85), leadership=Decimal(60), culture=Decimal(75))
    for dimension, (average, top) in {
        "technical": (70, 85),
        "leadership": (68, 80),
        "culture": (74, 85),
    }.items():
        RoleBenchmark.objects.update_or_create(
            role_profile=loop.role_profile,
            dimension=dimension,
            defaults={"average": average, "top_quartile": top},
        )
    return loop


# --- feedback ---------------------------------------------------------------------


def test_feedback_page_generates_text_from_scores_and_says_benchmarks_are_admin_values(
    client_for, recruiter, loop
):
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    assert page.status_code == 200
    body = page.context["form"].initial["body"]
    assert "Technical: Top 25% of candidates for Software Engineer." in body  # 85 >= 85
    assert "Leadership: Below average for Software Engineer." in body
    assert "below the threshold this role requires (65)" in body
    assert "Culture: Above average for Software Engineer." in body  # 75 >= 74
    assert "admin entered for this role, not our own data" in page.text


def test_feedback_uses_own_loops_from_10_submitted_loops(client_for, recruiter, loop):
    for score in range(10):
        other = InterviewFactory(loop__role_profile=loop.role_profile)
        submitted(other, technical=60 + score, leadership=70, culture=70)
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    assert "From our 11 submitted loops" in page.text


def test_feedback_page_compares_each_dimension_with_the_roles_benchmark(loop):
    from hiring.selectors.feedback import feedback_page

    RoleBenchmark.objects.filter(role_profile=loop.role_profile, dimension="culture").delete()
    page = feedback_page(loop)
    assert [(row.label, row.score, row.comparison) for row in page.rows] == [
        ("Technical", Decimal(85), "Top 25% of candidates for Software Engineer"),  # 85 >= 85
        ("Leadership", Decimal(60), "Below average for Software Engineer"),
        ("Culture", Decimal(75), None),  # no benchmark: no comparison
    ]
    assert [row.minimum for row in page.rows] == [Decimal(70), Decimal(65), Decimal(60)]
    assert page.fallback is True  # the benchmarks are the admin-entered ones
    assert page.subject == "Your interviews for the Software Engineer role"
    assert page.pending == []


def test_recruiter_edits_and_sends_feedback_recorded_and_emailed_once(
    client_for, recruiter, loop, django_capture_on_commit_callbacks
):
    client = client_for(recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hiring:loop_feedback", args=[loop.pk]),
            {"subject": "Your interviews", "body": "Edited by Rita: thank you, Alex."},
        )
    assert response.status_code == 302
    sent = CandidateFeedback.objects.get()
    assert (sent.sent_by, sent.sent_to, sent.body) == (
        recruiter,
        loop.candidate.email,
        "Edited by Rita: thank you, Alex.",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body == "Edited by Rita: thank you, Alex."
    from outbox import services as outbox

    assert outbox.deliver_due().sent == 0  # a second run sends nothing
    page = client.get(reverse("hiring:loop_feedback", args=[loop.pk])).content.decode()
    assert "emailed" in page
    assert len(mail.outbox) == 1
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    assert f"Sent to {loop.candidate.email} by {recruiter}" in page.text


def test_feedback_needs_a_body(client_for, recruiter, loop):
    response = client_for(recruiter).post(
        reverse("hiring:loop_feedback", args=[loop.pk]), {"subject": "x", "body": ""}
    )
    assert response.status_code == 200
    assert not CandidateFeedback.objects.exists()


def test_feedback_mentions_starl_evidence(client_for, recruiter, loop):
    card = loop.interviews.get().scorecard
    starl_answer(card, ratings=(5, 5, 4, 4, None), learning=False)
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    body = page.context["form"].initial["body"]
    assert "the Situation was especially strong" in body
    assert "1 of your 1 examples did not end with what you learned" in body


# --- decision and outcome ----------------------------------------------------------


def test_recruiter_records_decision_then_six_month_outcome(client_for, recruiter, loop):
    client = client_for(recruiter)
    url = reverse("hiring:loop_decision", args=[loop.pk])
    client.post(
        url,
        {
            "decision-decision": "offer",
            "decision-offer_accepted": "true",
            "decision-hours": "6.5",
            "decision-cost": "120",
            "decision-start_date": "2026-01-05",
            "save_decision": "1",
        },
    )
    record = LoopOutcome.objects.get(loop=loop)
    assert (record.decision, record.offer_accepted, record.hours, record.cost) == (
        "offer",
        True,
        Decimal("6.5"),
        Decimal("120"),
    )
    assert record.decided_by == recruiter
    loop.refresh_from_db()
    assert loop.status == "decided"
    client.post(url, {"outcome-six_month_outcome": "bad_hire", "save_outcome": "1"})
    record.refresh_from_db()
    assert record.six_month_outcome == "bad_hire"
    page = client.get(url)
    assert page.context["decision_form"]["offer_accepted"].value() == "true"


def test_acceptance_without_offer_is_rejected(client_for, recruiter, loop):
    response = client_for(recruiter).post(
        reverse("hiring:loop_decision", args=[loop.pk]),
        {"decision-decision": "no_offer", "decision-offer_accepted": "true", "save_decision": "1"},
    )
    assert "Only an offer can be accepted or declined." in response.text
    assert not LoopOutcome.objects.exists()


def test_outcome_needs_an_accepted_offer(client_for, recruiter, loop):
    decided(loop, offer=False)
    response = client_for(recruiter).post(
        reverse("hiring:loop_decision", args=[loop.pk]),
        {"outcome-six_month_outcome": "performing", "save_outcome": "1"},
    )
    assert "Record an accepted offer before the 6-month outcome." in response.text


# --- exercises ---------------------------------------------------------------------


def test_recruiter_attaches_exercise_and_interviewer_records_result(
    client_for, recruiter, interviewer
):
    interview = InterviewFactory(
        interviewer=interviewer,
        loop__recruiters=[recruiter],
        scheduled_at=timezone.now() + dt.timedelta(days=2),
    )
    chosen = exercise()
    client_for(recruiter).post(
        reverse("hiring:loop_exercises", args=[interview.loop.pk]),
        {f"exercise-{interview.pk}": str(chosen.pk)},
    )
    assignment = ExerciseAssignment.objects.get(interview=interview)
    assert assignment.exercise == chosen
    page = client_for(interviewer).get(reverse("hiring:scorecard", args=[interview.pk]))
    assert "Exercise: Make the slow query fast" in page.text
    client_for(interviewer).post(
        reverse("hiring:exercise_result", args=[interview.pk]),
        {"met_target": "true", "measured": "140 ms"},
    )
    assignment.refresh_from_db()
    assert (assignment.met_target, assignment.measured) == (True, "140 ms")
    page = client_for(interviewer).get(reverse("hiring:scorecard", args=[interview.pk]))
    assert page.context["exercise_form"]["met_target"].value() == "true"


def test_sent_exercise_cannot_be_swapped(client_for, recruiter):
    interview = InterviewFactory(loop__recruiters=[recruiter])
    ExerciseAssignment.objects.create(
        interview=interview, exercise=exercise(), sent_at=timezone.now()
    )
    other = exercise("Another")
    client_for(recruiter).post(
        reverse("hiring:loop_exercises", args=[interview.loop.pk]),
        {f"exercise-{interview.pk}": str(other.pk)},
    )
    assert ExerciseAssignment.objects.get().exercise.title == "Make the slow query fast"


# --- amendments --------------------------------------------------------------------


def test_amending_a_submitted_scorecard_needs_a_reason_and_keeps_history(client_for, interviewer):
    interview = InterviewFactory(interviewer=interviewer)
    submitted(interview, technical=Decimal(70), leadership=Decimal(70), culture=Decimal(70))
    client = client_for(interviewer)
    url = reverse("hiring:scorecard_amend", args=[interview.pk])
    data = {
        "score_technical": "82",
        "score_leadership": "70",
        "score_culture": "70",
        "recommendation": "yes",
        "notes": "",
    }
    no_reason = client.post(url, {**data, "reason": ""})
    assert "Give a reason" in no_reason.text
    assert not ScorecardAmendment.objects.exists()
    client.post(url, {**data, "reason": "Mixed up two candidates' notes"})
    amendment = ScorecardAmendment.objects.get()
    assert amendment.before["technical"] == "70.00"
    assert amendment.after["technical"] == "82.00"
    assert amendment.changes == [("technical", "70.00", "82.00")]
    page = client.get(reverse("hiring:scorecard", args=[interview.pk]))
    assert "Mixed up two candidates&#x27; notes" in page.text
    assert "70.00 → 82.00" in page.text


def test_only_the_interviewer_amends_their_scorecard(client_for, make_user):
    interview = InterviewFactory()
    submitted(interview, technical=70, leadership=70, culture=70)
    stranger = make_user("Interviewer")
    assert (
        client_for(stranger).get(reverse("hiring:scorecard_amend", args=[interview.pk])).status_code
        == 404
    )


# --- analytics -------------------------------------------------------------------


def _history(count: int):
    profile = default_profile()
    for index in range(count):
        loop = InterviewLoopFactory(role_profile=profile, method="starl")
        for offset in (0, 5):
            interview = InterviewFactory(loop=loop)
            submitted(
                interview,
                technical=60 + index + offset,
                leadership=70 + offset,
                culture=75 - index,
            )
        decided(loop, outcome="performing" if index % 2 else "bad_hire")


def test_analytics_calls_out_a_score_that_predicts_backwards(client_for, recruiter):
    profile = default_profile()
    for index in range(12):
        loop = InterviewLoopFactory(role_profile=profile, method="starl")
        bad = index % 2 == 0
        # culture is high exactly for the bad hires (a strong negative correlation);
        # technical, and with it the weighted total, points the right way
        submitted(
            InterviewFactory(loop=loop),
            technical=60 if bad else 95,
            leadership=70,
            culture=90 if bad else 60,
        )
        decided(loop, outcome="bad_hire" if bad else "performing")
    page = client_for(recruiter).get(reverse("hiring:analytics"))
    assert page.context["predicts_backwards"] == ["Culture"]
    assert "Higher scores went with <em>more</em> bad hires here" in page.text
    assert (
        '<span class="badge text-bg-danger text-wrap"><i class="bi bi-arrow-down-up"></i> '
        "Backwards</span>" in page.text
    )
    _assert_one_colour_per_verdict(page.text)


# One meaning per colour on the analytics page: grey for "not enough data / nothing
# yet", red for backwards, green for predictive; badges, callouts and legend alike.
VERDICT_COLOURS = {
    "Predicts nothing yet": "secondary",
    "Not enough data": "secondary",
    "Backwards": "danger",
    "Predicts": "success",
}


def _assert_one_colour_per_verdict(html: str) -> None:
    import re

    seen = set()
    for colour, label in re.findall(
        r'class="(?:badge|alert) (?:text-bg|alert)-(\w+)[^"]*">(?:<i [^>]*></i> )?'
        r"(?:<strong>)?([A-Z][a-z ]+?)(?::)?(?:</strong>|</span>)",
        html,
    ):
        if label in VERDICT_COLOURS:
            assert colour == VERDICT_COLOURS[label], f"{label} shown as {colour}"
            seen.add(label)
    assert seen == set(VERDICT_COLOURS)  # the legend names every verdict, each in its colour


def test_analytics_gives_each_verdict_one_colour_everywhere(client_for, recruiter):
    _history(6)
    page = client_for(recruiter).get(reverse("hiring:analytics"))
    assert (
        'class="alert alert-secondary py-2" role="note"><i class="bi bi-dash-circle"></i> '
        "<strong>Predicts nothing yet:</strong>" in page.text
    )
    _assert_one_colour_per_verdict(page.text)


def test_analytics_shows_methods_validity_and_calibration(client_for, recruiter):
    _history(6)
    page = client_for(recruiter).get(reverse("hiring:analytics"))
    assert page.status_code == 200
    assert "STAR-L framework" in page.text
    assert "Too few loops to conclude (n = 6)." in page.text
    starl_row = {r.method: r for _, r in page.context["methods"]}["starl"]
    assert starl_row.n == 6
    assert starl_row.bad_hire_rate == Decimal("0.5")
    assert "Predicts" in page.text
    assert len(page.context["calibration"]) == 12
    assert 'id="analytics-data"' in page.text
    assert "chartjs/chart.umd.min.js" in page.text


@pytest.mark.parametrize("size", [3, 12])
def test_analytics_query_count_does_not_grow_with_loops(
    client_for, recruiter, size, django_assert_num_queries
):
    _history(size)
    client = client_for(recruiter)
    client.get(reverse("hiring:analytics"))
    # session, user, groups, the stored summary, people, settings, outcomes due
    with django_assert_num_queries(7):
        client.get(reverse("hiring:analytics"))


@pytest.mark.parametrize("size", [2, 12])
def test_feedback_page_query_count_does_not_grow_with_loops(
    client_for, recruiter, loop, size, django_assert_num_queries
):
    for _ in range(size):
        submitted(InterviewFactory(loop__role_profile=loop.role_profile), technical=70)
    client = client_for(recruiter)
    client.get(reverse("hiring:loop_feedback", args=[loop.pk]))
    with django_assert_num_queries(11):
        client.get(reverse("hiring:loop_feedback", args=[loop.pk]))


# --- permissions -------------------------------------------------------------------


LOOP_PAGES = ["hiring:loop_feedback", "hiring:loop_decision", "hiring:loop_exercises"]
INTERVIEW_PAGES = [
    "hiring:starl",
    "hiring:scorecard_amend",
]


@pytest.mark.parametrize("role", ["Engineer", "Manager", "Director", "Interviewer"])
def test_people_outside_hiring_see_nothing_of_it(client_for, make_user, loop, role):
    person = make_user(role)
    client = client_for(person)
    interview = loop.interviews.get()
    for name in LOOP_PAGES:
        assert client.get(reverse(name, args=[loop.pk])).status_code == 404, name
    for name in INTERVIEW_PAGES:
        assert client.get(reverse(name, args=[interview.pk])).status_code == 404, name
    assert client.get(reverse("hiring:analytics")).status_code == 404
    assert client.post(reverse("hiring:starl_autosave", args=[interview.pk])).status_code == 404
    assert client.post(reverse("hiring:exercise_result", args=[interview.pk])).status_code == 404
    home = client.get("/")
    assert "Hiring analytics" not in home.text


def test_another_recruiters_loop_answers_404(client_for, make_user, loop):
    other = make_user("Recruiter")
    client = client_for(other)
    for name in LOOP_PAGES:
        assert client.get(reverse(name, args=[loop.pk])).status_code == 404, name
    sent = client.post(
        reverse("hiring:loop_feedback", args=[loop.pk]), {"subject": "x", "body": "y"}
    )
    assert sent.status_code == 404
    assert not CandidateFeedback.objects.exists()


def test_recruiters_and_admins_have_hiring_analytics_in_the_navigation(
    client_for, recruiter, admin_user
):
    for person in (recruiter, admin_user):
        page = client_for(person).get("/")
        assert "Hiring analytics" in page.text
        assert client_for(person).get(reverse("hiring:analytics")).status_code == 200


def test_admin_sees_any_loops_feedback(client_for, admin_user, loop):
    assert (
        client_for(admin_user).get(reverse("hiring:loop_feedback", args=[loop.pk])).status_code
        == 200
    )


def test_admin_pages_for_the_new_models_load(client_for, admin_user):
    client = client_for(admin_user)
    for model in (
        "starlquestion",
        "starlanchor",
        "exercise",
        "rolebenchmark",
        "feedbacktemplate",
        "hiringsettings",
        "loopoutcome",
        "candidatefeedback",
        "scorecardamendment",
    ):
        assert client.get(f"/admin/hiring/{model}/").status_code == 200, model


def test_seeded_periodic_tasks_exist():
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "hiring.tasks.send_scorecard_reminders",
        "hiring.tasks.send_due_exercises",
        "hiring.tasks.send_outcome_reminders",
    } <= tasks


def test_other_interviewer_cannot_open_my_starl_page(client_for, make_user):
    interview = InterviewFactory()
    stranger = UserFactory(roles=["Interviewer"])
    assert client_for(stranger).get(reverse("hiring:starl", args=[interview.pk])).status_code == 404


def test_admin_cannot_change_a_submitted_scorecard_behind_the_amendment_history(
    client_for, admin_user
):
    interview = InterviewFactory()
    card = submitted(interview, technical=70, leadership=70, culture=70)
    answer = starl_answer(card)
    client = client_for(admin_user)
    page = client.get(f"/admin/hiring/scorecard/{card.pk}/change/")
    assert page.status_code == 200
    assert 'name="technical"' not in page.text  # shown, not editable
    client.post(
        f"/admin/hiring/scorecard/{card.pk}/change/",
        {"technical": "99", "leadership": "99", "culture": "99", "status": "submitted"},
    )
    card.refresh_from_db()
    assert card.technical == Decimal(70)
    answer_page = client.get(f"/admin/hiring/starlanswer/{answer.pk}/change/")
    assert 'name="situation_rating"' not in answer_page.text


def test_admin_still_edits_a_draft_scorecard(client_for, admin_user):
    card = InterviewFactory().scorecard
    page = client_for(admin_user).get(f"/admin/hiring/scorecard/{card.pk}/change/")
    assert 'name="technical"' in page.text


def test_feedback_page_names_the_admin_tuned_loop_count_and_dimensions_left_out(
    client_for, recruiter, loop
):
    from hiring.models import HiringSettings

    HiringSettings.objects.update_or_create(pk=1, defaults={"min_loops_for_benchmarks": 25})
    RoleBenchmark.objects.filter(role_profile=loop.role_profile, dimension="culture").delete()
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    assert "Fewer than 25 submitted loops for default" in page.text
    assert "Fewer than 25 loops and no admin-entered values: left out of the feedback" in page.text
    assert "Culture:" not in page.context["form"].initial["body"]


def test_retiring_a_sent_exercise_does_not_block_the_loops_other_exercises(client_for, recruiter):
    loop = InterviewLoopFactory(recruiters=[recruiter])
    sent_interview, later = InterviewFactory(loop=loop), InterviewFactory(loop=loop)
    retired = exercise("Retired after it was sent")
    ExerciseAssignment.objects.create(
        interview=sent_interview, exercise=retired, sent_at=timezone.now()
    )
    retired.is_active = False
    retired.save()
    chosen = exercise()
    response = client_for(recruiter).post(
        reverse("hiring:loop_exercises", args=[loop.pk]),
        {f"exercise-{sent_interview.pk}": str(retired.pk), f"exercise-{later.pk}": str(chosen.pk)},
        follow=True,
    )
    assert "Exercises saved. Each is emailed 24 hours before its interview." in response.text
    assert ExerciseAssignment.objects.get(interview=later).exercise == chosen
    assert ExerciseAssignment.objects.get(interview=sent_interview).exercise == retired


def test_exercises_of_a_loop_are_saved_all_or_nothing(client_for, recruiter):
    loop = InterviewLoopFactory(recruiters=[recruiter])
    first, second = InterviewFactory(loop=loop), InterviewFactory(loop=loop)
    retired = exercise("Retired")
    retired.is_active = False
    retired.save()
    response = client_for(recruiter).post(
        reverse("hiring:loop_exercises", args=[loop.pk]),
        {f"exercise-{first.pk}": str(exercise().pk), f"exercise-{second.pk}": str(retired.pk)},
        follow=True,
    )
    assert "Retired is no longer in use." in response.text
    assert not ExerciseAssignment.objects.exists()


def test_benchmarks_round_each_loop_the_way_its_loop_page_does():
    from hiring.selectors.feedback import role_benchmarks
    from hiring.selectors.loops import loop_evaluation, loop_interviews

    profile = default_profile()
    loop = InterviewLoopFactory(role_profile=profile)
    submitted(InterviewFactory(loop=loop), technical=Decimal("82.5"))
    submitted(InterviewFactory(loop=loop), technical=Decimal("82.75"))
    shown = loop_evaluation(loop, loop_interviews(loop)).scores["technical"]
    benchmark = role_benchmarks(profile, min_loops=1)["technical"]
    assert shown == Decimal("82.63")  # 82.625, half up
    assert (benchmark.average, benchmark.top_quartile, benchmark.loops) == (shown, shown, 1)


def test_double_clicking_send_emails_the_candidate_once(
    client_for, recruiter, loop, django_capture_on_commit_callbacks
):
    client = client_for(recruiter)
    url = reverse("hiring:loop_feedback", args=[loop.pk])
    data = {"subject": "Your interviews", "body": "Thank you, Alex."}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
        client.post(url, data)
    assert CandidateFeedback.objects.count() == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "body": "Thank you, Alex. One more thing: …"})
    assert CandidateFeedback.objects.count() == 2  # a different text is a new message
    assert len(mail.outbox) == 2


def test_same_feedback_sent_again_later_is_a_new_message(recruiter, loop):
    from hiring.services.feedback import send_candidate_feedback

    first = send_candidate_feedback(
        loop=loop,
        sent_by=recruiter,
        subject="S",
        body="B",
        now=timezone.now() - dt.timedelta(hours=1),
    )
    again = send_candidate_feedback(loop=loop, sent_by=recruiter, subject="S", body="B")
    assert again.pk != first.pk


def test_feedback_page_warns_while_scorecards_are_still_pending(client_for, recruiter, loop):
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    assert "not submitted yet" not in page.text
    pending = InterviewFactory(loop=loop, title="Systems")
    page = client_for(recruiter).get(reverse("hiring:loop_feedback", args=[loop.pk]))
    assert f"1 scorecard not submitted yet (Systems, {pending.interviewer})" in page.text


def test_analytics_links_the_due_outcomes_to_the_candidate_list(client_for, recruiter):
    decided(InterviewLoopFactory(recruiters=[recruiter]), accepted=True)
    page = client_for(recruiter).get(reverse("hiring:analytics"))
    assert "1 hire with a 6-month outcome due" in page.text
    assert 'href="/hiring/candidates/?view=outcome_due">record it</a>' in page.text


def test_exercise_id_too_large_for_the_database_is_refused_not_a_server_error(
    client_for, recruiter
):
    loop = InterviewLoopFactory(recruiters=[recruiter])
    interview = InterviewFactory(loop=loop, title="System design")
    response = client_for(recruiter).post(
        reverse("hiring:loop_exercises", args=[loop.pk]),
        {f"exercise-{interview.pk}": "99999999999999999999"},
        follow=True,
    )
    assert response.status_code == 200
    assert "System design: choose an exercise from the list." in response.text
    assert not ExerciseAssignment.objects.exists()


def test_a_subject_with_a_line_break_is_refused_next_to_the_field(client_for, recruiter, loop):
    response = client_for(recruiter).post(
        reverse("hiring:loop_feedback", args=[loop.pk]),
        {"subject": "Your interviews\r\nBcc: everyone@example.com", "body": "Thank you."},
    )
    assert response.status_code == 200
    assert "Keep the subject on one line." in response.content.decode()
    assert not CandidateFeedback.objects.exists()


@pytest.mark.parametrize("start_date", ["9999-12-31", "0001-01-01"])
def test_a_start_date_no_hire_could_have_is_refused_next_to_the_field(
    client_for, recruiter, loop, start_date
):
    response = client_for(recruiter).post(
        reverse("hiring:loop_decision", args=[loop.pk]),
        {
            "decision-decision": "offer",
            "decision-offer_accepted": "true",
            "decision-start_date": start_date,
            "save_decision": "1",
        },
    )
    assert response.status_code == 200
    [message] = response.context["decision_form"].errors["start_date"]
    assert message.startswith("Enter a start date between 2000-01-01 and ")
    assert not LoopOutcome.objects.exists()


def test_the_decision_service_refuses_a_start_date_past_the_calendar(recruiter, loop):
    from datetime import date

    from django.core.exceptions import ValidationError

    from hiring.services.outcomes import record_decision

    with pytest.raises(ValidationError) as refused:
        record_decision(
            loop=loop,
            decided_by=recruiter,
            decision="offer",
            offer_accepted=True,
            hours=None,
            cost=None,
            start_date=date(9999, 12, 31),
        )
    assert "start_date" in refused.value.message_dict
    assert not LoopOutcome.objects.exists()


def test_candidate_feedback_names_the_role_by_its_title_never_its_slug(loop):
    from hiring.selectors.feedback import feedback_page

    profile = loop.role_profile
    profile.name, profile.title = "principal-backend", "Principal Backend Engineer"
    profile.save()
    page = feedback_page(loop)
    assert page.subject == "Your interviews for the Principal Backend Engineer role"
    assert "for the Principal Backend Engineer role" in page.body
    assert "Top 25% of candidates for Principal Backend Engineer" in page.body
    assert "principal-backend" not in page.subject + page.body


def test_an_untitled_role_reads_as_words_not_a_slug():
    profile = default_profile()
    profile.name, profile.title = "platform-sre", ""
    assert profile.display_name == "Platform sre"
