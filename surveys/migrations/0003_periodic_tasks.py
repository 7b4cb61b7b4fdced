from django.db import migrations

# (name, task, crontab minute, hour): schedules stay editable in admin.
TASKS = [
    ("Surveys: open due rounds", "surveys.tasks.open_due_rounds", "5", "*"),
    ("Surveys: close rounds at their deadline", "surveys.tasks.close_due_rounds", "*/5", "*"),
    ("Surveys: day-3 reminders", "surveys.tasks.send_due_reminders", "15", "*"),
    ("Surveys: publish results 48 h after close", "surveys.tasks.publish_due_results", "25", "*"),
    ("Surveys: overdue action plans", "surveys.tasks.check_overdue_action_plans", "35", "*"),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "enabled": True}
        )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_seed_questions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
