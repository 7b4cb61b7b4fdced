from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse

from . import scoring

_WEIGHTS_MESSAGE = "Weights must sum to 1."
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
    title = models.CharField(
        "role title",
        max_length=120,
        blank=True,
        help_text="What candidates read, e.g. Senior Backend Engineer.",
    )
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
                violation_error_message=_WEIGHTS_MESSAGE,
            ),
            *(
                _score_in_range(f, "hiring_roleprofile")
                for f in ("min_technical", "min_leadership", "min_culture")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The role as candidates read it: its title, never the profile's slug."""
        return self.title or self.name.replace("-", " ").replace("_", " ").capitalize()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        weights = (self.weight_technical, self.weight_leadership, self.weight_culture)
        if None in weights:
            return
        try:
            _ = self.weights
        except scoring.ScoringError as exc:
            raise ValidationError(exc.message) from exc

    def validate_constraints(self, exclude=None) -> None:
        """The database's check, without repeating what ``clean`` already said better.

        ``clean`` names the sum ("... = 1.6"); the constraint's bare "Weights must sum
        to 1." under it was the same problem twice.
        """
        from django.core.exceptions import ValidationError

        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            if not self._clean_reports_the_weights():
                raise
            errors = exc.update_error_dict({})
            generic = errors.get(NON_FIELD_ERRORS, [])
            errors[NON_FIELD_ERRORS] = [
                error for error in generic if _WEIGHTS_MESSAGE not in error.messages
            ]
            errors = {field: messages for field, messages in errors.items() if messages}
            if errors:
                raise ValidationError(errors) from exc

    def _clean_reports_the_weights(self) -> bool:
        if None in (self.weight_technical, self.weight_leadership, self.weight_culture):
            return False
        try:
            _ = self.weights
        except scoring.ScoringError:
            return True
        return False

    @property
    def weights(self) -> scoring.Weights:
        return scoring.Weights(self.weight_technical, self.weight_leadership, self.weight_culture)

    @property
    def minimums(self) -> scoring.Minimums:
        return scoring.Minimums(self.min_technical, self.min_leadership, self.min_culture)


class ScoreBand(models.Model):
    """What a 0-100 score in one band looks like, for one dimension of a role profile.

    A dimension's bands cover 0-100 without gaps or overlaps (``rubrics.py``,
    checked by the admin inline on the role profile).
    """

    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="score_bands"
    )
    dimension = models.CharField(max_length=16, choices=list(scoring.DIMENSION_LABELS.items()))
    low = models.PositiveSmallIntegerField(
        "from", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    high = models.PositiveSmallIntegerField(
        "to", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    label = models.CharField(max_length=60, help_text="e.g. Solid")
    description = models.CharField(
        max_length=400, help_text="What a score in this band looks like in the interview."
    )

    class Meta:
        ordering = ("role_profile", "dimension", "low")
        verbose_name = "score band"
        constraints = [
            models.UniqueConstraint(
                fields=("role_profile", "dimension", "low"),
                name="hiring_scoreband_one_per_start",
                violation_error_message="Another band of this dimension starts there.",
            ),
            models.CheckConstraint(
                condition=Q(low__lte=F("high"), high__lte=100),
                name="hiring_scoreband_low_to_high_within_100",
                violation_error_message="A band runs from a lower to a higher score, up to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_profile} {self.dimension} {self.low}–{self.high}: {self.label}"


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


class CandidateMerge(models.Model):
    """A duplicate candidate record merged into the one kept: who, when, what moved."""

    survivor = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="merges")
    merged_candidate_id = models.PositiveIntegerField("merged record's id")
    merged_name = models.CharField("merged record's name", max_length=200)
    merged_email = models.EmailField("merged record's email")
    loops_moved = models.PositiveIntegerField("loops moved")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()

    class Meta:
        ordering = ("-merged_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_candidate_id=F("survivor")),
                name="hiring_candidatemerge_not_into_itself",
                violation_error_message="A candidate cannot be merged into itself.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.merged_name} merged into {self.survivor}"


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
        # The candidate list: newest first, all loops or one tab's status.
        indexes = [
            models.Index(fields=("-created_at", "-id"), name="hiring_loop_newest"),
            models.Index(fields=("status", "-created_at", "-id"), name="hiring_loop_status_newest"),
        ]

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
        # My interviews: a person's latest interviews first, a page at a time.
        indexes = [
            models.Index(
                fields=("interviewer", "-scheduled_at", "-id"), name="hiring_interview_latest"
            )
        ]
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
    # When the interviewer last saved it; None until they do (creation is not a save).
    saved_at = models.DateTimeField("last saved", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The few scorecards still drafts (to score, upcoming), found without
        # reading the submitted ones.
        indexes = [
            models.Index(
                fields=("interview",),
                condition=Q(status="draft"),
                name="hiring_scorecard_drafts",
            )
        ]
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


# --- STAR-L rubric ---------------------------------------------------------


class StarlPart(models.TextChoices):
    SITUATION = "situation", "Situation"
    TASK = "task", "Task"
    ACTION = "action", "Action"
    RESULT = "result", "Result"
    LEARNING = "learning", "Learning"


class StarlQuestion(models.Model):
    """A behavioural question of the bank, tied to the dimension it assesses."""

    text = models.TextField(unique=True)
    dimension = models.CharField(
        max_length=16,
        choices=list(scoring.DIMENSION_LABELS.items()),
        default="leadership",
    )
    is_active = models.BooleanField("in use", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = "STAR-L question"

    def __str__(self) -> str:
        return self.text


class StarlAnchor(models.Model):
    """What one rating level of one STAR-L part sounds like (behavioural anchor)."""

    part = models.CharField(max_length=16, choices=StarlPart.choices)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ("part", "rating")
        verbose_name = "STAR-L anchor"
        constraints = [
            models.UniqueConstraint(
                fields=("part", "rating"), name="hiring_starlanchor_one_per_level"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="hiring_starlanchor_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.rating}: {self.description}"


def _starl_rating_field(part: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{part} rating",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class StarlAnswer(models.Model):
    """One behavioural question asked in an interview and what the candidate said."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="starl_answers")
    question = models.ForeignKey(StarlQuestion, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField(default=0)
    situation_text = models.TextField("situation evidence", blank=True)
    situation_rating = _starl_rating_field("situation")
    task_text = models.TextField("task evidence", blank=True)
    task_rating = _starl_rating_field("task")
    action_text = models.TextField("action evidence", blank=True)
    action_rating = _starl_rating_field("action")
    result_text = models.TextField("result evidence", blank=True)
    result_rating = _starl_rating_field("result")
    learning_text = models.TextField("learning evidence", blank=True)
    learning_rating = _starl_rating_field("learning")

    class Meta:
        ordering = ("position", "pk")
        verbose_name = "STAR-L answer"
        constraints = [
            models.UniqueConstraint(
                fields=("scorecard", "question"),
                name="hiring_starlanswer_one_per_question",
                violation_error_message="There is already an answer to this question.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{p}_rating__isnull": True})
                    | Q(**{f"{p}_rating__gte": 1, f"{p}_rating__lte": 5}),
                    name=f"hiring_starlanswer_{p}_rating_1_to_5",
                )
                for p in StarlPart.values
            ),
            # Evidence is required: no rating without the text it rests on.
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{p}_rating__isnull": True}) | ~Q(**{f"{p}_text": ""}),
                    name=f"hiring_starlanswer_{p}_rating_has_evidence",
                )
                for p in StarlPart.values
            ),
        ]

    def __str__(self) -> str:
        return f"STAR-L answer to {self.question}"

    @property
    def ratings(self) -> list[int]:
        return [r for p in StarlPart.values if (r := getattr(self, f"{p}_rating")) is not None]

    @property
    def has_learning(self) -> bool:
        return bool(self.learning_text.strip())

    @property
    def parts(self) -> list[dict]:
        return [
            {
                "key": p,
                "label": label,
                "text": getattr(self, f"{p}_text"),
                "rating": getattr(self, f"{p}_rating"),
            }
            for p, label in StarlPart.choices
        ]


class StarlDraft(models.Model):
    """What the STAR-L entry page holds, autosaved as the interviewer types."""

    scorecard = models.OneToOneField(
        Scorecard, on_delete=models.CASCADE, related_name="starl_draft"
    )
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"STAR-L draft for {self.scorecard}"


# --- Exercises, reminders ----------------------------------------------------


class HiringSettings(models.Model):
    """Timings admins tune. One row (pk=1)."""

    scorecard_reminder_after_hours = models.PositiveIntegerField(
        "first scorecard reminder after (hours)", default=24
    )
    scorecard_reminder_every_hours = models.PositiveIntegerField(
        "then one reminder every (hours)", default=24
    )
    scorecard_reminder_max = models.PositiveSmallIntegerField(
        "at most this many reminders", default=5
    )
    exercise_lead_hours = models.PositiveIntegerField(
        "send the exercise this many hours before the interview", default=24
    )
    outcome_due_days = models.PositiveIntegerField(
        "6-month outcome due this many days after the offer is accepted", default=182
    )
    min_loops_for_benchmarks = models.PositiveSmallIntegerField(
        "loops needed before a role's own benchmarks are used", default=10
    )

    class Meta:
        verbose_name = "hiring settings"
        verbose_name_plural = "hiring settings"

    def __str__(self) -> str:
        return "Hiring settings"

    @classmethod
    def load(cls) -> "HiringSettings":
        return cls.objects.get_or_create(pk=1)[0]


class Exercise(models.Model):
    """A benchmarked code exercise tied to the team's stack."""

    title = models.CharField(max_length=200)
    prompt = models.TextField()
    stack = models.CharField(max_length=120, help_text="e.g. Django + PostgreSQL")
    target = models.CharField(max_length=120, help_text="e.g. under 200 ms")
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class ExerciseAssignment(models.Model):
    """An exercise attached to an interview; emailed to the candidate beforehand."""

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="exercise_assignment"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="assignments")
    sent_at = models.DateTimeField(null=True, blank=True)
    met_target = models.BooleanField("met the target", null=True, blank=True)
    measured = models.CharField(
        "measured figure", max_length=120, blank=True, help_text="e.g. 140 ms"
    )

    def __str__(self) -> str:
        return f"{self.exercise} for {self.interview}"


class ScorecardReminder(models.Model):
    """The n-th reminder for a scorecard; unique, so it is sent once."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("scorecard", "number")
        constraints = [
            models.UniqueConstraint(
                fields=("scorecard", "number"), name="hiring_scorecardreminder_once_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.number} for {self.scorecard}"


# --- Decisions, outcomes, amendments -----------------------------------------


class Decision(models.TextChoices):
    OFFER = "offer", "Offer"
    NO_OFFER = "no_offer", "No offer"


class Outcome(models.TextChoices):
    PERFORMING = "performing", "Performing"
    BAD_HIRE = "bad_hire", "Bad hire"
    LEFT = "left", "Left"


class LoopOutcome(models.Model):
    """The decision on a loop, its cost, and six months later how the hire went."""

    loop = models.OneToOneField(InterviewLoop, on_delete=models.CASCADE, related_name="outcome")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    offer_accepted = models.BooleanField("offer accepted", null=True, blank=True)
    hours = models.DecimalField(
        "hours spent on the loop",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    cost = models.DecimalField(
        "cost of the loop ($)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField("start date", null=True, blank=True)
    six_month_outcome = models.CharField(
        "6-month outcome", max_length=16, choices=Outcome.choices, blank=True
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="offer") | Q(offer_accepted__isnull=True),
                name="hiring_loopoutcome_acceptance_needs_offer",
                violation_error_message="Only an offer can be accepted or declined.",
            ),
            models.CheckConstraint(
                condition=Q(six_month_outcome="") | Q(offer_accepted=True),
                name="hiring_loopoutcome_outcome_needs_hire",
                violation_error_message="A 6-month outcome needs an accepted offer.",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome of {self.loop}"


class ScorecardAmendment(models.Model):
    """A change to a submitted scorecard: who, when, why, and what it was before."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField()
    reason = models.TextField()
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ("-amended_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="hiring_scorecardamendment_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"Amendment of {self.scorecard} at {self.amended_at}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that changed; recommendations by label."""

        def shown(key: str, value: object) -> object:
            if (
                key == "recommendation"
                and isinstance(value, str)
                and value in Recommendation.values
            ):
                return Recommendation(value).label
            return value

        return [
            (key, shown(key, self.before.get(key)), shown(key, self.after.get(key)))
            for key in self.after
            if self.before.get(key) != self.after.get(key)
        ]


# --- Candidate feedback --------------------------------------------------------


class RoleBenchmark(models.Model):
    """Admin-entered benchmark for a role, used until it has enough loops of its own."""

    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="benchmarks"
    )
    dimension = models.CharField(max_length=16, choices=list(scoring.DIMENSION_LABELS.items()))
    average = _score_field("average")
    top_quartile = _score_field("top-25% cut-off")

    class Meta:
        ordering = ("role_profile", "dimension")
        constraints = [
            models.UniqueConstraint(
                fields=("role_profile", "dimension"), name="hiring_rolebenchmark_one_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(top_quartile__gte=F("average")),
                name="hiring_rolebenchmark_top_not_below_average",
                violation_error_message="The top-25% cut-off cannot be below the average.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_profile} {self.dimension}"


class FeedbackTemplate(models.Model):
    """Sentences per dimension. Placeholders: {role} {score} {average} {top} {minimum}."""

    dimension = models.CharField(
        max_length=16, choices=list(scoring.DIMENSION_LABELS.items()), unique=True
    )
    top = models.CharField(
        "top 25% sentence", max_length=300, default="Top 25% of candidates for {role}."
    )
    above_average = models.CharField(
        "above average sentence", max_length=300, default="Above average for {role}."
    )
    below_average = models.CharField(
        "below average sentence", max_length=300, default="Below average for {role}."
    )
    strength_exceptional = models.CharField("strength: exceptional", max_length=300)
    strength_solid = models.CharField("strength: solid", max_length=300)
    improvement_below_threshold = models.CharField("improvement: below threshold", max_length=300)
    improvement_below_average = models.CharField("improvement: below average", max_length=300)

    class Meta:
        ordering = ("dimension",)

    def __str__(self) -> str:
        return f"Feedback template: {self.get_dimension_display()}"


class CandidateFeedback(models.Model):
    """Feedback sent to a candidate: exactly what was sent, when, by whom."""

    loop = models.ForeignKey(InterviewLoop, on_delete=models.CASCADE, related_name="feedback")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_to = models.EmailField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at",)
        verbose_name_plural = "candidate feedback"

    def __str__(self) -> str:
        return f"Feedback to {self.sent_to}"


class AnalyticsSummary(models.Model):
    """The hiring analytics as last computed, so that the page does not read
    every scorecard of the organisation on each request.

    One row. ``changes`` counts the writes that can move the figures
    (scorecards once submitted, interviews, loops, outcomes, role profiles),
    bumped in the writer's own transaction; the figures are fresh while
    ``computed_at_change`` equals it, and are recomputed otherwise."""

    changes = models.PositiveBigIntegerField(default=0)
    computed_at_change = models.PositiveBigIntegerField(null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "hiring analytics summary"
        verbose_name_plural = "hiring analytics summary"

    def __str__(self) -> str:
        return "Hiring analytics summary"
