"""The survey demo data: an open round the demo engineer can answer, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from surveys.models import ActionItem, ActionStatusChange, Comment, Invitation, SurveyRound
from teamhealth.models import Team

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

    # Lived in: every team has half a year of published rounds that meet k,
    # one holiday round below k, and plans with actions in every status.
    for team in Team.objects.all():
        published = list(SurveyRound.objects.filter(team=team, status="published"))
        assert len(published) == 12, team
        assert sum(r.has_results for r in published) >= 11, team
    assert SurveyRound.objects.filter(status="published", response_count__lt=5).count() == 1
    assert set(ActionItem.objects.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "done",
    }
    assert ActionStatusChange.objects.filter(changed_by__isnull=False).exists()
    director = Client()
    director.force_login(User.objects.get(username="director"))
    heatmap = director.get(reverse("surveys:overview")).content.decode()
    assert heatmap.count("heat-cell heat-") > 6 * 4
    assert "Hidden" not in heatmap
