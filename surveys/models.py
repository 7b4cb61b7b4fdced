"""Anonymous survey rounds.

Who has answered (``Invitation``) is stored apart from what was answered
(``AnswerCount``, ``Comment``). Answers exist only as counts per question and
value; comments carry a random id and no time. Nothing joins the two sides:
see docs/anonymity.md.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from teamhealth import survey_summaries
from teamhealth.models import Team

from . import aggregation, schedule

K_VALIDATORS = [MinValueValidator(aggregation.MINIMUM_GROUP_SIZE_FLOOR)]


class Dimension(models.TextChoices):
    ROLE_CLARITY = "role_clarity", "Role clarity"
    MANAGER_SUPPORT = "manager_support", "Manager support"
    GROWTH = "growth", "Growth opportunities"
    TEAM_DYNAMICS = "team_dynamics", "Team dynamics"


class Question(models.Model):
    """A question of the bank. Likert-5 questions feed the dimensions and the score."""

    class Kind(models.TextChoices):
        LIKERT = "likert", "Likert 1–5 (Strongly disagree … Strongly agree)"
        ENPS = "enps", "eNPS 0–10 (optional)"

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.LIKERT)
    dimension = models.CharField(
        max_length=20, choices=Dimension.choices, blank=True, help_text="Likert questions only."
    )
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the answer page.")
    is_active = models.BooleanField(
        "asked in new rounds",
        default=True,
        help_text="Rounds already opened keep the questions they were opened with.",
    )

    class Meta:
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="likert") & ~Q(dimension=""))
                | (Q(kind="enps") & Q(dimension="")),
                name="surveys_question_dimension_for_likert_only",
                violation_error_message="Likert questions need a dimension; eNPS has none.",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def values(self) -> tuple[int, ...]:
        if self.kind == self.Kind.ENPS:
            return aggregation.ENPS_VALUES
        return aggregation.LIKERT_VALUES


class Cadence(models.Model):
    """How often a team is surveyed, and its minimum group sizes. Edited in admin."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="survey_cadence")
    every_weeks = models.PositiveSmallIntegerField(
        "every (weeks)",
        default=schedule.DEFAULT_EVERY_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    open_days = models.PositiveSmallIntegerField(
        "open for (days)",
        default=schedule.DEFAULT_OPEN_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    minimum_group_size = models.PositiveSmallIntegerField(
        "minimum group size (k)",
        default=aggregation.DEFAULT_MINIMUM_GROUP_SIZE,
        validators=K_VALIDATORS,
        help_text="Below this many answers nothing of a round is shown. Never below 3.",
    )
    minimum_comments = models.PositiveSmallIntegerField(
        "minimum comments",
        default=aggregation.DEFAULT_MINIMUM_COMMENTS,
        validators=K_VALIDATORS,
        help_text="Comments are shown only when at least this many were written. Never below 3.",
    )
    include_enps = models.BooleanField("ask the eNPS question", default=True)
    include_comment = models.BooleanField("ask for a free-text comment", default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("team__name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_group_size__gte=aggregation.MINIMUM_GROUP_SIZE_FLOOR)
                & Q(minimum_comments__gte=aggregation.MINIMUM_GROUP_SIZE_FLOOR),
                name="surveys_cadence_minimum_group_size_at_least_3",
                violation_error_message="A minimum group size is never below 3.",
            ),
            models.CheckConstraint(
                condition=Q(open_days__gte=1) & Q(every_weeks__gte=1),
                name="surveys_cadence_positive",
                violation_error_message="Rounds open for at least a day, at least every week.",
            ),
            models.CheckConstraint(
                condition=Q(open_days__lte=F("every_weeks") * 7),
                name="surveys_cadence_open_within_period",
                violation_error_message="A round cannot stay open longer than its period.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: every {self.every_weeks} weeks, open {self.open_days} days"


class SurveyRound(models.Model):
    """One team's round for one period. Exactly one per team and period."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Published"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_rounds")
    period_start = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publish_note = models.TextField("note to the team", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minimum_group_size = models.PositiveSmallIntegerField(
        "minimum group size (k)", validators=K_VALIDATORS
    )
    minimum_comments = models.PositiveSmallIntegerField(validators=K_VALIDATORS)
    include_comment = models.BooleanField(default=True)
    questions = models.ManyToManyField(Question, related_name="rounds")
    # Aggregates written at close; participation is only ever an aggregate.
    invited_count = models.PositiveIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)
    feedback_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # Which run of ``open_due_rounds`` inserted the row: two runs racing each
    # insert with their own id, the unique constraint keeps one, and only the
    # run whose id survived sends the invitations.
    opening_run = models.UUIDField(editable=False)

    class Meta:
        ordering = ("-period_start", "team__name")
        constraints = [
            models.UniqueConstraint(
                fields=("team", "period_start"),
                name="surveys_surveyround_one_per_team_period",
                violation_error_message="This team already has a round for this period.",
            ),
            models.CheckConstraint(
                condition=Q(minimum_group_size__gte=aggregation.MINIMUM_GROUP_SIZE_FLOOR)
                & Q(minimum_comments__gte=aggregation.MINIMUM_GROUP_SIZE_FLOOR),
                name="surveys_surveyround_minimum_group_size_at_least_3",
                violation_error_message="A minimum group size is never below 3.",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opened_at")),
                name="surveys_surveyround_closes_after_opening",
                violation_error_message="A round closes after it opens.",
            ),
        ]
        indexes = [models.Index(fields=("status", "closes_at"))]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("surveys:round_results", args=[self.pk])

    @property
    def label(self) -> str:
        return f"{self.team.name} · {self.period_start:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def has_results(self) -> bool:
        """Closed (or published) with enough answers: the only case anything is shown."""
        return not self.is_open and aggregation.can_show(
            self.response_count, self.minimum_group_size
        )

    @property
    def closed_on(self) -> date:
        """The local day the round closed (while open: the day it closes)."""
        return timezone.localdate(self.closed_at or self.closes_at)

    @property
    def action_plan_due_on(self) -> date:
        """The last day to publish the action plan (``survey_summaries.action_plan_due_on``)."""
        return survey_summaries.action_plan_due_on(self.closed_on)

    @property
    def publish_due_at(self):
        return schedule.publish_due_at(self.closed_at or self.closes_at)


class Invitation(models.Model):
    """Who was invited to a round and whether they have answered: participation.

    Never joined to answers. No time of answering is kept (only the round's
    own times), so the order of answering cannot be matched to anything.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    has_answered = models.BooleanField(default=False)
    reminded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("round", "user"),
                name="surveys_invitation_one_per_person_round",
                violation_error_message="This person is already invited to this round.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.round_id}"


class InvitationLink(models.Model):
    """A link a person was emailed: the SHA-256 of its token, never the token.

    Written by the outbox's renderer just before the email goes out, and
    committed before it does, so every link that reaches someone works. A
    person may hold several (an email sent twice after a worker died); all
    work until they answer, and the day-3 reminder replaces the invitation's
    links (its email says so). Deleted when the person answers and when the
    round closes, so no hash outlives the round.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        REMINDER = "reminder", "Reminder"

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} link of invitation {self.invitation_id}"


class AnswerCount(models.Model):
    """How many people of a round chose one value of one question. No person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="answer_counts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("round", "question", "value"),
                name="surveys_answercount_one_per_round_question_value",
            ),
            models.CheckConstraint(
                condition=Q(value__lte=10), name="surveys_answercount_value_in_range"
            ),
        ]

    def __str__(self) -> str:
        # Never the value or the count: Django admin prints this on delete
        # pages (e.g. a question's protected objects), whatever the round's k.
        return f"Answers to question {self.question_id} in round {self.round_id}"


class Comment(models.Model):
    """A free-text comment. Random id, no author, no time; shown in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(max_length=2000)

    class Meta:
        # Never by insertion: a random id gives no order a reader could match.
        ordering = ("id",)

    def __str__(self) -> str:
        return f"Comment on round {self.round_id}"


class ActionPlan(models.Model):
    """The manager's answer to a round's top concerns, published to the team."""

    round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, related_name="action_plan")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published_at",)

    def __str__(self) -> str:
        return f"Action plan for {self.round}"


class ActionItem(models.Model):
    """One action for one of the top concerns: what, who, by when, and how far it got."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_actions"
    )
    due_on = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "question"), name="surveys_actionitem_one_per_concern"
            ),
        ]

    def __str__(self) -> str:
        return self.what


class ActionStatusChange(models.Model):
    """Who moved an action to which status, and when. Not survey data: nothing of an answer."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=12, choices=ActionItem.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ("-changed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.item} → {self.get_status_display()}"
