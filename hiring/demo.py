"""Demo candidates and loops for ``manage.py load_demo``."""

import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from .models import Candidate, InterviewLoop, InterviewMethod, RoleProfile
from .services.loops import create_candidate_with_loop, schedule_interview
from .services.scorecards import submit_scorecard


@dataclass(frozen=True)
class DemoInterview:
    title: str
    interviewer: str
    dimensions: list[str]
    days: int  # from now
    scores: dict[str, str] | None = None  # submitted when given
    recommendation: str = ""
    notes: str = ""
    # STAR-L evidence per part: (text, rating); leadership is then computed from it
    starl: dict[str, tuple[str, int | None]] | None = None


@dataclass(frozen=True)
class DemoDecision:
    decision: str
    offer_accepted: bool | None
    hours: str
    cost: str


@dataclass(frozen=True)
class DemoLoop:
    role: str
    method: InterviewMethod
    interviews: list[DemoInterview] = field(default_factory=list)
    decision: DemoDecision | None = None


AMARA_STARL: dict[str, tuple[str, int | None]] = {
    "situation": ("Card payments failed over to a second provider by hand, taking 40 minutes.", 4),
    "task": ("She owned making failover automatic without double-charging anyone.", 4),
    "action": (
        "Wrote the design, got three teams to agree on idempotency keys, ran game days.",
        5,
    ),
    "result": ("Failover now takes 90 seconds; no double charges in six months.", 4),
    "learning": ("Would involve support earlier: their runbook needed the change too.", 3),
}

# One loop in every state: planning, interviewing (with a draft and upcoming
# interviews), ready for debrief with a real disagreement, decided.
DEMO_LOOPS: dict[str, DemoLoop] = {
    "Amara Okafor": DemoLoop(
        "senior-backend",
        InterviewMethod.COMBINED,
        [
            DemoInterview(
                "System design",
                "priya",
                ["technical"],
                -2,
                {"technical": "58"},
                "no",
                "Went straight to microservices before asking about load. Found the missing "
                "index only with a hint; no plan for migrating a large table.",
            ),
            DemoInterview(
                "Behavioural (STAR-L)",
                "manager",
                ["leadership", "culture"],
                -2,
                {"culture": "84"},
                "yes",
                "Led a payments migration across three teams and owned the rollback.",
                starl=AMARA_STARL,
            ),
            DemoInterview(
                "Pairing exercise",
                "interviewer",
                ["technical", "culture"],
                -1,
                {"technical": "86", "culture": "78"},
                "strong_yes",
                "Wrote the index migration first, then measured: 1200 ms down to 140 ms.",
            ),
        ],
    ),
    "Mei-Lin Zhou": DemoLoop(
        "staff",
        InterviewMethod.STARL,
        [
            DemoInterview(
                "Leadership deep-dive",
                "manager",
                ["leadership"],
                -2,
                {"leadership": "62"},
                "no",
                "Strong individual contributor; cross-team examples were others' decisions.",
            ),
            DemoInterview(
                "Architecture review", "interviewer", ["technical", "leadership", "culture"], -1
            ),
        ],
    ),
    "Rafael Oliveira": DemoLoop(
        "senior-frontend",
        InterviewMethod.SYSTEM_DESIGN,
        [
            DemoInterview(
                "Frontend system design",
                "interviewer",
                ["technical", "leadership", "culture"],
                2,
            ),
            DemoInterview("Values interview", "tom", ["culture"], 3),
        ],
    ),
    "Sipho Dlamini": DemoLoop("default", InterviewMethod.CODE_BENCHMARK),
    "Alejandro Rivera": DemoLoop(
        "senior-backend",
        InterviewMethod.COMBINED,
        [
            DemoInterview(
                "System design",
                "interviewer",
                ["technical"],
                -9,
                {"technical": "84"},
                "yes",
                "Clear structure; backed every claim with numbers.",
            ),
            DemoInterview(
                "Behavioural (STAR-L)",
                "manager",
                ["leadership", "culture"],
                -9,
                {"leadership": "78", "culture": "88"},
                "strong_yes",
                "Mentored two juniors through their first on-call; specific about what changed.",
            ),
            DemoInterview(
                "Pairing exercise",
                "priya",
                ["technical", "culture"],
                -8,
                {"technical": "80", "culture": "90"},
                "yes",
                "Tested edge cases unprompted.",
            ),
        ],
        DemoDecision("offer", True, "10.5", "290"),
    ),
    "Nadia Haddad": DemoLoop(
        "default",
        InterviewMethod.UNSTRUCTURED,
        [
            DemoInterview(
                "Technical chat",
                "tom",
                ["technical", "leadership", "culture"],
                -12,
                {"technical": "61", "leadership": "58", "culture": "74"},
                "no",
                "Friendly conversation; hard to tell what she did herself.",
            ),
        ],
        DemoDecision("no_offer", None, "4.0", "90"),
    ),
}


