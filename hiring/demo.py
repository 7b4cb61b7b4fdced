"""Demo candidates and loops for ``manage.py load_demo``."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from .models import Candidate, InterviewLoop, InterviewMethod, RoleProfile
from .services.loops import create_candidate_with_loop, schedule_interview
from .services.scorecards import submit_scorecard

# (title, interviewer, dims, days from now, scores or None, recommendation)
DemoInterview = tuple[str, str, list[str], int, dict[str, str] | None, str]
# candidate: (role, method, interviews)
DEMO_LOOPS: dict[str, tuple[str, InterviewMethod, list[DemoInterview]]] = {
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


def load_loops(people: dict[str, User]) -> None:
    recruiter = people["recruiter"]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for name, (profile_name, method, interviews) in DEMO_LOOPS.items():
        if Candidate.objects.filter(name=name).exists():
            continue
        email = name.lower().replace(" ", ".") + "@candidate.example"
        loop = create_candidate_with_loop(
            recruiter=recruiter,
            name=name,
            email=email,
            role_profile=RoleProfile.objects.get(name=profile_name),
            method=method,
        )
        for title, interviewer, dims, days, scores, recommendation in interviews:
            interview = schedule_interview(
                loop=loop,
                interviewer=people[interviewer],
                title=title,
                scheduled_at=now + timedelta(days=days),
                dimensions=dims,
            )
            if scores:
                submit_scorecard(
                    scorecard_id=interview.scorecard.pk,
                    interviewer=people[interviewer],
                    scores={d: Decimal(v) for d, v in scores.items()},
                    recommendation=recommendation,
                    notes="Clear structure; backed claims with numbers.",
                    now=interview.scheduled_at + timedelta(hours=2),
                )
        if name == "Alex Rivera":
            InterviewLoop.objects.filter(pk=loop.pk).update(status=InterviewLoop.Status.DECIDED)


# --- History: enough decided loops with outcomes that the analytics look real.

HISTORY_DOMAIN = "history.candidate.example"
# method: (hours, cost, how much the interview sees of the candidate's real level)
HISTORY_METHODS = {
    InterviewMethod.UNSTRUCTURED: (Decimal("4.2"), Decimal(85), 0.35),
    InterviewMethod.STARL: (Decimal("5.8"), Decimal(112), 0.7),
    InterviewMethod.CODE_BENCHMARK: (Decimal("3.1"), Decimal(47), 0.5),
    InterviewMethod.SYSTEM_DESIGN: (Decimal("8.5"), Decimal(210), 0.8),
    InterviewMethod.COMBINED: (Decimal("10.2"), Decimal(285), 0.9),
}
# interviewer: (bias in points, hours they usually take to submit)
HISTORY_PANEL = {"interviewer": (0, 3), "manager": (-1, 20), "priya": (-7, 6), "tom": (8, 40)}
FIRST_NAMES = ["Ava", "Ben", "Chloe", "Dev", "Eva", "Finn", "Gia", "Hugo", "Iris", "Jon"]
LAST_NAMES = ["Adams", "Brook", "Costa", "Dunn", "Ellis", "Ford", "Grant", "Hale", "Ivers"]


def load_history(people: dict[str, User]) -> None:
    """140 decided loops over the past two years, most hires with a 6-month outcome."""
    import random

    from django.db import transaction

    from .models import (
        Interview,
        LoopOutcome,
        Scorecard,
        StarlAnswer,
        StarlQuestion,
    )

    if Candidate.objects.filter(email__endswith=HISTORY_DOMAIN).exists():
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    recruiter = people["recruiter"]
    profiles = list(RoleProfile.objects.all())
    questions = list(StarlQuestion.objects.filter(dimension="leadership")[:3])
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    methods = list(HISTORY_METHODS)
    with transaction.atomic():
        for index in range(140):
            method = methods[index % len(methods)]
            hours, cost, signal = HISTORY_METHODS[method]
            name = f"{FIRST_NAMES[index % 10]} {LAST_NAMES[index % 9]} {index + 1}"
            candidate = Candidate.objects.create(
                name=name,
                email=f"candidate{index + 1}@{HISTORY_DOMAIN}",
                created_by=recruiter,
            )
            profile = profiles[index % len(profiles)]
            loop = InterviewLoop.objects.create(
                candidate=candidate,
                role_profile=profile,
                method=method,
                status=InterviewLoop.Status.DECIDED,
            )
            loop.recruiters.add(recruiter)
            level = rng.gauss(72, 11)  # the candidate's real level
            seen = {
                "technical": level + rng.gauss(0, 12 * (1 - signal)),
                # Leadership tracks the real level; culture, here, hardly does.
                "leadership": level + rng.gauss(0, 10 * (1 - signal)),
                "culture": 75 + rng.gauss(0, 8),
            }
            days_ago = 20 + index * 5
            when = now - timedelta(days=days_ago)
            cards = []
            panel = rng.sample(list(HISTORY_PANEL), 3)
            for slot, username in enumerate(panel):
                bias, usual_hours = HISTORY_PANEL[username]
                dims = [
                    ["technical"],
                    ["leadership", "culture"],
                    ["technical", "leadership", "culture"],
                ][slot]
                interview = Interview.objects.create(
                    loop=loop,
                    interviewer=people[username],
                    title=["System design", "Behavioural (STAR-L)", "Pairing exercise"][slot],
                    scheduled_at=when + timedelta(hours=slot * 3),
                    **{f"assesses_{d}": d in dims for d in ("technical", "leadership", "culture")},
                )
                scores = {
                    d: Decimal(str(round(min(100, max(0, seen[d] + bias + rng.gauss(0, 4))), 1)))
                    for d in dims
                }
                card = Scorecard.objects.create(
                    interview=interview,
                    status=Scorecard.Status.SUBMITTED,
                    submitted_at=interview.scheduled_at
                    + timedelta(hours=max(1, rng.gauss(usual_hours, usual_hours / 3))),
                    recommendation="yes" if sum(scores.values()) / len(scores) >= 70 else "no",
                    notes="",
                    **scores,
                )
                if "leadership" in dims and questions:
                    ratings: list[int] = []
                    for position, question in enumerate(questions[:2]):
                        part_ratings: dict[str, int | None] = {
                            p: min(5, max(1, round(1 + float(scores["leadership"]) / 25 + g)))
                            for p, g in zip(
                                ("situation", "task", "action", "result", "learning"),
                                (rng.gauss(0, 0.6) for _ in range(5)),
                                strict=True,
                            )
                        }
                        no_learning = rng.random() < 0.2
                        if no_learning:
                            part_ratings["learning"] = None
                        StarlAnswer.objects.create(
                            scorecard=card,
                            question=question,
                            position=position,
                            **{
                                f"{p}_text": "" if r is None else f"Demo evidence for {p}."
                                for p, r in part_ratings.items()
                            },
                            **{f"{p}_rating": r for p, r in part_ratings.items()},
                        )
                        ratings += [r for r in part_ratings.values() if r is not None]
                    from . import scoring

                    card.leadership = scoring.starl_leadership_score(ratings)
                    card.save(update_fields=["leadership"])
                cards.append(card)
            evaluation = scoring_evaluate(loop, cards)
            offer = bool(evaluation.passes)
            accepted = offer and rng.random() < 0.8
            outcome = ""
            start = (when + timedelta(days=21)).date()
            if accepted and (timezone.localdate(now) - start).days >= 182:
                bad_chance = max(0.03, min(0.85, (82 - level) / 25))
                roll = rng.random()
                outcome = (
                    "bad_hire" if roll < bad_chance else "left" if roll > 0.92 else "performing"
                )
                if (timezone.localdate(now) - start).days < 215:
                    outcome = ""  # just due: the candidate list marks them, a reminder asks
            LoopOutcome.objects.create(
                loop=loop,
                decision="offer" if offer else "no_offer",
                offer_accepted=accepted if offer else None,
                hours=hours + Decimal(str(round(rng.gauss(0, 0.6), 1))),
                cost=cost + Decimal(rng.randint(-15, 15)),
                decided_at=when + timedelta(days=2),
                decided_by=recruiter,
                start_date=start if accepted else None,
                six_month_outcome=outcome,
                outcome_recorded_at=now if outcome else None,
            )


def scoring_evaluate(loop, cards):
    from . import scoring

    profile = loop.role_profile
    return scoring.evaluate_loop([c.scores for c in cards], profile.weights, profile.minimums)


def load_exercise_and_reminders(people: dict[str, User]) -> None:
    """Attach the seeded exercise to an upcoming demo interview."""
    from .models import Exercise, ExerciseAssignment, Interview

    exercise = Exercise.objects.order_by("pk").first()
    interview = Interview.objects.filter(loop__candidate__name="Morgan Chen").order_by("pk").first()
    if exercise and interview:
        ExerciseAssignment.objects.get_or_create(
            interview=interview, defaults={"exercise": exercise}
        )


def load_amendment(people: dict[str, User]) -> None:
    """One submitted history scorecard amended by its interviewer, with a reason."""
    from .models import Scorecard, ScorecardAmendment
    from .services.scorecards import amend_scorecard

    if ScorecardAmendment.objects.exists():
        return
    card = (
        Scorecard.objects.filter(
            status=Scorecard.Status.SUBMITTED,
            interview__interviewer=people["interviewer"],
            interview__loop__candidate__email__endswith=HISTORY_DOMAIN,
            technical__isnull=False,
            technical__gte=5,
        )
        .order_by("-submitted_at")
        .first()
    )
    if card is None or card.submitted_at is None:
        return
    amend_scorecard(
        scorecard_id=card.pk,
        amended_by=people["interviewer"],
        reason="Typed the technical score from the wrong candidate's notes.",
        scores={**card.scores, "technical": card.technical - 5},
        recommendation=card.recommendation,
        notes=card.notes,
        now=card.submitted_at + timedelta(hours=3),
    )
