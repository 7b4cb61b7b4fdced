"""Links become rows of their own, written when the outbox sends them.

Links already emailed for open rounds keep working (their hashes move over);
people whose link was still waiting get it through the outbox.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

SCHEDULE = "Surveys: send pending survey links (retries refused emails)"


def move_links(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    InvitationLink = apps.get_model("surveys", "InvitationLink")
    Message = apps.get_model("outbox", "Message")
    waiting = Invitation.objects.filter(round__status="open", has_answered=False)
    InvitationLink.objects.bulk_create(
        [
            InvitationLink(
                invitation_id=pk,
                token_hash=token_hash,
                kind="reminder" if reminded else "invitation",
            )
            for pk, token_hash, reminded in waiting.filter(link_sent=True).values_list(
                "pk", "token_hash", "reminded"
            )
        ],
        batch_size=2000,
    )
    messages = []
    for pk, email, reminded in (
        waiting.filter(link_sent=False, user__is_active=True)
        .exclude(user__email="")
        .values_list("pk", "user__email", "reminded")
    ):
        kind = "surveys.reminder" if reminded else "surveys.invitation"
        messages.append(
            Message(
                channel="email",
                kind=kind,
                about=f"invitation:{pk}",
                recipient=email,
                rendered_at_send=True,
                dedupe_key=f"{kind}-{pk}",
                message_id=f"<{uuid.uuid4().hex}@keel.invalid>",
            )
        )
    Message.objects.bulk_create(messages, batch_size=2000, ignore_conflicts=True)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_send_pending_links_schedule"),
        ("outbox", "0001_message"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="InvitationLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("invitation", "Invitation"), ("reminder", "Reminder")],
                        max_length=10,
                    ),
                ),
                (
                    "invitation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="surveys.invitation",
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="link_sent"),
        migrations.RemoveField(model_name="invitation", name="token_hash"),
    ]
