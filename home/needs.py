"""What needs a person now: per role, counts and the first few things, each with a link.

Reads each app only through its selectors (``hiring.selectors.waiting``,
``surveys.selectors``, ``teamhealth.alert_history``); a fixed number of queries
per role, whatever the number of teams and loops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from hiring.selectors import waiting as hiring_waiting
from surveys import selectors as survey_selectors
from teamhealth import access, alert_history, survey_summaries
from teamhealth.models import Team

# Each list shows this many items, then "see all".
FIRST = 3


@dataclass
class Row:
    text: str
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass
class Need:
    title: str
    count: int
    rows: list[Row]
    see_all_url: str
    see_all_label: str = "See all"

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass
class Section:
    title: str
    icon: str
    needs: list[Need] = field(default_factory=list)
    # Said instead of the needs when none waits; the section's usual page.
    quiet: str = ""
    usual_url: str = ""
    usual_label: str = ""

    @property
    def waiting(self) -> list[Need]:
        return [need for need in self.needs if need.count]

    @property
    def count(self) -> int:
        return sum(need.count for need in self.needs)


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b, %H:%M}"


def _days_left(due_on: date, today: date) -> str:
    left = (due_on - today).days
    if left == 0:
        return "due today"
    return f"{left} day{'s' if left != 1 else ''} left (due {due_on:%-d %b})"


def _interviewing(user: User, now: datetime) -> Section:
    to_submit = hiring_waiting.scorecards_to_submit(user, now=now, limit=FIRST)
    today = hiring_waiting.interviews_today(user, now=now, limit=FIRST)
    mine = reverse("hiring:my_interviews")
    return Section(
        title="Interviews",
        icon="clipboard-check",
        needs=[
            Need(
                "Scorecards to submit",
                to_submit.count,
                [
                    Row(
                        f"{interview.title} with {interview.loop.candidate}",
                        reverse("hiring:scorecard", args=[interview.pk]),
                        detail=(
                            f"overdue since {_day(interview.overdue_since)}"
                            if interview.overdue_since
                            else f"interviewed {_day(interview.scheduled_at)}"
                        ),
                        urgent=interview.overdue_since is not None,
                    )
                    for interview in to_submit.first
                ],
                mine,
            ),
            Need(
                "Today's interviews",
                today.count,
                [
                    Row(
                        f"{interview.title} with {interview.loop.candidate}",
                        reverse("hiring:scorecard", args=[interview.pk]),
                        detail=f"at {timezone.localtime(interview.scheduled_at):%H:%M}",
                    )
                    for interview in today.first
                ],
                mine,
            ),
        ],
        quiet="No scorecard waits for you and no interview is scheduled today.",
        usual_url=mine,
        usual_label="My interviews",
    )


def _recruiting(user: User, today: date) -> Section:
    waiting = hiring_waiting.recruiter_waiting(user, today=today, limit=FIRST)
    candidates = reverse("hiring:loop_list")

    def rows(loops, page: str, detail) -> list[Row]:
        return [
            Row(str(loop.candidate), reverse(page, args=[loop.pk]), detail=detail(loop))
            for loop in loops
        ]

    return Section(
        title="Hiring",
        icon="people",
        needs=[
            Need(
                "Loops ready for debrief",
                waiting.debrief.count,
                rows(waiting.debrief.first, "hiring:loop_detail", lambda loop: "all scorecards in"),
                f"{candidates}?view=active",
            ),
            Need(
                "6-month outcomes due",
                waiting.outcomes_due.count,
                rows(waiting.outcomes_due.first, "hiring:loop_decision", lambda loop: "hired"),
                f"{candidates}?view=outcome_due",
            ),
            Need(
                "Feedback not yet sent",
                waiting.feedback_unsent.count,
                rows(waiting.feedback_unsent.first, "hiring:loop_feedback", lambda loop: "decided"),
                f"{candidates}?view=decided",
            ),
        ],
        quiet="No loop waits for a debrief, an outcome or feedback.",
        usual_url=candidates,
        usual_label="Candidates",
    )


def _answering(user: User, now: datetime) -> Section:
    invitations = survey_selectors.rounds_to_answer(user, now=now)
    surveys = reverse("surveys:home")
    return Section(
        title="Surveys",
        icon="chat-square-heart",
        needs=[
            Need(
                "Surveys to answer",
                len(invitations),
                [
                    Row(
                        f"{invitation.round.team.name} pulse survey",
                        reverse("surveys:answer", args=[invitation.round_id]),
                        detail=f"open until {_day(invitation.round.closes_at)}",
                        urgent=True,
                    )
                    for invitation in invitations[:FIRST]
                ],
                surveys,
            )
        ],
        quiet="No survey waits for your answer.",
        usual_url=surveys,
        usual_label="Surveys",
    )


def _managing(user: User, today: date) -> Section:
    teams = Team.objects.filter(managers=user)
    to_publish = survey_selectors.results_to_publish(teams, limit=FIRST)
    plans = survey_selectors.action_plans_due(teams, today=today, limit=FIRST)
    firing = alert_history.firing_alerts(teams, today=today, limit=FIRST)
    surveys = reverse("surveys:home")
    alerts = reverse("teamhealth:alert_list")
    return Section(
        title="Your teams",
        icon="heart-pulse",
        needs=[
            Need(
                "Alerts firing",
                firing.count,
                [
                    Row(
                        alert.message,
                        reverse("teamhealth:alert_detail", args=[alert.pk]),
                        urgent=True,
                    )
                    for alert in firing.first
                ],
                f"{alerts}?{urlencode({'state': 'firing'})}",
            ),
            Need(
                "Results to publish",
                to_publish.count,
                [
                    Row(
                        survey_round.label,
                        reverse("surveys:round_results", args=[survey_round.pk]),
                        detail=f"published automatically {_day(survey_round.publish_due_at)}",
                    )
                    for survey_round in to_publish.first
                ],
                surveys,
            ),
            Need(
                "Action plans due",
                plans.count,
                [
                    Row(
                        survey_round.label,
                        reverse("surveys:action_plan", args=[survey_round.pk]),
                        detail=_days_left(
                            survey_summaries.action_plan_due_on(survey_round.closed_on), today
                        ),
                    )
                    for survey_round in plans.first
                ],
                surveys,
            ),
        ],
        quiet="No alert is firing on your teams and no results or action plan wait for you.",
        usual_url=reverse("teamhealth:my_teams"),
        usual_label="Team health",
    )


def _directing(user: User, today: date) -> Section:
    teams = access.teams_readable_by(user)
    quiet = survey_selectors.teams_without_published_round(teams, today=today, limit=FIRST)
    overdue = alert_history.overdue_action_plans(teams, limit=FIRST)
    org = reverse("teamhealth:org_overview")
    return Section(
        title="Organisation",
        icon="grid-3x3",
        needs=[
            Need(
                f"Teams without survey results in {survey_selectors.QUIET_AFTER_WEEKS} weeks",
                quiet.count,
                [
                    Row(team.name, reverse("teamhealth:team_detail", args=[team.slug]))
                    for team in quiet.first
                ],
                reverse("surveys:overview"),
            ),
            Need(
                "Teams with an overdue action plan",
                overdue.count,
                [
                    Row(
                        alert.team.name,
                        reverse("teamhealth:alert_detail", args=[alert.pk]),
                        detail=alert.message.removeprefix(f"[{alert.team.name}] "),
                        urgent=True,
                    )
                    for alert in overdue.first
                ],
                f"{reverse('teamhealth:alert_list')}?{urlencode({'metric': 'action_plan'})}",
            ),
        ],
        quiet="Every team has recent survey results and no action plan is overdue.",
        usual_url=org,
        usual_label="Org overview",
    )


def sections_for(user: User, *, now: datetime | None = None) -> list[Section]:
    """Each of the person's roles' sections, in the order they act on them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sections = []
    if user.is_interviewer:
        sections.append(_interviewing(user, now))
    if user.is_recruiter or user.is_admin:
        sections.append(_recruiting(user, today))
    if user.is_engineer:
        sections.append(_answering(user, now))
    if user.is_manager:
        sections.append(_managing(user, today))
    if access.reads_every_team(user):
        sections.append(_directing(user, today))
    # What waits comes first; the quiet sections follow, in the same order.
    return sorted(sections, key=lambda section: section.count == 0)
