"""Global default thresholds and the beat schedules of team health (editable in admin)."""

from decimal import Decimal

from django.db import migrations

DEFAULT_LIMITS = {
    "turnover": Decimal("20.0"),
    "feedback_score": Decimal("65.0"),
    "oncall_hours": Decimal("10.0"),
    "delivery_rate": Decimal("20.0"),
}

# name: (task, crontab minute, hour, day_of_week)
SCHEDULES = {
    "Team health: nightly evaluation": ("teamhealth.tasks.evaluate_all_teams", "0", "2", "*"),
    "Team health: retry pending notifications": (
        "teamhealth.tasks.send_pending_deliveries",
        "*/5",
        "*",
        "*",
    ),
    "Team health: weekly digest": ("teamhealth.tasks.send_weekly_digests", "0", "8", "1"),
    "Team health: Jira import": ("teamhealth.tasks.import_jira_boards", "0", "1", "*"),
    "Team health: PagerDuty import": ("teamhealth.tasks.import_pagerduty_schedules", "30", "1", "*"),
}


def seed(apps, schema_editor):
    Threshold = apps.get_model("teamhealth", "Threshold")
    for metric, limit in DEFAULT_LIMITS.items():
        Threshold.objects.get_or_create(team=None, metric=metric, defaults={"limit": limit})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, minute, hour, day_of_week) in SCHEDULES.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teamhealth", "0004_thresholds_outbox_integrations"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
