import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify

from .encryption import EncryptedTextField
from .thresholds import PERCENT_MAX, PERCENT_METRICS


class Team(models.Model):
    """An engineering team. Its managers read its health; its members answer surveys."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships that are active on the given date (today when omitted)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class Membership(models.Model):
    """A person's time on a team. Turnover is computed from these dates."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ("team", "joined_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="teamhealth_membership_left_after_joined",
                violation_error_message="A member cannot leave before they joined.",
            ),
            models.UniqueConstraint(
                fields=("team", "user"),
                condition=Q(left_on__isnull=True),
                name="teamhealth_membership_one_open_per_person",
                violation_error_message="This person is already a current member of this team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class Metric(models.TextChoices):
    TURNOVER = "turnover", "6-month turnover"
    FEEDBACK_SCORE = "feedback_score", "Feedback score"
    ONCALL_HOURS = "oncall_hours", "On-call burden"
    DELIVERY_RATE = "delivery_rate", "Delivery rate"


class Source(models.TextChoices):
    MANUAL = "manual", "Manual entry"
    CSV = "csv", "CSV import"
    API = "api", "API"
    JIRA = "jira", "Jira"
    PAGERDUTY = "pagerduty", "PagerDuty"
    SURVEY = "survey", "Survey"
    COMPUTED = "computed", "Computed from memberships"


class MetricValue(models.Model):
    """One metric of one team for one period, with where it came from."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="metric_values")
    metric = models.CharField(max_length=20, choices=Metric.choices)
    period_start = models.DateField(help_text="First day of the two-week period.")
    value = models.DecimalField(max_digits=8, decimal_places=2)
    source = models.CharField(max_length=16, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who entered it, when a person did.",
    )
    entered_via = models.CharField(
        max_length=200, blank=True, help_text="The integration or process that entered it."
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("team", "metric", "period_start")
        constraints = [
            models.UniqueConstraint(
                fields=("team", "metric", "period_start"),
                name="teamhealth_metricvalue_one_per_team_metric_period",
                violation_error_message="This team already has a value for this metric and period.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="teamhealth_metricvalue_not_negative",
                violation_error_message="A metric value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~Q(metric__in=list(PERCENT_METRICS)) | Q(value__lte=PERCENT_MAX),
                name="teamhealth_metricvalue_percent_at_most_100",
                violation_error_message="Turnover and feedback score are between 0 and 100.",
            ),
        ]
        indexes = [models.Index(fields=("metric", "period_start"))]

    def __str__(self) -> str:
        return f"{self.team} {self.get_metric_display()} {self.period_start}: {self.value}"


class AlertSubject(models.TextChoices):
    """What an alert is about: one of the four metrics, or a survey's action plan."""

    TURNOVER = "turnover", "6-month turnover"
    FEEDBACK_SCORE = "feedback_score", "Feedback score"
    ONCALL_HOURS = "oncall_hours", "On-call burden"
    DELIVERY_RATE = "delivery_rate", "Delivery rate"
    ACTION_PLAN = "action_plan", "Survey action plan"


class Alert(models.Model):
    """A team's problem with one metric, followed from firing to resolved.

    At most one alert per team and subject is open (not resolved) at a time: a
    lifecycle, not a stream of emails.
    """

    class Kind(models.TextChoices):
        BREACH = "breach", "Past its threshold"
        EARLY_WARNING = "early_warning", "Early warning"
        ACTION_PLAN_OVERDUE = "action_plan_overdue", "Action plan overdue"

    class Status(models.TextChoices):
        FIRING = "firing", "Firing"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="alerts")
    subject = models.CharField(max_length=20, choices=AlertSubject.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FIRING)
    message = models.CharField(max_length=300)
    reason = models.TextField(blank=True, help_text="Why it fired, in words.")
    key = models.CharField(
        max_length=200,
        blank=True,
        help_text="What this alert is about within its subject (e.g. the survey round).",
    )
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    limit = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    severity = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="How far past the limit; a larger severity escalates the alert.",
    )
    peak_severity = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="The worst severity people were told of; only going past it escalates.",
    )
    period_start = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledge_note = models.TextField(blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_notified_period = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped by each change that notifies; makes deliveries unique."
    )

    class Meta:
        ordering = ("-opened_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("team", "subject"),
                condition=~Q(status="resolved"),
                name="teamhealth_alert_one_open_per_team_subject",
                violation_error_message="This team already has an open alert for this metric.",
            ),
        ]
        indexes = [models.Index(fields=("status", "team"))]

    def __str__(self) -> str:
        return self.message

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def shown_status(self) -> str:
        """ "snoozed" for a firing alert while its snooze lasts, else its status."""
        from django.utils import timezone

        from . import lifecycle

        return lifecycle.shown_status(
            status=self.status, snoozed_until=self.snoozed_until, today=timezone.localdate()
        )

    @property
    def shown_status_label(self) -> str:
        from . import lifecycle

        shown = self.shown_status
        if shown == lifecycle.SNOOZED:
            return f"Snoozed until {self.snoozed_until:%-d %b %Y}"
        return self.Status(shown).label

    @property
    def unit(self) -> str:
        """The unit of the alert's value and limit ("" for the action-plan alert)."""
        from .thresholds import UNIT

        return UNIT.get(self.subject, "")


