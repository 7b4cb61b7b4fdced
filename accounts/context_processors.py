"""Navigation: each person sees only what their roles can use."""

from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# (label, url name, icon, description, who may see it)
_NAV = (
    (
        "My interviews",
        "hiring:my_interviews",
        "clipboard-check",
        "Fill the scorecards of the interviews assigned to you.",
        lambda u: u.is_interviewer,
    ),
    (
        "Candidates",
        "hiring:loop_list",
        "people",
        "Create candidates and loops, assign interviewers, read loop summaries.",
        lambda u: u.is_recruiter or u.is_admin,
    ),
    (
        "Hiring analytics",
        "hiring:analytics",
        "graph-up",
        "Check on our own loops which interview methods work and whether scorecards predict.",
        lambda u: u.is_recruiter or u.is_admin,
    ),
    (
        "Surveys",
        "surveys:home",
        "chat-square-heart",
        "Answer your team's anonymous survey; read published results and action plans.",
        lambda u: u.is_engineer or u.is_manager or u.is_director or u.is_admin,
    ),
    (
        "Survey overview",
        "surveys:overview",
        "bar-chart-line",
        "Feedback scores of your teams side by side, small teams hidden.",
        lambda u: u.is_manager or u.is_director or u.is_admin,
    ),
    (
        "Team health",
        "teamhealth:my_teams",
        "heart-pulse",
        "Your teams' metrics against their thresholds, and their open alerts.",
        lambda u: u.is_manager,
    ),
    (
        "Alerts",
        "teamhealth:alert_list",
        "bell",
        "Every alert of your teams, firing to resolved, with response times.",
        lambda u: u.is_manager or u.is_director or u.is_admin,
    ),
    (
        "Org overview",
        "teamhealth:org_overview",
        "grid-3x3",
        "Every team's health at a glance.",
        lambda u: u.is_director or u.is_admin,
    ),
)


@cache
def _urls(urlconf: str, prefix: str) -> tuple[str | None, ...]:
    """Each navigation entry's address (None if not routed), reversed once per URLconf."""
    urls: list[str | None] = []
    for _label, url_name, *_rest in _NAV:
        try:
            urls.append(reverse(url_name, urlconf=urlconf))
        except NoReverseMatch:
            urls.append(None)
    return tuple(urls)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    urls = _urls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    for (label, _url_name, icon, description, allowed), url in zip(_NAV, urls, strict=True):
        if url is None or not allowed(user):
            continue
        items.append(
            {
                "label": label,
                "url": url,
                "icon": icon,
                "description": description,
                "active": request.path.startswith(url),
            }
        )
    # Only the most specific match is active (/surveys/overview/ is not also /surveys/).
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for item in items:
        item["active"] = item["active"] and len(item["url"]) == longest
    return {"nav_items": items}
