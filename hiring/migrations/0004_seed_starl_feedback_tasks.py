from decimal import Decimal

from django.db import migrations

from hiring.starl import SEED_ANCHORS, SEED_QUESTIONS

# PRODUCT.md's comparison sentences; admins may reword them per dimension.
COMPARISONS = (
    "Top 25% of candidates for {role}.",
    "Above average for {role}.",
    "Below average for {role}.",
)
# Per dimension: top, above average, below average, strength exceptional,
# strength solid, improvement below threshold, improvement below average.
FEEDBACK_TEMPLATES = {
    "technical": (
        *COMPARISONS,
        "Exceptional technical depth: problem solving and code quality stood out.",
        "Solid technical skills, in line with what the role needs.",
        "Technical skills are below the threshold this role requires ({minimum}).",
        "Technical skills were below the average of candidates for this role.",
    ),
    "leadership": (
        *COMPARISONS,
        "Exceptional leadership: clear ownership, actions and measured results.",
        "Solid leadership examples with clear personal actions.",
        "Leadership examples are below the threshold this role requires ({minimum}).",
        "Leadership examples were below the average of candidates for this role.",
    ),
    "culture": (
        *COMPARISONS,
        "Exceptional collaboration: you raised the bar for how a team works together.",
        "Solid collaboration and communication.",
        "Collaboration is below the threshold this role requires ({minimum}).",
        "Collaboration was below the average of candidates for this role.",
    ),
}

# Admin-entered benchmarks used until a role has 10 submitted loops:
# (average, top-25% cut-off) per dimension.
BENCHMARKS = {"technical": ("72", "84"), "leadership": ("68", "80"), "culture": ("74", "85")}

EXERCISES = [
    (
        "Make the slow orders query fast",
        "The orders report query takes 1200 ms on the attached dataset. Make it run under "
        "200 ms and add the index migration. Explain how you measured it.",
        "Django + PostgreSQL",
        "under 200 ms",
    ),
    (
        "Cut the cost of the image pipeline",
        "The thumbnail pipeline costs $0.40 per 1000 images. Bring it under $0.15 without "
        "losing quality, and show the numbers.",
        "Python + S3 + queues",
        "under $0.15 per 1000 images",
    ),
]

TASKS = [
    ("Hiring: scorecard reminders", "hiring.tasks.send_scorecard_reminders", 1, "hours"),
    ("Hiring: exercises due to candidates", "hiring.tasks.send_due_exercises", 15, "minutes"),
    ("Hiring: 6-month outcome reminders", "hiring.tasks.send_outcome_reminders", 24, "hours"),
]


def seed(apps, schema_editor):
    StarlQuestion = apps.get_model("hiring", "StarlQuestion")
    StarlAnchor = apps.get_model("hiring", "StarlAnchor")
    FeedbackTemplate = apps.get_model("hiring", "FeedbackTemplate")
    RoleBenchmark = apps.get_model("hiring", "RoleBenchmark")
    RoleProfile = apps.get_model("hiring", "RoleProfile")
    Exercise = apps.get_model("hiring", "Exercise")
    HiringSettings = apps.get_model("hiring", "HiringSettings")

    for position, (text, dimension) in enumerate(SEED_QUESTIONS):
        StarlQuestion.objects.get_or_create(
            text=text, defaults={"dimension": dimension, "position": position}
        )
    for part, descriptions in SEED_ANCHORS.items():
        for rating, description in enumerate(descriptions, start=1):
            StarlAnchor.objects.get_or_create(
                part=part, rating=rating, defaults={"description": description}
            )
    for dimension, sentences in FEEDBACK_TEMPLATES.items():
        keys = (
            "top",
            "above_average",
            "below_average",
            "strength_exceptional",
            "strength_solid",
            "improvement_below_threshold",
            "improvement_below_average",
        )
        FeedbackTemplate.objects.get_or_create(
            dimension=dimension, defaults=dict(zip(keys, sentences, strict=True))
        )
    for profile in RoleProfile.objects.all():
        for dimension, (average, top) in BENCHMARKS.items():
            RoleBenchmark.objects.get_or_create(
                role_profile=profile,
                dimension=dimension,
                defaults={"average": Decimal(average), "top_quartile": Decimal(top)},
            )
    for title, prompt, stack, target in EXERCISES:
        Exercise.objects.get_or_create(
            title=title, defaults={"prompt": prompt, "stack": stack, "target": target}
        )
    HiringSettings.objects.get_or_create(pk=1)

    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period in TASKS:
        schedule, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": schedule, "enabled": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0003_starl_feedback_outcomes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
