from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hiring.models import InterviewLoop, RoleProfile, Scorecard
from hiring.services.loops import create_candidate_with_loop, schedule_interview
from hiring.services.scorecards import amend_scorecard, save_scorecard_draft, submit_scorecard
from tests.factories import (
    InterviewFactory,
    InterviewLoopFactory,
    UserFactory,
    default_profile,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_seeded_role_profiles_carry_the_product_defaults():
    profiles = {p.name: p for p in RoleProfile.objects.all()}
    assert set(profiles) == {"default", "senior-backend", "senior-frontend", "staff"}
    staff = profiles["staff"]
    assert (staff.weight_technical, staff.weight_leadership, staff.weight_culture) == (
        Decimal("0.30"),
        Decimal("0.50"),
        Decimal("0.20"),
    )
    default = profiles["default"]
    assert (default.min_technical, default.min_leadership, default.min_culture) == (70, 65, 60)


def test_role_profile_weights_not_summing_to_1_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleProfile.objects.create(
            name="broken",
            weight_technical=Decimal("0.50"),
            weight_leadership=Decimal("0.35"),
            weight_culture=Decimal("0.20"),
        )


def test_role_profile_clean_explains_the_weights_sum():
    profile = RoleProfile(
        name="broken",
        weight_technical=Decimal("0.50"),
        weight_leadership=Decimal("0.35"),
        weight_culture=Decimal("0.20"),
    )
    with pytest.raises(ValidationError) as excinfo:
        profile.full_clean()
    assert "Weights must sum to 1 (technical + leadership + culture = 1.05)." in str(excinfo.value)


def test_create_candidate_with_loop_makes_the_creator_its_recruiter():
    recruiter = UserFactory(roles=["Recruiter"])
    loop = create_candidate_with_loop(
        recruiter=recruiter,
        name="Alex Rivera",
        email="alex@example.com",
        role_profile=default_profile(),
        method="starl",
    )
    assert list(loop.recruiters.all()) == [recruiter]
    assert loop.status == InterviewLoop.Status.PLANNING


def test_create_candidate_with_bad_method_saves_nothing():
    recruiter = UserFactory(roles=["Recruiter"])
    with pytest.raises(ValidationError):
        create_candidate_with_loop(
            recruiter=recruiter,
            name="Alex Rivera",
            email="alex@example.com",
            role_profile=default_profile(),
            method="astrology",
        )
    assert not InterviewLoop.objects.exists()
    from hiring.models import Candidate

    assert not Candidate.objects.exists()


def test_schedule_interview_creates_a_draft_scorecard_and_starts_the_loop():
    loop = InterviewLoopFactory(status=InterviewLoop.Status.PLANNING)
    interviewer = UserFactory(roles=["Interviewer"])
    interview = schedule_interview(
        loop=loop,
        interviewer=interviewer,
        title="System design",
        scheduled_at=timezone.now(),
        dimensions=["technical"],
    )
    assert interview.scorecard.status == Scorecard.Status.DRAFT
    assert interview.dimensions == ["technical"]
    loop.refresh_from_db()
    assert loop.status == InterviewLoop.Status.INTERVIEWING


def test_schedule_interview_refuses_someone_who_is_not_an_interviewer():
    with pytest.raises(ValidationError) as excinfo:
        schedule_interview(
            loop=InterviewLoopFactory(),
            interviewer=UserFactory(roles=["Engineer"]),
            title="System design",
            scheduled_at=timezone.now(),
            dimensions=["technical"],
        )
    assert excinfo.value.message_dict == {"interviewer": ["This person is not an interviewer."]}


def test_schedule_interview_needs_a_dimension():
    with pytest.raises(ValidationError):
        schedule_interview(
            loop=InterviewLoopFactory(),
            interviewer=UserFactory(roles=["Interviewer"]),
            title="System design",
            scheduled_at=timezone.now(),
            dimensions=[],
        )


def _scores(t="82.5", lead="78", c="91"):
    return {"technical": Decimal(t), "leadership": Decimal(lead), "culture": Decimal(c)}


def test_submit_scorecard_stores_scores_and_freezes_it():
    interview = InterviewFactory()
    card = submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interview.interviewer,
        scores=_scores(),
        recommendation="yes",
    )
    assert card.is_submitted
    assert card.submitted_at is not None
    assert card.evaluate(interview.loop.role_profile).total == Decimal("82.63")
    with pytest.raises(ValidationError, match="can no longer be edited"):
        save_scorecard_draft(
            scorecard_id=card.pk, interviewer=interview.interviewer, scores=_scores(t="10")
        )
    card.refresh_from_db()
    assert card.technical == Decimal("82.50")


