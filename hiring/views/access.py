"""Who may open a hiring page: anyone else gets a 404, not a hint that it exists."""

from django.http import Http404

from accounts.models import User

from ..models import InterviewLoop
from ..selectors.loops import loop_for_summary


def require_recruiter(user: User) -> None:
    if not (user.is_recruiter or user.is_admin):
        raise Http404


def managed_loop(user: User, loop_id: int) -> InterviewLoop:
    """The loop if this person manages it (its recruiters, admins); otherwise 404."""
    loop, manages = loop_for_summary(user, loop_id)
    if not manages:
        raise Http404
    return loop