class AlertEvent(models.Model):
    """One line of an alert's timeline, written by the alert services with the change itself.

    Which changes are lines is ``lifecycle.timeline_event``; where people were
    notified is read from the outbox messages about the alert.
    """

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        REMINDED = "reminded", "Reminded"
        ESCALATED = "escalated", "Escalated"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        SNOOZED = "snoozed", "Snoozed"
        RESOLVED = "resolved", "Resolved"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    limit = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    snoozed_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("at", "pk")
        indexes = [
            models.Index(fields=("alert", "kind", "at"), name="teamhealth_alertevent_kind_at")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Threshold(models.Model):
    """A metric's limit: global (no team) or a team's override of it.

    Turnover and on-call burden have a maximum; feedback score and delivery
    rate a minimum (see ``teamhealth.thresholds``).
    """

    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thresholds",
        help_text="Leave empty for the global default.",
    )
    metric = models.CharField(max_length=20, choices=Metric.choices)
    limit = models.DecimalField(max_digits=8, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("team__name", "metric")
        constraints = [
            models.UniqueConstraint(
                fields=("metric",),
                condition=Q(team__isnull=True),
                name="teamhealth_threshold_one_global_per_metric",
                violation_error_message="There is already a global threshold for this metric.",
            ),
            models.UniqueConstraint(
                fields=("team", "metric"),
                name="teamhealth_threshold_one_per_team_metric",
                violation_error_message="This team already overrides this metric.",
            ),
            models.CheckConstraint(
                condition=Q(limit__gte=0),
                name="teamhealth_threshold_not_negative",
                violation_error_message="A threshold is 0 or more.",
            ),
            models.CheckConstraint(
                condition=~Q(metric__in=list(PERCENT_METRICS)) | Q(limit__lte=PERCENT_MAX),
                name="teamhealth_threshold_percent_at_most_100",
                violation_error_message="Turnover and feedback score are between 0 and 100.",
            ),
        ]

    def __str__(self) -> str:
        where = self.team.name if self.team is not None else "Global"
        return f"{where}: {self.get_metric_display()} {self.limit}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .thresholds import validate_limit

        if self.limit is not None and self.metric:
            problem = validate_limit(self.metric, self.limit)
            if problem:
                raise ValidationError({"limit": problem})


class SlackWebhook(models.Model):
    """A Slack incoming webhook: the global one (no team) or a team's own channel."""

    team = models.OneToOneField(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="slack_webhook",
        help_text="Leave empty for the global channel that hears about every team.",
    )
    url = models.URLField(max_length=500, help_text="https://hooks.slack.com/services/…")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("active",),
                condition=Q(team__isnull=True, active=True),
                name="teamhealth_slackwebhook_one_active_global",
                violation_error_message="There is already an active global webhook.",
            )
        ]

    def __str__(self) -> str:
        return f"Slack for {self.team or 'every team'}"


