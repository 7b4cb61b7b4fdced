from django.apps import AppConfig


class TeamhealthConfig(AppConfig):
    name = "teamhealth"
    verbose_name = "Teams and team health"

    def ready(self) -> None:
        # Registers the tasks that are woken by name.
        from . import tasks  # noqa: F401
