"""Demo candidates and loops for ``manage.py load_demo``."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from . import services
from .models import Candidate, InterviewLoop, InterviewMethod, RoleProfile

# candidate: (role, method, [(title, interviewer, dims, days from now, scores or None, rec)])
DEMO_LOOPS = {
    "Alex Rivera": (
        "senior-backend",
        InterviewMethod.COMBINED,
        [
            ("System design", "interviewer", ["technical"], -3, {"technical": "84"}, "yes"),
            (
                "Behavioural (STAR-L)",
                "manager",
                ["leadership", "culture"],
                -3,
                {"leadership": "78", "culture": "88"},
                "strong_yes",
            ),
            (
                "Pairing exercise",
                "priya",
                ["technical", "culture"],
                -2,
                {"technical": "80", "culture": "90"},
                "yes",
            ),
        ],
    ),
    "Jordan Lee": (
        "staff",
        InterviewMethod.STARL,
        [
            ("Leadership deep-dive", "manager", ["leadership"], -2, {"leadership": "62"}, "no"),
            (
                "Architecture review",
                "interviewer",
                ["technical", "leadership", "culture"],
                -1,
                None,
                "",
            ),
        ],
    ),
    "Morgan Chen": (
        "senior-frontend",
        InterviewMethod.SYSTEM_DESIGN,
        [
            (
                "Frontend system design",
                "interviewer",
                ["technical", "leadership", "culture"],
                2,
                None,
                "",
            ),
            ("Values interview", "tom", ["culture"], 3, None, ""),
        ],
    ),
    "Sasha Novak": ("default", InterviewMethod.CODE_BENCHMARK, []),
}


def load_loops(people) -> None:
    recruiter = people["recruiter"]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for name, (profile_name, method, interviews) in DEMO_LOOPS.items():
        if Candidate.objects.filter(name=name).exists():
            continue
        email = name.lower().replace(" ", ".") + "@candidate.example"
        loop = services.create_candidate_with_loop(
            recruiter=recruiter,
            name=name,
            email=email,
            role_profile=RoleProfile.objects.get(name=profile_name),
            method=method,
        )
        for title, interviewer, dims, days, scores, recommendation in interviews:
            interview = services.schedule_interview(
                loop=loop,
                interviewer=people[interviewer],
                title=title,
                scheduled_at=now + timedelta(days=days),
                dimensions=dims,
            )
            if scores:
                services.submit_scorecard(
                    scorecard_id=interview.scorecard.pk,
                    interviewer=people[interviewer],
                    scores={d: Decimal(v) for d, v in scores.items()},
                    recommendation=recommendation,
                    notes="Clear structure; backed claims with numbers.",
                    now=interview.scheduled_at + timedelta(hours=2),
                )
        if name == "Alex Rivera":
            InterviewLoop.objects.filter(pk=loop.pk).update(status=InterviewLoop.Status.DECIDED)