def test_submit_scorecard_rejects_score_above_100_and_saves_nothing():
    interview = InterviewFactory()
    with pytest.raises(ValidationError) as excinfo:
        submit_scorecard(
            scorecard_id=interview.scorecard.pk,
            interviewer=interview.interviewer,
            scores=_scores(c="100.01"),
            recommendation="yes",
        )
    assert "Culture score must be between 0 and 100" in excinfo.value.message_dict["culture"][0]
    card = Scorecard.objects.get(pk=interview.scorecard.pk)
    assert card.status == Scorecard.Status.DRAFT
    assert card.technical is None


def test_submit_scorecard_requires_every_assessed_dimension_and_a_recommendation():
    interview = InterviewFactory(assesses_culture=False)
    with pytest.raises(ValidationError) as excinfo:
        submit_scorecard(
            scorecard_id=interview.scorecard.pk,
            interviewer=interview.interviewer,
            scores={"technical": Decimal(80), "leadership": None},
            recommendation="",
        )
    assert set(excinfo.value.message_dict) == {"leadership", "recommendation"}


def test_scores_for_dimensions_not_assessed_are_dropped():
    interview = InterviewFactory(assesses_leadership=False, assesses_culture=False)
    card = submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interview.interviewer,
        scores=_scores(),
        recommendation="no",
    )
    assert (card.technical, card.leadership, card.culture) == (Decimal("82.50"), None, None)


def test_only_the_assigned_interviewer_can_fill_the_scorecard():
    interview = InterviewFactory()
    with pytest.raises(PermissionDenied):
        save_scorecard_draft(
            scorecard_id=interview.scorecard.pk,
            interviewer=UserFactory(roles=["Interviewer"]),
            scores=_scores(),
        )


def test_draft_keeps_gaps_and_last_submission_moves_loop_to_debrief():
    loop = InterviewLoopFactory()
    first = InterviewFactory(loop=loop)
    second = InterviewFactory(loop=loop, scheduled_at=timezone.now() - timedelta(hours=1))
    save_scorecard_draft(
        scorecard_id=first.scorecard.pk,
        interviewer=first.interviewer,
        scores={"technical": Decimal(70), "leadership": None, "culture": None},
    )
    first.scorecard.refresh_from_db()
    assert first.scorecard.technical == 70
    assert first.scorecard.leadership is None
    for interview in (first, second):
        submit_scorecard(
            scorecard_id=interview.scorecard.pk,
            interviewer=interview.interviewer,
            scores=_scores(),
            recommendation="yes",
        )
    loop.refresh_from_db()
    assert loop.status == InterviewLoop.Status.DEBRIEF


def test_database_refuses_a_score_out_of_range_through_any_door():
    interview = InterviewFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Scorecard.objects.filter(pk=interview.scorecard.pk).update(technical=Decimal("100.5"))


def test_schedule_interview_refuses_a_decided_loop():
    loop = InterviewLoopFactory(status=InterviewLoop.Status.DECIDED)
    with pytest.raises(ValidationError, match="no more interviews can be added"):
        schedule_interview(
            loop=loop,
            interviewer=UserFactory(roles=["Interviewer"]),
            title="Late extra",
            scheduled_at=timezone.now(),
            dimensions=["technical"],
        )
    assert not loop.interviews.exists()


