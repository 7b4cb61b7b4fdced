"""Navigation: each person sees only what their roles can use."""

from django.urls import NoReverseMatch, reverse

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


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, icon, description, allowed in _NAV:
        if not allowed(user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
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
