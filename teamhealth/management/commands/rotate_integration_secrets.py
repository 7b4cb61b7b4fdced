from django.core.management.base import BaseCommand

from teamhealth.services import credentials


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored Jira and PagerDuty token with the first of "
        "KEEL_SECRETS_KEYS; afterwards the other keys can be removed."
    )

    def handle(self, *args, **options):
        count = credentials.reencrypt_integration_secrets()
        self.stdout.write(f"Re-encrypted {count} integration token(s) with the first key.")
