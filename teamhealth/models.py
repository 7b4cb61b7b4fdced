from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify


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


METRIC_UNITS = {
    Metric.TURNOVER: "%",
    Metric.FEEDBACK_SCORE: "/100",
    Metric.ONCALL_HOURS: "hrs/week",
    Metric.DELIVERY_RATE: "points/sprint",
}


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
        max_length=120, blank=True, help_text="The integration or process that entered it."
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
                condition=~Q(metric__in=["turnover", "feedback_score"]) | Q(value__lte=100),
                name="teamhealth_metricvalue_percent_at_most_100",
                violation_error_message="Turnover and feedback score are between 0 and 100.",
            ),
        ]
        indexes = [models.Index(fields=("metric", "period_start"))]

    def __str__(self) -> str:
        return f"{self.team} {self.get_metric_display()} {self.period_start}: {self.value}"


class HealthSignal(models.Model):
    """A team-health signal raised by another app, for the team-health pages to surface.

    Stand-in until the alert lifecycle lands: the surveys app records here that
    a round's action plan is overdue.
    """

    class Kind(models.TextChoices):
        ACTION_PLAN_OVERDUE = "action_plan_overdue", "Survey action plan overdue"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="health_signals")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=200, help_text="What the signal is about, e.g. the round.")
    message = models.CharField(max_length=300)
    period_start = models.DateField()
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-raised_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("team", "kind", "key"), name="teamhealth_healthsignal_once_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return self.message
