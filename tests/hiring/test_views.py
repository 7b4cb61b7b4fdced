from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Candidate, ExerciseAssignment, Interview, InterviewLoop, Scorecard
from tests.factories import InterviewFactory, InterviewLoopFactory, decided, exercise, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(recruiter):
    return InterviewLoopFactory(recruiters=[recruiter], candidate__name="Alex Rivera")


# --- who sees what --------------------------------------------------------------


@pytest.mark.parametrize("role", ["Engineer", "Manager", "Director", "Interviewer"])
def test_people_without_hiring_rights_get_404_on_candidates(make_user, client_for, role):
    client = client_for(make_user(role))
    assert client.get(reverse("hiring:loop_list")).status_code == 404
    assert client.get(reverse("hiring:loop_create")).status_code == 404


@pytest.mark.parametrize("role", ["Engineer", "Manager", "Director", "Recruiter"])
def test_only_interviewers_have_my_interviews(make_user, client_for, role):
    assert client_for(make_user(role)).get(reverse("hiring:my_interviews")).status_code == 404


@pytest.mark.parametrize("role", ["Engineer", "Manager", "Director", "Interviewer"])
def test_people_outside_the_loop_get_404_on_its_summary(make_user, client_for, loop, role):
    InterviewFactory(loop=loop)
    response = client_for(make_user(role)).get(loop.get_absolute_url())
    assert response.status_code == 404


def test_another_recruiters_loop_is_404(make_user, client_for, loop):
    other = make_user("Recruiter")
    client = client_for(other)
    assert client.get(loop.get_absolute_url()).status_code == 404
    assert loop.candidate.name not in client.get(reverse("hiring:loop_list")).content.decode()


def test_recruiter_of_the_loop_and_admin_read_the_summary(client_for, recruiter, admin_user, loop):
    assert client_for(recruiter).get(loop.get_absolute_url()).status_code == 200
    assert client_for(admin_user).get(loop.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ({"roles": ["Admin"]}, 200),
        ({"is_staff": True, "is_superuser": True}, 200),
        # Staff opens Django admin (each model by its own permission), not every candidate.
        ({"is_staff": True}, 404),
    ],
)
def test_only_keel_admins_and_superusers_see_every_candidate(
    make_user, client_for, loop, who, status
):
    client = client_for(make_user(*who.pop("roles", []), **who))
    assert client.get(loop.get_absolute_url()).status_code == status
    listed = loop.candidate.name in client.get(reverse("hiring:loop_list")).content.decode()
    assert listed is (status == 200)


def test_blind_scoring_interviewer_sees_summary_only_after_submitting(client_for, loop):
    mine = InterviewFactory(loop=loop)
    other = InterviewFactory(loop=loop)
    submitted(other, technical=40, leadership=50, culture=60)
    other.scorecard.notes = "Panel secret: weak on caching"
    other.scorecard.save()
    client = client_for(mine.interviewer)

    assert client.get(loop.get_absolute_url()).status_code == 404
    assert client.get(reverse("hiring:scorecard", args=[other.pk])).status_code == 404
    page = client.get(reverse("hiring:scorecard", args=[mine.pk])).content.decode()
    assert "Panel secret" not in page

    client.post(
        reverse("hiring:scorecard", args=[mine.pk]),
        {
            "technical": "80",
            "leadership": "80",
            "culture": "80",
            "recommendation": "yes",
            "submit": "1",
        },
    )
    response = client.get(loop.get_absolute_url())
    assert response.status_code == 200
    assert "Technical 40" in response.content.decode()
    assert "Panel secret: weak on caching" in response.content.decode()


def test_someone_elses_scorecard_is_404(client_for, make_user):
    interview = InterviewFactory()
    client = client_for(make_user("Interviewer"))
    assert client.get(reverse("hiring:scorecard", args=[interview.pk])).status_code == 404
    response = client.post(
        reverse("hiring:scorecard", args=[interview.pk]),
        {
            "technical": "1",
            "leadership": "1",
            "culture": "1",
            "recommendation": "no",
            "submit": "1",
        },
    )
    assert response.status_code == 404
    assert Scorecard.objects.get(interview=interview).technical is None


