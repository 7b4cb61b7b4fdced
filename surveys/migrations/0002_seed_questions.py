from django.db import migrations

# Likert-5 questions per dimension of PRODUCT.md, plus the optional eNPS one.
QUESTIONS = [
    ("role_clarity", "I know what is expected of me in my role."),
    ("role_clarity", "I understand how my work contributes to the team's goals."),
    ("role_clarity", "The priorities for the current sprint are clear to me."),
    (
        "manager_support",
        "My manager provides actionable, specific feedback on my work at least once per sprint.",
    ),
    ("manager_support", "I can raise a concern with my manager without worrying about the consequences."),
    ("manager_support", "My manager helps me remove blockers quickly."),
    ("growth", "I am learning skills in this role that matter for my career."),
    ("growth", "I have had a useful conversation about my growth in the last month."),
    ("growth", "I can see a path to the next step of my career here."),
    ("team_dynamics", "I can rely on my teammates to help when I am stuck."),
    ("team_dynamics", "Disagreements in the team are resolved respectfully and in the open."),
    ("team_dynamics", "Work is shared fairly across the team."),
]
ENPS = (
    "How likely are you to recommend this team as a place to work to a friend? "
    "(0 = not at all likely, 10 = extremely likely)"
)


def seed(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    for position, (dimension, text) in enumerate(QUESTIONS, start=1):
        Question.objects.get_or_create(
            text=text, defaults={"kind": "likert", "dimension": dimension, "position": position}
        )
    Question.objects.get_or_create(
        text=ENPS, defaults={"kind": "enps", "dimension": "", "position": 100}
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
