"""The same candidate on file twice: flagged at creation, merged by an admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring.models import (
    Candidate,
    CandidateFeedback,
    CandidateMerge,
    Interview,
    InterviewLoop,
    LoopOutcome,
    Scorecard,
    StarlAnswer,
)
from hiring.services.candidates import merge_candidates
from tests.factories import (
    CandidateFactory,
    InterviewFactory,
    InterviewLoopFactory,
    UserFactory,
    decided,
    default_profile,
    starl_answer,
    submitted,
)

pytestmark = pytest.mark.django_db


def _new_candidate(email, **extra):
    return {
        "name": "Alex Rivera",
        "email": email,
        "role_profile": default_profile().pk,
        "method": "starl",
        **extra,
    }


def test_an_email_already_on_file_is_flagged_trimmed_and_in_any_case(client_for, recruiter):
    existing = InterviewLoopFactory(
        recruiters=[recruiter], candidate__email="alex.rivera@example.com"
    )
    response = client_for(recruiter).post(
        reverse("hiring:loop_create"), _new_candidate("  Alex.Rivera@Example.COM ")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "A candidate with this email is already on file."
    ]
    assert existing.get_absolute_url() in response.text  # go there
    assert "create a new record anyway" in response.text
    assert Candidate.objects.count() == 1


def test_another_recruiters_record_is_named_without_a_link(client_for, recruiter, make_user):
    other = make_user("Recruiter")
    existing = InterviewLoopFactory(recruiters=[other], candidate__email="sam@example.com")
    response = client_for(recruiter).post(
        reverse("hiring:loop_create"), _new_candidate("sam@example.com")
    )
    assert "another recruiter's" in response.text
    assert existing.get_absolute_url() not in response.text


def test_creating_anyway_is_a_conscious_choice(client_for, recruiter):
    InterviewLoopFactory(candidate__email="alex@example.com")
    client = client_for(recruiter)
    response = client.post(
        reverse("hiring:loop_create"), _new_candidate("alex@example.com", create_anyway="on")
    )
    assert response.status_code == 302
    assert Candidate.objects.filter(email__iexact="alex@example.com").count() == 2


def test_a_new_email_is_created_without_asking(client_for, recruiter):
    InterviewLoopFactory(candidate__email="alex@example.com")
    response = client_for(recruiter).post(
        reverse("hiring:loop_create"), _new_candidate(" jo@example.com ")
    )
    assert response.status_code == 302
    assert Candidate.objects.filter(email="jo@example.com").exists()


# --- merging ---------------------------------------------------------------------------


def _full_loop(candidate):
    loop = InterviewLoopFactory(candidate=candidate)
    card = submitted(InterviewFactory(loop=loop), technical=80, leadership=70, culture=60)
    starl_answer(card)
    decided(loop, outcome="performing")
    CandidateFeedback.objects.create(
        loop=loop,
        subject="Your interview",
        body="Thank you.",
        sent_to=candidate.email,
        sent_by=UserFactory(),
        created_at=loop.created_at,
    )
    return loop


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            InterviewLoop,
            Interview,
            Scorecard,
            StarlAnswer,
            LoopOutcome,
            CandidateFeedback,
        )
    }


def test_merging_moves_everything_to_the_survivor_and_records_it(admin_user):
    keep = CandidateFactory(name="Alex Rivera", email="alex@example.com")
    drop = CandidateFactory(name="Alex Rivera", email="ALEX@example.com")
    _full_loop(keep)
    moved = [_full_loop(drop), _full_loop(drop)]
    before = _counts()

    merge = merge_candidates(survivor_id=keep.pk, duplicate_id=drop.pk, merged_by=admin_user)

    assert _counts() == before  # nothing lost
    assert not Candidate.objects.filter(pk=drop.pk).exists()
    assert set(keep.loops.values_list("pk", flat=True)) >= {loop.pk for loop in moved}
    assert keep.loops.count() == 3
    assert (merge.merged_candidate_id, merge.merged_email, merge.loops_moved) == (
        drop.pk,
        "ALEX@example.com",
        2,
    )
    assert merge.merged_by == admin_user


def test_earlier_merges_follow_the_record_they_were_merged_into(admin_user):
    a, b, c = CandidateFactory(), CandidateFactory(), CandidateFactory()
    merge_candidates(survivor_id=b.pk, duplicate_id=c.pk, merged_by=admin_user)
    merge_candidates(survivor_id=a.pk, duplicate_id=b.pk, merged_by=admin_user)
    assert CandidateMerge.objects.filter(survivor=a).count() == 2


def test_a_record_cannot_be_merged_with_itself(admin_user):
    candidate = CandidateFactory()
    _full_loop(candidate)
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        merge_candidates(survivor_id=candidate.pk, duplicate_id=candidate.pk, merged_by=admin_user)
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert not CandidateMerge.objects.exists()


def test_a_merge_that_fails_halfway_leaves_nothing_half_written(admin_user, monkeypatch):
    keep, drop = CandidateFactory(), CandidateFactory()
    loop = _full_loop(drop)
    before = _counts()

    def refuse(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Candidate, "delete", refuse)
    with pytest.raises(RuntimeError):
        merge_candidates(survivor_id=keep.pk, duplicate_id=drop.pk, merged_by=admin_user)

    loop.refresh_from_db()
    assert loop.candidate_id == drop.pk  # the moved loop went back
    assert not CandidateMerge.objects.exists()
    assert _counts() == before


def test_admin_merges_two_records_choosing_the_one_to_keep(client_for, admin_user):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    keep, drop = CandidateFactory(name="Keep Me"), CandidateFactory(name="Drop Me")
    _full_loop(drop)
    client = client_for(superuser)
    url = reverse("admin:hiring_candidate_changelist")
    chosen = {"action": "merge_two", ACTION_CHECKBOX_NAME: [keep.pk, drop.pk]}

    page = client.post(url, chosen)
    assert page.status_code == 200
    assert "Choose the record to keep" in page.text
    assert Candidate.objects.count() == 2  # nothing happens before the choice

    done = client.post(url, {**chosen, "survivor": keep.pk}, follow=True)
    assert "Drop Me" in done.text
    assert "merged into Keep Me: 1 loop moved." in done.text
    assert list(Candidate.objects.values_list("name", flat=True)) == ["Keep Me"]


def test_admin_merge_needs_exactly_two_records(client_for):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    one = CandidateFactory()
    response = client_for(superuser).post(
        reverse("admin:hiring_candidate_changelist"),
        {"action": "merge_two", ACTION_CHECKBOX_NAME: [one.pk]},
        follow=True,
    )
    assert "Select exactly two candidates to merge." in response.text
    assert Candidate.objects.filter(pk=one.pk).exists()


def test_staff_without_delete_permission_cannot_merge(client_for):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_candidate", "change_candidate"])
    )
    a, b = CandidateFactory(), CandidateFactory()
    response = client_for(staff).post(
        reverse("admin:hiring_candidate_changelist"),
        {"action": "merge_two", ACTION_CHECKBOX_NAME: [a.pk, b.pk], "survivor": a.pk},
    )
    assert Candidate.objects.count() == 2
    assert response.status_code in (200, 302)
