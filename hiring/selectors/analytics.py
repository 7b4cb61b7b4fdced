"""Reads behind the hiring analytics: one aggregate query per table, the rules in
the pure ``hiring.analytics``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.models import User

from .. import analytics, scoring
from ..models import AnalyticsSummary, InterviewLoop, InterviewMethod, Outcome, Scorecard
from .outcomes import outcomes_due

_SUBMITTED = Q(interviews__scorecard__status=Scorecard.Status.SUBMITTED)


def _q(value) -> Decimal | None:
    return None if value is None else scoring.to_decimal(value).quantize(scoring.CENT)


def method_table() -> list[analytics.MethodRow]:
    """One aggregate query grouped by interview method."""
    decided = Q(outcome__isnull=False)
    offer = Q(outcome__decision="offer")
    rows = (
        InterviewLoop.objects.values("method")
        .annotate(
            decided=Count("pk", filter=decided),
            offers=Count("pk", filter=offer),
            accepted=Count("pk", filter=Q(outcome__offer_accepted=True)),
            answered=Count("pk", filter=offer & Q(outcome__offer_accepted__isnull=False)),
            outcomes=Count("pk", filter=Q(outcome__six_month_outcome__in=Outcome.values)),
            bad_hires=Count("pk", filter=Q(outcome__six_month_outcome="bad_hire")),
            avg_cost=Avg("outcome__cost"),
            avg_hours=Avg("outcome__hours"),
        )
        .order_by("method")
    )
    counts = [
        analytics.MethodCounts(
            method=r["method"],
            decided=r["decided"],
            offers=r["offers"],
            accepted=r["accepted"],
            answered_offers=r["answered"],
            outcomes=r["outcomes"],
            bad_hires=r["bad_hires"],
            avg_cost=r["avg_cost"],
            avg_hours=r["avg_hours"],
        )
        for r in rows
    ]
    return analytics.method_rows(counts, InterviewMethod.values)


def predictive_validity() -> list[analytics.Correlation]:
    """Hires with a 6-month outcome, their loop means and weighted total (one query)."""
    loops = (
        InterviewLoop.objects.filter(outcome__offer_accepted=True)
        .exclude(outcome__six_month_outcome="")
        .select_related("role_profile", "outcome")
        .annotate(
            **{
                f"mean_{d}": Avg(f"interviews__scorecard__{d}", filter=_SUBMITTED)
                for d in scoring.DIMENSIONS
            }
        )
    )
    hires = []
    for loop in loops:
        scores = {d: _q(getattr(loop, f"mean_{d}")) for d in scoring.DIMENSIONS}
        total = scoring.weighted_total(scores, loop.role_profile.weights)
        hires.append((scores, total, loop.outcome.six_month_outcome))
    return analytics.predictive_validity(hires)


def calibration_rows() -> list[analytics.Calibration]:
    """Every submitted scorecard, one query, through the pure calibration rules."""
    rows = Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED).values(
        "interview__interviewer_id",
        "interview__loop_id",
        "interview__scheduled_at",
        "submitted_at",
        *scoring.DIMENSIONS,
    )
    cards = [
        analytics.SubmittedCard(
            interviewer_id=r["interview__interviewer_id"],
            loop_id=r["interview__loop_id"],
            scores={d: r[d] for d in scoring.DIMENSIONS},
            on_time=analytics.submitted_on_time(
                interview_at=r["interview__scheduled_at"], submitted_at=r["submitted_at"]
            ),
        )
        for r in rows
    ]
    return analytics.calibration(cards)


def with_people(results: list[analytics.Calibration]) -> list[tuple[User, analytics.Calibration]]:
    """Each interviewer's calibration beside the person, by name (one query)."""
    people = User.objects.in_bulk([c.interviewer_id for c in results])
    pairs = [(people[c.interviewer_id], c) for c in results if c.interviewer_id in people]
    pairs.sort(key=lambda p: str(p[0]))
    return pairs


def calibration() -> list[tuple[User, analytics.Calibration]]:
    """Every submitted scorecard, one query; people resolved in one more."""
    return with_people(calibration_rows())


# --- The stored summary ---------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the analytics compute from every loop and scorecard."""

    methods: list[analytics.MethodRow]
    correlations: list[analytics.Correlation]
    calibration: list[analytics.Calibration]


def compute_figures() -> Figures:
    """The figures read directly from every loop and submitted scorecard."""
    return Figures(
        methods=method_table(), correlations=predictive_validity(), calibration=calibration_rows()
    )


