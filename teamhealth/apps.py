from django.apps import AppConfig


class TeamhealthConfig(AppConfig):
    name = "teamhealth"
    verbose_name = "Teams and team health"

    def ready(self) -> None:
        # Registers the tasks that services queue by name (``background``).
        from . import tasks  # noqa: F401
