"""Who may read a team's pages and act on them: team health and the team's survey rounds.

PRODUCT.md: an engineering manager reads the pages of *their own* teams, the
teams whose managers list names them (the people the team's alerts are
emailed to); directors and admins read every team. Acting on a team
(acknowledging and snoozing alerts, entering values, publishing survey
results, writing the action plan) is for its managers and for admins.

The surveys app uses these too, and adds one reader of its own: a current
member of the team reads a round once its results are published.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from .models import Team


def reads_every_team(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or user.is_director)


def acts_on_every_team(user: User) -> bool:
    return user.is_authenticated and user.is_admin


def manages(user: User, team: Team) -> bool:
    """Named in the team's managers list (read from its prefetched managers when there)."""
    return any(manager.pk == user.pk for manager in team.managers.all())


def _every_team_or_managed(user: User, *, every: bool) -> QuerySet[Team]:
    if every:
        return Team.objects.all()
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(managers=user)


def teams_readable_by(user: User) -> QuerySet[Team]:
    """Directors and admins read every team; anyone else the teams they manage."""
    return _every_team_or_managed(user, every=reads_every_team(user))


def can_read_team(user: User, team: Team) -> bool:
    return reads_every_team(user) or manages(user, team)


def teams_writable_by(user: User) -> QuerySet[Team]:
    """Admins act on every team; anyone else on the teams they manage (directors only read)."""
    return _every_team_or_managed(user, every=acts_on_every_team(user))


def can_write_team(user: User, team: Team) -> bool:
    return acts_on_every_team(user) or manages(user, team)
