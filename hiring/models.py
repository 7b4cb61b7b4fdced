from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse

from . import scoring

_WEIGHT_SUM = F("weight_technical") + F("weight_leadership") + F("weight_culture")
SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
WEIGHT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


def _score_field(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


def _score_in_range(field: str, app_model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=f"{app_model}_{field}_0_to_100",
        violation_error_message=f"{field.split('_')[-1].capitalize()} must be between 0 and 100.",
    )


class InterviewMethod(models.TextChoices):
    UNSTRUCTURED = "unstructured", "Unstructured chat"
    STARL = "starl", "STAR-L framework"
    CODE_BENCHMARK = "code_benchmark", "Code benchmark (LeetCode style)"
    SYSTEM_DESIGN = "system_design", "Live system design + cost benchmark"
    COMBINED = "combined", "Combined STAR-L + system design"


class RoleProfile(models.Model):
    """Weights and minimum passing scores for a role. Tuned by admins."""

    name = models.CharField(max_length=80, unique=True)
    weight_technical = models.DecimalField(
        "technical weight", max_digits=3, decimal_places=2, validators=WEIGHT_VALIDATORS
    )
    weight_leadership = models.DecimalField(
        "leadership weight", max_digits=3, decimal_places=2, validators=WEIGHT_VALIDATORS
    )
    weight_culture = models.DecimalField(
        "culture weight", max_digits=3, decimal_places=2, validators=WEIGHT_VALIDATORS
    )
    min_technical = _score_field("technical minimum", default=Decimal(70))
    min_leadership = _score_field("leadership minimum", default=Decimal(65))
    min_culture = _score_field("culture minimum", default=Decimal(60))

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                # Weights have 2 decimals, so a wrong sum is off by at least 0.01;
                # the tolerance absorbs SQLite's floating-point arithmetic.
                condition=Q(
                    GreaterThanOrEqual(_WEIGHT_SUM, Decimal("0.995")),
                    LessThanOrEqual(_WEIGHT_SUM, Decimal("1.005")),
                ),
                name="hiring_roleprofile_weights_sum_to_1",
                violation_error_message="Weights must sum to 1.",
            ),
            *(
                _score_in_range(f, "hiring_roleprofile")
                for f in ("min_technical", "min_leadership", "min_culture")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        weights = (self.weight_technical, self.weight_leadership, self.weight_culture)
        if None in weights:
            return
        try:
            _ = self.weights
        except scoring.ScoringError as exc:
            raise ValidationError(exc.message) from exc

    @property
    def weights(self) -> scoring.Weights:
        return scoring.Weights(self.weight_technical, self.weight_leadership, self.weight_culture)

    @property
    def minimums(self) -> scoring.Minimums:
        return scoring.Minimums(self.min_technical, self.min_leadership, self.min_culture)


class Candidate(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class InterviewLoop(models.Model):
    """A candidate's set of interviews for one role."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        INTERVIEWING = "interviewing", "Interviewing"
        DEBRIEF = "debrief", "Ready for debrief"
        DECIDED = "decided", "Decided"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="loops")
    role_profile = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="loops")
    method = models.CharField("interview method", max_length=32, choices=InterviewMethod.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNING)
    recruiters = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="recruited_loops")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.candidate} — {self.role_profile}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:loop_detail", args=[self.pk])


class Interview(models.Model):
    """One interview of a loop, assigned to one interviewer."""

    loop = models.ForeignKey(InterviewLoop, on_delete=models.CASCADE, related_name="interviews")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interviews"
    )
    title = models.CharField(max_length=120, help_text="e.g. System design, Behavioural")
    scheduled_at = models.DateTimeField()
    assesses_technical = models.BooleanField("assesses technical", default=False)
    assesses_leadership = models.BooleanField("assesses leadership", default=False)
    assesses_culture = models.BooleanField("assesses culture", default=False)

    class Meta:
        ordering = ("scheduled_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(assesses_technical=True)
                | Q(assesses_leadership=True)
                | Q(assesses_culture=True),
                name="hiring_interview_assesses_a_dimension",
                violation_error_message="An interview must assess at least one dimension.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} with {self.loop.candidate}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:scorecard", args=[self.pk])

    @property
    def dimensions(self) -> list[str]:
        return [d for d in scoring.DIMENSIONS if getattr(self, f"assesses_{d}")]


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", "Strong No"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong Yes"


class Scorecard(models.Model):
    """An interviewer's scores for one interview. Blind until they submit."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="scorecard")
    technical = _score_field("technical", null=True, blank=True)
    leadership = _score_field("leadership", null=True, blank=True)
    culture = _score_field("culture", null=True, blank=True)
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            *(_score_in_range(f, "hiring_scorecard") for f in scoring.DIMENSIONS),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="hiring_scorecard_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Scorecard for {self.interview}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:scorecard", args=[self.interview_id])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def has_draft_content(self) -> bool:
        return not self.is_submitted and (
            any(v is not None for v in self.scores.values())
            or bool(self.recommendation or self.notes)
        )

    @property
    def scores(self) -> dict[str, Decimal | None]:
        return {d: getattr(self, d) for d in scoring.DIMENSIONS}

    def evaluate(self, profile: RoleProfile) -> scoring.Evaluation:
        return scoring.evaluate(self.scores, profile.weights, profile.minimums)