def test_amendment_keeps_the_recorded_score_of_a_dimension_it_leaves_out():
    interview = InterviewFactory()
    card = submitted(interview, technical=70, leadership=60, culture=75)
    amendment = amend_scorecard(
        scorecard_id=card.pk,
        amended_by=interview.interviewer,
        reason="Typed the wrong number",
        scores={"technical": Decimal(82)},
        recommendation="yes",
        notes="",
    )
    card.refresh_from_db()
    assert (card.technical, card.leadership, card.culture) == (82, 60, 75)
    assert amendment.changes == [("technical", "70.00", "82.00")]


def test_amendment_refuses_to_clear_an_assessed_score():
    interview = InterviewFactory()
    card = submitted(interview, technical=70, leadership=60, culture=75)
    with pytest.raises(ValidationError) as error:
        amend_scorecard(
            scorecard_id=card.pk,
            amended_by=interview.interviewer,
            reason="Not sure any more",
            scores={"culture": None},
            recommendation="yes",
            notes="",
        )
    assert error.value.message_dict == {"culture": ["Culture score is required."]}


def test_adding_an_interview_to_a_loop_ready_for_debrief_takes_it_back_to_interviewing():
    loop = InterviewLoopFactory()
    interview = InterviewFactory(loop=loop)
    submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interview.interviewer,
        scores=_scores(),
        recommendation="yes",
    )
    loop.refresh_from_db()
    assert loop.status == InterviewLoop.Status.DEBRIEF
    schedule_interview(
        loop=loop,
        interviewer=UserFactory(roles=["Interviewer"]),
        title="Behavioural",
        scheduled_at=timezone.now(),
        dimensions=["leadership"],
    )
    loop.refresh_from_db()
    assert loop.status == InterviewLoop.Status.INTERVIEWING
    assert loop.get_status_display() == "Interviewing"


def test_a_new_interview_moves_the_loop_back_even_from_a_copy_loaded_before_the_submit():
    loop = InterviewLoopFactory()
    interview = InterviewFactory(loop=loop)
    stale = InterviewLoop.objects.get(pk=loop.pk)  # loaded while still interviewing
    submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interview.interviewer,
        scores=_scores(),
        recommendation="yes",
    )
    assert InterviewLoop.objects.get(pk=loop.pk).status == InterviewLoop.Status.DEBRIEF
    schedule_interview(
        loop=stale,
        interviewer=UserFactory(roles=["Interviewer"]),
        title="Behavioural",
        scheduled_at=timezone.now(),
        dimensions=["leadership"],
    )
    assert InterviewLoop.objects.get(pk=loop.pk).status == InterviewLoop.Status.INTERVIEWING
    assert stale.status == InterviewLoop.Status.INTERVIEWING


def test_submit_scorecard_refuses_before_the_interview_starts_and_saves_nothing():
    interview = InterviewFactory()
    starts = interview.scheduled_at
    with pytest.raises(ValidationError, match="can be submitted once the interview starts"):
        submit_scorecard(
            scorecard_id=interview.scorecard.pk,
            interviewer=interview.interviewer,
            scores=_scores(),
            recommendation="yes",
            now=starts - timedelta(seconds=1),
        )
    interview.scorecard.refresh_from_db()
    assert interview.scorecard.status == Scorecard.Status.DRAFT
    assert interview.scorecard.technical is None
    card = submit_scorecard(
        scorecard_id=interview.scorecard.pk,
        interviewer=interview.interviewer,
        scores=_scores(),
        recommendation="yes",
        now=starts,
    )
    assert card.is_submitted


def test_only_a_save_by_the_interviewer_sets_last_saved():
    interview = InterviewFactory()
    assert interview.scorecard.saved_at is None
    card = save_scorecard_draft(
        scorecard_id=interview.scorecard.pk,
        interviewer=interview.interviewer,
        scores={"technical": Decimal(70)},
    )
    assert card.saved_at is not None