def test_interviewer_cannot_add_interviews_to_a_loop(client_for, loop):
    mine = InterviewFactory(loop=loop)
    submitted(mine, technical=80, leadership=80, culture=80)
    response = client_for(mine.interviewer).post(
        loop.get_absolute_url(),
        {
            "title": "Extra",
            "interviewer": mine.interviewer.pk,
            "scheduled_at": "2030-01-01T10:00",
            "dimensions": ["technical"],
        },
    )
    assert response.status_code == 404
    assert loop.interviews.count() == 1


def test_pages_need_a_signed_in_user(client, loop):
    for url in (
        reverse("home"),
        reverse("hiring:loop_list"),
        reverse("hiring:my_interviews"),
        loop.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- the recruiter's journey ------------------------------------------------------


def test_recruiter_creates_candidate_and_loop(client_for, recruiter):
    response = client_for(recruiter).post(
        reverse("hiring:loop_create"),
        {
            "name": "Morgan Chen",
            "email": "morgan@example.com",
            "role_profile": 1,
            "method": "combined",
        },
        follow=True,
    )
    loop = InterviewLoop.objects.get()
    assert response.redirect_chain[-1][0] == loop.get_absolute_url()
    assert loop.candidate.name == "Morgan Chen"
    assert list(loop.recruiters.all()) == [recruiter]


def test_bad_candidate_input_is_reported_next_to_the_fields_and_nothing_saved(
    client_for, recruiter
):
    response = client_for(recruiter).post(
        reverse("hiring:loop_create"),
        {"name": " ", "email": "not-an-email", "role_profile": "", "method": "astrology"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "email", "role_profile", "method"}
    assert "Enter a valid email address." in form.errors["email"]
    assert not Candidate.objects.exists()


def test_recruiter_assigns_an_interviewer(client_for, recruiter, loop, interviewer):
    response = client_for(recruiter).post(
        loop.get_absolute_url(),
        {
            "title": "System design",
            "interviewer": interviewer.pk,
            "scheduled_at": "2030-01-01T10:00",
            "dimensions": ["technical", "culture"],
        },
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.interviewer == interviewer
    assert interview.dimensions == ["technical", "culture"]


def test_assigning_a_non_interviewer_is_refused_next_to_the_field(
    client_for, recruiter, loop, make_user
):
    engineer = make_user("Engineer")
    response = client_for(recruiter).post(
        loop.get_absolute_url(),
        {"title": "System design", "interviewer": engineer.pk, "scheduled_at": "2030-01-01T10:00"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "interviewer" in errors
    assert errors["dimensions"] == ["Choose at least one dimension to assess."]
    assert not Interview.objects.exists()


def test_loop_summary_shows_means_total_flags_and_gaps(client_for, recruiter, loop):
    first = InterviewFactory(loop=loop, assesses_leadership=False)
    second = InterviewFactory(loop=loop, assesses_leadership=False)
    submitted(first, technical=60, culture=90)
    submitted(second, technical=65, culture=80)
    response = client_for(recruiter).get(loop.get_absolute_url())
    evaluation = response.context["evaluation"]
    assert str(evaluation.scores["technical"]) == "62.50"
    assert evaluation.scores["leadership"] is None
    assert evaluation.total is None
    assert evaluation.flags == ["Technical score 62.5 below minimum 70"]
    html = response.content.decode()
    assert "not assessed yet" in html
    assert "Not assessed yet: Leadership" in html


# --- the interviewer's journey ----------------------------------------------------


def test_my_interviews_splits_upcoming_to_score_and_done(client_for, interviewer):
    now = timezone.now()
    upcoming = InterviewFactory(interviewer=interviewer, scheduled_at=now + timedelta(days=1))
    to_score = InterviewFactory(interviewer=interviewer, scheduled_at=now - timedelta(hours=1))
    done = InterviewFactory(interviewer=interviewer, scheduled_at=now - timedelta(days=1))
    submitted(done, technical=80, leadership=80, culture=80)
    context = client_for(interviewer).get(reverse("hiring:my_interviews")).context
    assert context["groups"]["upcoming"] == [upcoming]
    assert context["groups"]["to_score"] == [to_score]
    assert list(context["done"]) == [done]


def test_my_interviews_pages_and_searches_the_done_list(client_for, interviewer):
    now = timezone.now()
    for index in range(30):
        interview = InterviewFactory(
            interviewer=interviewer,
            scheduled_at=now - timedelta(days=40 - index),
            loop__candidate__name=f"Done {index:02}",
        )
        submitted(interview, technical=80, leadership=80, culture=80)
    pending = InterviewFactory(interviewer=interviewer, scheduled_at=now + timedelta(days=1))
    client = client_for(interviewer)
    url = reverse("hiring:my_interviews")
    first = client.get(url).context
    assert (first["done_page"].count, first["done_page"].has_next) == (30, True)
    assert [i.loop.candidate.name for i in first["done"]][:2] == ["Done 29", "Done 28"]
    assert len(first["done"]) == 25
    assert first["groups"]["upcoming"] == [pending]
    second = client.get(url, {"page": 2}).context
    assert (second["done_page"].has_previous, second["done_page"].has_next) == (True, False)
    assert [i.loop.candidate.name for i in second["done"]] == [
        f"Done {i:02}" for i in range(4, -1, -1)
    ]
    found = client.get(url, {"q": " done 1"}).context
    assert sorted(i.loop.candidate.name for i in found["done"]) == [
        f"Done {i}" for i in range(10, 20)
    ]
    role = first["done"][0].loop.role_profile.name
    assert client.get(url, {"q": role}).context["done_page"].count >= 1
    nothing = client.get(url, {"q": "nobody at all"})
    assert "No submitted scorecard matches your search." in nothing.content.decode()
    assert client.get(url, {"q": "a\x00b", "page": "x"}).status_code == 200


def test_interviewer_saves_a_draft_then_submits_and_sees_the_result(client_for):
    interview = InterviewFactory()
    client = client_for(interview.interviewer)
    url = reverse("hiring:scorecard", args=[interview.pk])
    client.post(url, {"technical": "82.5", "draft": "1"})
    card = Scorecard.objects.get(interview=interview)
    assert card.status == "draft"
    assert str(card.technical) == "82.50"

    page = client.get(url)
    assert page.context["form"].initial["technical"] == card.technical

    response = client.post(
        url,
        {
            "technical": "82.5",
            "leadership": "78",
            "culture": "91",
            "recommendation": "yes",
            "submit": "1",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "82.63" in html
    assert "No flags" in html


def test_submitted_scorecard_cannot_be_edited_through_the_page(client_for):
    interview = InterviewFactory()
    submitted(interview, technical=80, leadership=80, culture=80)
    client = client_for(interview.interviewer)
    url = reverse("hiring:scorecard", args=[interview.pk])
    response = client.post(
        url,
        {
            "technical": "10",
            "leadership": "10",
            "culture": "10",
            "recommendation": "no",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert Scorecard.objects.get(interview=interview).technical == 80


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("technical", "100.01", "Technical score must be between 0 and 100"),
        ("leadership", "-0.01", "Leadership score must be between 0 and 100"),
        ("culture", "abc", "Culture score must be a number."),
    ],
)
def test_bad_scores_are_reported_next_to_the_field(client_for, field, value, message):
    interview = InterviewFactory()
    data = {
        "technical": "80",
        "leadership": "80",
        "culture": "80",
        "recommendation": "yes",
        "submit": "1",
    }
    data[field] = value
    response = client_for(interview.interviewer).post(
        reverse("hiring:scorecard", args=[interview.pk]), data
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    card = Scorecard.objects.get(interview=interview)
    assert card.status == "draft"
    assert card.technical is None


def test_submit_without_recommendation_explains_what_is_missing(client_for):
    interview = InterviewFactory()
    response = client_for(interview.interviewer).post(
        reverse("hiring:scorecard", args=[interview.pk]),
        {"technical": "80", "leadership": "80", "submit": "1"},
    )
    errors = response.context["form"].errors
    assert errors["culture"] == ["Culture score is required to submit."]
    assert errors["recommendation"] == ["Choose a recommendation to submit."]


# --- constant queries as data grows --------------------------------------------------


def _fill_loops(recruiter, count):
    for _ in range(count):
        loop = InterviewLoopFactory(recruiters=[recruiter])
        submitted(InterviewFactory(loop=loop), technical=80, leadership=70, culture=90)
        InterviewFactory(loop=loop)


@pytest.mark.parametrize("size", [2, 12])
def test_candidate_list_query_count_is_constant(
    client_for, recruiter, django_assert_num_queries, size
):
    _fill_loops(recruiter, size)
    for loop in InterviewLoop.objects.all()[: size // 2]:
        decided(loop, accepted=True)  # started 190 days ago: outcome due
    client = client_for(recruiter)
    # session, user, groups, hiring settings, tab counts, the page's loops, their interviews
    with django_assert_num_queries(7):
        response = client.get(reverse("hiring:loop_list"))
    assert len(response.context["loops"]) == size
    assert response.text.count("</i> 6-month outcome due</a>") == size // 2


def _hire(recruiter, *, started_days_ago, outcome=""):
    loop = InterviewLoopFactory(recruiters=[recruiter])
    record = decided(loop, accepted=True, outcome=outcome)
    record.start_date = timezone.localdate() - timedelta(days=started_days_ago)
    record.save()
    return loop


def test_candidate_list_marks_hires_whose_six_month_outcome_is_due(client_for, recruiter):
    due_today = _hire(recruiter, started_days_ago=182)
    overdue = _hire(recruiter, started_days_ago=400)
    _hire(recruiter, started_days_ago=181)  # due tomorrow
    _hire(recruiter, started_days_ago=400, outcome="performing")
    declined = InterviewLoopFactory(recruiters=[recruiter])
    decided(declined, accepted=False)
    response = client_for(recruiter).get(reverse("hiring:loop_list"))
    due = {loop.pk for loop in response.context["loops"] if loop.outcome_due}
    assert due == {due_today.pk, overdue.pk}
    assert "2 hires with a 6-month outcome due" in response.text
    assert 'href="?view=outcome_due">Show them</a>' in response.text
    only_due = client_for(recruiter).get(reverse("hiring:loop_list"), {"view": "outcome_due"})
    assert {loop.pk for loop in only_due.context["loops"]} == {due_today.pk, overdue.pk}
    tabs = {tab["key"]: tab["count"] for tab in only_due.context["tabs"]}
    assert tabs["outcome_due"] == 2
    decision_url = reverse("hiring:loop_decision", args=[due_today.pk])
    assert f'href="{decision_url}"><i class="bi bi-bell"></i> 6-month outcome due' in response.text


def test_outcome_due_without_start_date_counts_from_the_decision(client_for, recruiter):
    loop = _hire(recruiter, started_days_ago=0)
    record = loop.outcome
    record.start_date = None
    record.decided_at = timezone.now() - timedelta(days=183)
    record.save()
    response = client_for(recruiter).get(reverse("hiring:loop_list"))
    assert [loop.outcome_due for loop in response.context["loops"]] == [True]


def test_outcome_due_days_are_admin_tunable(client_for, recruiter):
    from hiring.models import HiringSettings

    _hire(recruiter, started_days_ago=30)
    HiringSettings.objects.update_or_create(pk=1, defaults={"outcome_due_days": 30})
    response = client_for(recruiter).get(reverse("hiring:loop_list"))
    assert [loop.outcome_due for loop in response.context["loops"]] == [True]


def test_candidate_list_tabs_search_and_pages(client_for, recruiter):
    for index in range(27):
        InterviewLoopFactory(recruiters=[recruiter], candidate__name=f"Active {index:02}")
    InterviewLoopFactory(
        recruiters=[recruiter], candidate__name="Done Person", status=InterviewLoop.Status.DECIDED
    )
    client = client_for(recruiter)
    url = reverse("hiring:loop_list")

    first = client.get(url)
    assert len(first.context["loops"]) == 25
    assert {t["key"]: t["count"] for t in first.context["tabs"]} == {
        "active": 27,
        "decided": 1,
        "all": 28,
        "outcome_due": 0,
    }
    assert len(client.get(url, {"page": 2}).context["loops"]) == 2
    decided = client.get(url, {"view": "decided"}).context["loops"]
    assert [loop.candidate.name for loop in decided] == ["Done Person"]
    found = client.get(url, {"view": "all", "q": "active 0"}).context["loops"]
    assert sorted(loop.candidate.name for loop in found) == [f"Active {i:02}" for i in range(10)]
    assert client.get(url, {"view": "nonsense", "page": "x"}).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_my_interviews_query_count_is_constant(
    client_for, interviewer, django_assert_num_queries, size
):
    for index in range(size):
        interview = InterviewFactory(interviewer=interviewer)
        if index % 2:
            submitted(interview, technical=80, leadership=70, culture=90)
    client = client_for(interviewer)
    with django_assert_num_queries(6):
        response = client.get(reverse("hiring:my_interviews"))
    shown = sum(len(v) for v in response.context["groups"].values()) + len(response.context["done"])
    assert shown == size


@pytest.mark.parametrize("size", [2, 12])
def test_loop_summary_query_count_is_constant(
    client_for, recruiter, django_assert_num_queries, size
):
    loop = InterviewLoopFactory(recruiters=[recruiter])
    for index in range(size):
        interview = InterviewFactory(loop=loop)
        submitted(interview, technical=80, leadership=70, culture=90)
        for change in range(index % 3):  # 0, 1 or 2 amendments per scorecard
            _amend(interview, technical=81 + change)
        if index % 2:
            ExerciseAssignment.objects.create(
                interview=interview, exercise=exercise(), met_target=True, measured="140 ms"
            )
    client = client_for(recruiter)
    # one more than before the history was shown: all the loop's amendments with
    # the people who made them, in one query
    with django_assert_num_queries(7):
        response = client.get(loop.get_absolute_url())
    assert len(response.context["interviews"]) == size
    assert response.text.count("after it was submitted") == sum(
        1 for index in range(size) if index % 3
    )
    assert response.text.count("met the target</span>, measured 140 ms") == size // 2


def test_loop_page_shows_each_exercise_and_its_result(client_for, recruiter, loop):
    done, upcoming = InterviewFactory(loop=loop), InterviewFactory(loop=loop)
    ExerciseAssignment.objects.create(
        interview=done,
        exercise=exercise(),
        sent_at=timezone.now(),
        met_target=False,
        measured="450 ms",
    )
    ExerciseAssignment.objects.create(interview=upcoming, exercise=exercise("Add the index"))
    page = client_for(recruiter).get(loop.get_absolute_url())
    assert "Exercise: Make the slow query fast (target &lt; 200 ms)" in page.text
    assert "missed the target</span>, measured 450 ms" in page.text
    words = " ".join(page.text.split())
    assert "Exercise: Add the index (target &lt; 200 ms) · not emailed yet" in words
    assert "result not recorded" not in page.text
    ExerciseAssignment.objects.filter(interview=upcoming).update(sent_at=timezone.now())
    page = client_for(recruiter).get(loop.get_absolute_url())
    assert "result not recorded yet" in page.text


def _amend(interview, **scores):
    from hiring.services.scorecards import amend_scorecard

    card = interview.scorecard
    return amend_scorecard(
        scorecard_id=card.pk,
        amended_by=interview.interviewer,
        reason="Typed the wrong number",
        scores={**card.scores, **scores},
        recommendation="strong_yes",
        notes=card.notes,
    )


def test_recruiter_reads_the_history_of_amendments_on_the_loop_page(client_for, recruiter, loop):
    interview = InterviewFactory(loop=loop)
    submitted(interview, technical=70, leadership=70, culture=70)
    _amend(interview, technical=82)
    page = client_for(recruiter).get(loop.get_absolute_url())
    assert "Amended 1 time after it was submitted" in page.text
    assert f"by {interview.interviewer} · Reason: Typed the wrong number" in page.text
    assert "Technical: 70.00 → 82.00" in page.text
    assert "Recommendation: Yes → Strong Yes" in page.text


def test_loop_page_without_amendments_says_nothing_about_them(client_for, recruiter, loop):
    submitted(InterviewFactory(loop=loop), technical=70, leadership=70, culture=70)
    assert "after it was submitted" not in client_for(recruiter).get(loop.get_absolute_url()).text


def test_draft_scorecard_says_how_a_submitted_one_can_still_change(client_for, interviewer):
    interview = InterviewFactory(interviewer=interviewer)
    page = client_for(interviewer).get(reverse("hiring:scorecard", args=[interview.pk]))
    assert "changes only by an amendment with a reason" in page.text
    assert "cannot be edited" not in page.text


def test_a_decided_loop_takes_no_more_interviews(client_for, recruiter, interviewer):
    loop = InterviewLoopFactory(recruiters=[recruiter], status=InterviewLoop.Status.DECIDED)
    client = client_for(recruiter)
    assert "Add an interview" not in client.get(loop.get_absolute_url()).content.decode()
    response = client.post(
        loop.get_absolute_url(),
        {
            "title": "Late extra",
            "interviewer": interviewer.pk,
            "scheduled_at": "2030-01-01T10:00",
            "dimensions": ["technical"],
        },
    )
    assert response.status_code == 200
    assert "Loop decided" in response.content.decode()
    assert not loop.interviews.exists()


def test_a_nul_character_in_the_search_box_is_a_message_beside_it_not_an_error(
    client_for, recruiter
):
    InterviewLoopFactory(recruiters=[recruiter], candidate__name="Morgan Chen")
    response = client_for(recruiter).get(reverse("hiring:loop_list"), {"q": "Mor\x00gan"})
    assert response.status_code == 200
    # No database column holds NUL (PostgreSQL refuses the query): the search is left out.
    assert response.context["search_errors"] == ["Null characters are not allowed."]
    assert response.context["q"] == ""
    assert 'id="loop-search-error"' in response.text
    assert [loop.candidate.name for loop in response.context["loops"]] == ["Morgan Chen"]


def test_a_candidate_name_with_a_line_break_is_refused_next_to_the_field(client_for, recruiter):
    response = client_for(recruiter).post(
        reverse("hiring:loop_create"),
        {
            "name": "Morgan\r\nBcc: everyone@example.com",
            "email": "morgan@example.com",
            "role_profile": 1,
            "method": "combined",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Keep the name on one line."]
    assert not Candidate.objects.exists()


# --- a scorecard before its interview, and its last save --------------------------

_SUBMIT = {"technical": "80", "leadership": "75", "culture": "70", "recommendation": "yes"}


def test_scorecard_is_not_submitted_before_its_interview_starts(client_for):
    interview = InterviewFactory(scheduled_at=timezone.now() + timedelta(hours=3))
    client = client_for(interview.interviewer)
    page = client.get(reverse("hiring:scorecard", args=[interview.pk]))
    assert "This scorecard can be submitted once the interview starts (" in page.text
    response = client.post(
        reverse("hiring:scorecard", args=[interview.pk]), {**_SUBMIT, "submit": "1"}
    )
    assert response.status_code == 200
    assert 'id="submit-errors"' in response.text
    assert "can be submitted once the interview starts" in response.text
    interview.scorecard.refresh_from_db()
    assert interview.scorecard.status == Scorecard.Status.DRAFT
    assert interview.scorecard.technical is None  # stores nothing
    interview.loop.refresh_from_db()
    assert interview.loop.status == InterviewLoop.Status.INTERVIEWING


def test_scorecard_is_submitted_once_its_interview_has_started(client_for):
    interview = InterviewFactory(scheduled_at=timezone.now() - timedelta(minutes=1))
    client = client_for(interview.interviewer)
    page = client.get(reverse("hiring:scorecard", args=[interview.pk]))
    assert "can be submitted once the interview starts" not in page.text
    client.post(reverse("hiring:scorecard", args=[interview.pk]), {**_SUBMIT, "submit": "1"})
    interview.scorecard.refresh_from_db()
    assert interview.scorecard.status == Scorecard.Status.SUBMITTED


def test_draft_last_saved_shows_only_once_the_interviewer_has_saved(client_for):
    interview = InterviewFactory()
    client = client_for(interview.interviewer)
    url = reverse("hiring:scorecard", args=[interview.pk])
    assert "Draft last saved" not in client.get(url).text
    client.post(url, {"technical": "80", "draft": "1"})
    assert "Draft last saved" in client.get(url).text


def test_decided_tab_shows_each_decision_its_date_and_the_6_month_outcome(client_for, recruiter):
    def decided_loop(name, **kwargs):
        loop = InterviewLoopFactory(
            recruiters=[recruiter], candidate__name=name, status=InterviewLoop.Status.DECIDED
        )
        return decided(loop, **kwargs)

    hired = decided_loop("Hana Hired", outcome="bad_hire")
    decided_loop("Dana Declined", accepted=False)
    decided_loop("Nico Nooffer", offer=False)
    decided_loop("Pat Pending")  # accepted, 6-month outcome not recorded yet
    page = client_for(recruiter).get(reverse("hiring:loop_list"), {"view": "decided"})
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.text.split("<tr>")[2:]}
    day = f"{timezone.localtime(hired.decided_at):%d %b %Y}".lstrip("0")
    assert f"Offer, accepted · {day}<br>6 months: Bad hire" in rows["Hana Hired"]
    assert f"Offer, declined · {day}</div>" in rows["Dana Declined"]
    assert f"No offer · {day}</div>" in rows["Nico Nooffer"]
    assert f"Offer, accepted · {day}<br>6 months: not recorded yet" in rows["Pat Pending"]


@pytest.mark.parametrize("size", [2, 12])
def test_decided_tab_query_count_is_constant(
    client_for, recruiter, django_assert_num_queries, size
):
    for index in range(size):
        loop = InterviewLoopFactory(recruiters=[recruiter], status=InterviewLoop.Status.DECIDED)
        decided(loop, outcome="performing" if index % 2 else "")
    client = client_for(recruiter)
    # session, user, groups, hiring settings, tab counts, the page's loops, their interviews
    with django_assert_num_queries(7):
        response = client.get(reverse("hiring:loop_list"), {"view": "decided"})
    assert response.text.count('data-testid="decision"') == size


def test_my_interviews_caps_the_done_count(client_for, interviewer, monkeypatch):
    monkeypatch.setattr("hiring.selectors.scorecards.DONE_COUNT_CAP", 3)
    for _ in range(5):
        submitted(InterviewFactory(interviewer=interviewer), technical=70)
    response = client_for(interviewer).get(reverse("hiring:my_interviews"))
    assert (response.context["done_page"].count, response.context["done_page"].more) == (3, True)
    assert len(response.context["done"]) == 5
    assert 'data-testid="done-count">3+</span>' in response.text
