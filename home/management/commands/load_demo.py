from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, LOGIN_USERS, load_people
from hiring.demo import load_amendment, load_exercise_and_reminders, load_history, load_loops
from surveys.demo import load_surveys
from teamhealth.demo import evaluate_demo_teams, load_health, load_teams


class Command(BaseCommand):
    help = "Load demo people, teams, hiring loops and survey rounds. Safe to run again."

    def handle(self, *args, **options):
        steps = [
            ("people", load_people),
            ("teams", load_teams),
            ("hiring loops", load_loops),
            ("hiring history with 6-month outcomes", load_history),
            ("interview exercises", load_exercise_and_reminders),
            ("an amended scorecard", load_amendment),
            ("team health metrics and alerts", load_health),
            ("survey rounds", load_surveys),
            ("team health evaluation", evaluate_demo_teams),
        ]
        people = None
        # The demo's history (published rounds, sent feedback) is not news to anyone:
        # its emails are kept in memory instead of reaching the console or SMTP.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            for index, (label, step) in enumerate(steps, start=1):
                self.stdout.write(f"[{index}/{len(steps)}] {label}…")
                result = step() if people is None else step(people)
                if people is None:
                    people = result
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): {', '.join(LOGIN_USERS)}")
