"""Demo teams for ``manage.py load_demo``."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User

from .models import Membership, Team

DEMO_TEAMS: dict[str, tuple[str, list[str]]] = {
    "Backend Payments": ("manager", ["engineer", "priya", "tom", "lena", "sam", "noor"]),
    "Frontend Platform": ("raj", ["omar", "kate"]),
}


def load_teams(people: dict[str, User]) -> dict[str, Team]:
    today = timezone.localdate()
    teams = {}
    for index, (name, (manager, members)) in enumerate(DEMO_TEAMS.items()):
        team, _ = Team.objects.get_or_create(name=name)
        team.managers.add(people[manager])
        for offset, username in enumerate(members):
            Membership.objects.get_or_create(
                team=team,
                user=people[username],
                left_on=None,
                defaults={"joined_on": today - timedelta(days=400 - 30 * offset - 7 * index)},
            )
        teams[name] = team
    return teams


# Per team: metric -> 14 values, oldest first (two-week periods ending now).
# None leaves a period empty. Feedback scores come only from surveys the team
# could see: the last two periods are the surveys demo's rounds and the current
# one is still open, so the history here ends before them, entered by hand from
# the survey tool used before Keel. Frontend Platform (2 people) is below the
# minimum group size, so it has no feedback score at all.
DEMO_SERIES: dict[str, dict[str, list[float | None]]] = {
    "Backend Payments": {
        "turnover": [8, 8, 9, 9, 10, 10, 11, 12, 12, 14, 14, 16, 17, 18],
        "feedback_score": [74, 73, 75, 72, 71, 70, 71, 69, 68, 66, 64, None, None, None],
        "oncall_hours": [6, 7, 6.5, 7, 8, 7.5, 8, 9, 8.5, 9.5, 10, 11, 11.5, 12.5],
        "delivery_rate": [34, 36, 33, 35, 37, 34, 36, 35, 33, 34, 32, 33, 31, 32],
    },
    "Frontend Platform": {
        "turnover": [5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6],
        "oncall_hours": [3, 4, 3.5, 3, 4, 3, 3.5, 4, 3, 3.5, 4, 3, 3.5, 3],
        "delivery_rate": [28, 26, 27, 25, 24, 26, 23, 22, 21, 22, 20, 19, 18, 17.5],
    },
}


def load_health(people: dict[str, User]) -> int:
    """Fourteen periods of metrics for the demo teams, then one evaluation (adds alerts)."""
    from decimal import Decimal

    from . import periods
    from .models import MetricValue, Source
    from .services import evaluation, metrics

    today = timezone.localdate()
    starts = periods.previous_periods(today, 14)
    teams = {team.name: team for team in Team.objects.filter(name__in=DEMO_SERIES)}
    for name, series in DEMO_SERIES.items():
        team = teams[name]
        for metric, values in series.items():
            for start, value in zip(starts, values, strict=True):
                if (
                    value is None
                    or MetricValue.objects.filter(
                        team=team, metric=metric, period_start=start
                    ).exists()
                ):
                    continue
                metrics.record_metric(
                    team=team,
                    metric=metric,
                    day=start,
                    value=Decimal(str(value)),
                    source=Source.MANUAL if metric == "feedback_score" else Source.CSV,
                    entered_via=(
                        "previous survey tool (demo data)"
                        if metric == "feedback_score"
                        else "demo data"
                    ),
                    evaluate=False,
                )
    changed = evaluation.evaluate_teams(team_ids=[t.pk for t in teams.values()], today=today)
    return len(changed)


def evaluate_demo_teams(people: dict[str, User]) -> int:
    """Evaluate every team once more, after the surveys demo pushed its scores."""
    from .services import evaluation

    team_ids = list(Team.objects.values_list("pk", flat=True))
    return len(evaluation.evaluate_teams(team_ids=team_ids, today=timezone.localdate()))
