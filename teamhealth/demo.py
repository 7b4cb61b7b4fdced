"""Demo teams for ``manage.py load_demo``."""

from datetime import timedelta

from django.utils import timezone

from .models import Membership, Team

DEMO_TEAMS = {
    "Backend Payments": ("manager", ["engineer", "priya", "tom", "lena", "sam", "noor"]),
    "Frontend Platform": ("raj", ["omar", "kate"]),
}


def load_teams(people) -> dict[str, Team]:
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