def _to_json(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    return value


def _from_json(value):
    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return Decimal(value["$decimal"])
        return {key: _from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def encode_figures(figures: Figures) -> dict:
    return _to_json(
        {
            "methods": [asdict(row) for row in figures.methods],
            "correlations": [asdict(c) for c in figures.correlations],
            "calibration": [asdict(c) for c in figures.calibration],
        }
    )


def _in_dimension_order(values: dict) -> dict:
    return {d: values[d] for d in scoring.DIMENSIONS if d in values}


def decode_figures(data: dict) -> Figures:
    data = _from_json(data)
    return Figures(
        methods=[analytics.MethodRow(**row) for row in data["methods"]],
        correlations=[analytics.Correlation(**c) for c in data["correlations"]],
        calibration=[
            analytics.Calibration(
                **{
                    **c,
                    "interviewer_id": int(c["interviewer_id"]),
                    # PostgreSQL's jsonb keeps object keys in its own order: put
                    # the dimensions back in the order the page shows them.
                    "deviation": _in_dimension_order(c["deviation"]),
                    "tendency": _in_dimension_order(c["tendency"]),
                }
            )
            for c in data["calibration"]
        ],
    )


def stored_figures() -> Figures:
    """The figures from the stored summary while no change has come since it
    was computed; otherwise computed afresh and stored. The change count is
    read before the data, so figures stored as of a count never miss a change
    counted up to it."""
    summary = AnalyticsSummary.objects.filter(pk=1).first()
    changes = summary.changes if summary else 0
    if summary is not None and summary.computed_at_change == changes and summary.figures:
        return decode_figures(summary.figures)
    figures = compute_figures()
    store_figures(figures, as_of_change=changes)
    return figures


def store_figures(figures: Figures, *, as_of_change: int) -> None:
    """Keep ``figures`` as computed after ``as_of_change`` changes (unless a
    later computation is stored already)."""
    values = {
        "figures": encode_figures(figures),
        "computed_at_change": as_of_change,
        "computed_at": timezone.now(),
    }
    updated = (
        AnalyticsSummary.objects.filter(pk=1)
        .filter(Q(computed_at_change__isnull=True) | Q(computed_at_change__lte=as_of_change))
        .update(**values)
    )
    if not updated and not AnalyticsSummary.objects.filter(pk=1).exists():
        AnalyticsSummary.objects.get_or_create(pk=1, defaults=values)


@dataclass(frozen=True)
class AnalyticsPage:
    methods: list[tuple[str, analytics.MethodRow]]  # (the method's name, its row)
    correlations: list[analytics.Correlation]
    predicts_nothing: list[str]  # labels of the scores whose interval includes 0
    predicts_backwards: list[str]  # labels of the scores whose interval is below 0
    calibration: list[tuple[User, analytics.Calibration]]
    chart: dict  # what static/js/hiring-analytics.js draws
    outcomes_due: int


def analytics_page(*, figures: Figures | None = None) -> AnalyticsPage:
    """The hiring analytics: methods beside the published figures, predictive
    validity, interviewer calibration (from the stored summary unless
    ``figures`` are given), and how many 6-month outcomes are due."""
    figures = figures or stored_figures()
    methods = figures.methods
    labels = dict(InterviewMethod.choices)
    correlations = figures.correlations
    people = with_people(figures.calibration)
    chart = {
        "methods": [labels[r.method] for r in methods],
        "ours_bad_hire": [_percent(r.bad_hire_rate) for r in methods],
        "published_bad_hire": [_percent(r.published_bad_hire_rate) for r in methods],
        "ours_pass": [_percent(r.pass_rate) for r in methods],
        "published_pass": [_percent(r.published_pass_rate) for r in methods],
        "correlations": [
            {"name": c.label, "r": c.r, "low": c.ci_low, "high": c.ci_high} for c in correlations
        ],
        "calibration": {
            "people": [str(person) for person, _ in people],
            **{d: [_number(c.deviation[d]) for _, c in people] for d in scoring.DIMENSIONS},
        },
    }
    return AnalyticsPage(
        methods=[(labels[r.method], r) for r in methods],
        correlations=correlations,
        predicts_nothing=[c.label for c in correlations if c.predicts is False],
        predicts_backwards=[c.label for c in correlations if c.backwards],
        calibration=people,
        chart=chart,
        outcomes_due=outcomes_due(),
    )


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value) * 100


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
