"""Evaluations become rows a sweep finds; alert deliveries move into the outbox.

Deliveries still pending or failed are copied into the outbox (same dedupe
keys, so nothing is sent twice); the old retry schedule gives way to a sweep
of evaluation requests every 15 s on the compute queue.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

OLD_SCHEDULE = "Team health: retry pending notifications"
SWEEP = "Team health: run evaluation requests"


def move_deliveries(apps, schema_editor):
    Delivery = apps.get_model("teamhealth", "Delivery")
    Message = apps.get_model("outbox", "Message")
    messages = []
    for delivery in Delivery.objects.filter(status__in=["pending", "failed"]).iterator():
        kind = "teamhealth.digest" if delivery.event == "digest" else "teamhealth.alert"
        if delivery.event != "digest":
            kind = f"{kind}.{delivery.event}"
        messages.append(
            Message(
                channel=delivery.channel,
                kind=kind,
                about=f"alert:{delivery.alert_id}" if delivery.alert_id else "",
                recipient=delivery.recipient,
                subject=delivery.subject,
                body=delivery.body if delivery.channel == "email" else "",
                payload=delivery.payload,
                dedupe_key=delivery.dedupe_key,
                message_id=f"<{uuid.uuid4().hex}@keel.invalid>",
                status=delivery.status,
                attempts=delivery.attempts,
                last_error=delivery.last_error,
                next_attempt_at=delivery.next_attempt_at,
            )
        )
    Message.objects.bulk_create(messages, batch_size=1000, ignore_conflicts=True)


def swap_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask.objects.filter(name=OLD_SCHEDULE).delete()
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={
            "task": "teamhealth.tasks.run_evaluation_requests",
            "interval": every,
            "expire_seconds": 15,
            "queue": "compute",
        },
    )


def unswap_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teamhealth", "0008_longer_round_labels"),
        ("outbox", "0001_message"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="EvaluationRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("requested_at", models.DateTimeField()),
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="teamhealth.team",
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_deliveries, migrations.RunPython.noop),
        migrations.RunPython(swap_schedules, unswap_schedules),
        migrations.DeleteModel(name="Delivery"),
    ]
