from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, LOGIN_USERS, load_people
from accounts.models import User
from hiring.demo import load_amendment, load_exercise_and_reminders, load_history, load_loops
from surveys.demo import load_survey_teams, load_surveys
from teamhealth.demo import evaluate_demo_teams, load_health, load_teams


class Command(BaseCommand):
    help = "Load demo people, teams, hiring loops and survey rounds. Safe to run again."

    def handle(self, *args, **options):
        # Each step after loading the people is given them.
        steps: list[tuple[str, Callable[[dict[str, User]], object]]] = [
            ("teams", load_teams),
            ("hiring loops", load_loops),
            ("hiring history with 6-month outcomes", load_history),
            ("interview exercises", load_exercise_and_reminders),
            ("an amended scorecard", load_amendment),
            ("team health metrics and alerts", load_health),
            ("survey teams", load_survey_teams),
            ("survey rounds, half a year of them, with action plans", load_surveys),
            ("team health evaluation", evaluate_demo_teams),
        ]
        total = len(steps) + 1
        # The demo's history (published rounds, sent feedback) is not news to anyone:
        # its emails are kept in memory instead of reaching the console or SMTP.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            self.stdout.write(f"[1/{total}] people…")
            people = load_people()
            for index, (label, step) in enumerate(steps, start=2):
                self.stdout.write(f"[{index}/{total}] {label}…")
                step(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): {', '.join(LOGIN_USERS)}")