def load_loops(people: dict[str, User]) -> None:
    """The demo's current loops, one in every state; skipped for names already on file."""
    from .models import StarlQuestion
    from .services.outcomes import record_decision
    from .services.starl import AnswerInput, save_starl_answers

    recruiter = people["recruiter"]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    question = StarlQuestion.objects.filter(dimension="leadership").order_by("pk").first()
    for name, plan in DEMO_LOOPS.items():
        if Candidate.objects.filter(name=name).exists():
            continue
        email = _ascii(name).lower().replace(" ", ".") + "@candidate.example"
        loop = create_candidate_with_loop(
            recruiter=recruiter,
            name=name,
            email=email,
            role_profile=RoleProfile.objects.get(name=plan.role),
            method=plan.method,
        )
        # Schedule the whole loop first, as a recruiter does, then the panel scores.
        scheduled = [
            (
                demo,
                schedule_interview(
                    loop=loop,
                    interviewer=people[demo.interviewer],
                    title=demo.title,
                    scheduled_at=now + timedelta(days=demo.days),
                    dimensions=demo.dimensions,
                ),
            )
            for demo in plan.interviews
        ]
        for demo, interview in scheduled:
            interviewer = people[demo.interviewer]
            if demo.starl and question is not None:
                save_starl_answers(
                    scorecard_id=interview.scorecard.pk,
                    interviewer=interviewer,
                    answers=[AnswerInput(question=question, parts=demo.starl)],
                )
            if demo.scores:
                submit_scorecard(
                    scorecard_id=interview.scorecard.pk,
                    interviewer=interviewer,
                    scores={d: Decimal(v) for d, v in demo.scores.items()},
                    recommendation=demo.recommendation,
                    notes=demo.notes,
                    now=interview.scheduled_at + timedelta(hours=2),
                )
        if plan.decision is not None:
            loop.refresh_from_db()
            record_decision(
                loop=loop,
                decided_by=recruiter,
                decision=plan.decision.decision,
                offer_accepted=plan.decision.offer_accepted,
                hours=Decimal(plan.decision.hours),
                cost=Decimal(plan.decision.cost),
                now=now - timedelta(days=5),
            )


def _ascii(text: str) -> str:
    """Lucía -> Lucia, for demo email addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


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
FIRST_NAMES = [
    "Aisha",
    "Bjorn",
    "Camila",
    "Dmitri",
    "Efua",
    "Farhan",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jamal",
    "Kaito",
    "Leila",
    "Mateo",
    "Nkechi",
    "Oskar",
    "Priyanka",
    "Quentin",
    "Rosa",
    "Sven",
    "Thandiwe",
]
LAST_NAMES = [
    "Abebe",
    "Bergstrom",
    "Castillo",
    "Dubois",
    "Eze",
    "Fischer",
    "Gupta",
    "Huang",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "O'Connor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Santos",
    "Tanaka",
    "Usman",
    "Varga",
    "Whitfield",
]


def history_name(index: int) -> str:
    """A distinct name for each of the 140 history candidates (20 x 23 combinations,
    stepped so that no two of the first 140 share one)."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES) + index * 3) % len(LAST_NAMES)]
    return f"{first} {last}"


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
            name = history_name(index)
            candidate = Candidate.objects.create(
                name=name,
                email=f"{_ascii(name).lower().replace(' ', '.').replace(chr(39), '')}"
                f"@{HISTORY_DOMAIN}",
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
    interview = (
        Interview.objects.filter(loop__candidate__name="Rafael Oliveira").order_by("pk").first()
    )
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
