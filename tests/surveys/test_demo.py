"""The survey demo data: an open round the demo engineer can answer, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from surveys.models import Comment, Invitation, SurveyRound

pytestmark = pytest.mark.django_db


def test_load_demo_opens_a_round_the_demo_engineer_has_not_answered_and_runs_twice(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    rounds = SurveyRound.objects.count()
    invitations = Invitation.objects.count()
    current = SurveyRound.objects.get(team__name="Backend Payments", status="open")
    assert current.closes_at > current.opened_at
    mine = Invitation.objects.get(round=current, user__username="engineer")
    assert not mine.has_answered
    assert Invitation.objects.filter(round=current, has_answered=True).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert SurveyRound.objects.count() == rounds
    assert Invitation.objects.count() == invitations
    assert Comment.objects.filter(round=current).count() == 2

    client = Client()
    client.force_login(User.objects.get(username="engineer"))
    home = client.get(reverse("surveys:home")).content.decode()
    assert reverse("surveys:answer", args=[current.pk]) in home
    form = client.get(reverse("surveys:answer", args=[current.pk])).content.decode()
    assert "Submit my answers" in form
    assert not SurveyRound.objects.filter(status="open", closes_at__lte=current.opened_at).exists()
    assert all(r.closes_at > timezone.now() for r in SurveyRound.objects.filter(status="open"))
