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