class EvaluationRequest(models.Model):
    """A team whose health must be evaluated again: new data, or a threshold changed.

    Written in the transaction that changed the data, so the request survives
    whatever happens to the broker; the Celery message that follows is only a
    wake-up, and the compute sweep (every 15 s) runs whatever was not woken.
    The row is deleted once an evaluation that started after ``requested_at``
    has finished.
    """

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Evaluate {self.team} (asked {self.requested_at:%Y-%m-%d %H:%M:%S})"


class IntegrationToken(models.Model):
    """A bearer token an integration uses to push metric values through the API.

    Only a SHA-256 of the token is stored; the token is shown once, at creation.
    Its scope never grows: every team only when ``all_teams`` says so, otherwise
    the teams listed, and a token whose teams were all deleted writes nothing.
    """

    name = models.CharField(max_length=120, unique=True, help_text="e.g. 'Grafana exporter'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    all_teams = models.BooleanField(
        "All teams",
        default=False,
        help_text="May write to every team, including teams created later.",
    )
    teams = models.ManyToManyField(
        Team, blank=True, help_text="Teams it may write to when it is not for all teams."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_of(token: str) -> str:
        """What is stored of a token, and looked up: its SHA-256 (256 random bits
        need no salt or stretching)."""
        return hashlib.sha256(token.encode()).hexdigest()


class JiraBoard(models.Model):
    """A Jira Software board whose closed sprints give a team's delivery rate."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="jira_boards")
    base_url = models.URLField(help_text="e.g. https://yourcompany.atlassian.net")
    board_id = models.PositiveIntegerField()
    email = models.EmailField(help_text="The Jira account the API token belongs to.")
    api_token = EncryptedTextField(help_text="Stored encrypted (KEEL_SECRETS_KEYS).")
    active = models.BooleanField(default=True)
    last_imported_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Jira board {self.board_id} for {self.team}"


class PagerDutySchedule(models.Model):
    """PagerDuty schedules whose on-call shifts give a team's on-call burden."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pagerduty_schedules")
    base_url = models.URLField(default="https://api.pagerduty.com")
    api_token = EncryptedTextField(help_text="Stored encrypted (KEEL_SECRETS_KEYS).")
    schedule_ids = models.CharField(max_length=300, help_text="Comma-separated schedule ids.")
    active = models.BooleanField(default=True)
    last_imported_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"PagerDuty {self.schedule_ids} for {self.team}"


class SurveySummary(models.Model):
    """A survey round's results as the team page shows them, pushed by the surveys app.

    ``teamhealth`` never imports ``surveys``: the surveys app records this when
    a round's results become visible (only when the round met its minimum
    group size) and again when its action plan is published. One per team
    and round.
    """

    class ActionPlanStatus(models.TextChoices):
        AWAITING = "awaiting", "Awaiting the action plan"
        PUBLISHED = "published", "Action plan published"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_summaries")
    # Room for a 120-character team name plus the round's date.
    round_label = models.CharField(max_length=200)
    closed_on = models.DateField()
    feedback_score = models.DecimalField(max_digits=5, decimal_places=1)
    dimension_scores = models.JSONField(
        default=dict, blank=True, help_text="{dimension: score 0-100}, in display order."
    )
    top_concerns = models.JSONField(default=list, blank=True)
    results_url = models.CharField(max_length=500, help_text="Where the full results are.")
    action_plan_status = models.CharField(
        max_length=12, choices=ActionPlanStatus.choices, default=ActionPlanStatus.AWAITING
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("team", "-closed_on")
        verbose_name_plural = "survey summaries"
        constraints = [
            models.UniqueConstraint(
                fields=("team", "round_label"),
                name="teamhealth_surveysummary_one_per_team_round",
                violation_error_message="This team already has a summary of this round.",
            ),
            models.CheckConstraint(
                condition=Q(feedback_score__gte=0) & Q(feedback_score__lte=100),
                name="teamhealth_surveysummary_score_0_to_100",
                violation_error_message="A feedback score is between 0 and 100.",
            ),
        ]
        indexes = [models.Index(fields=("team", "closed_on"))]

    def __str__(self) -> str:
        return f"{self.team}: survey {self.round_label}"
