from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outgoing messages"

    def ready(self) -> None:
        # Registers the delivery task, which wake-ups name.
        from . import tasks  # noqa: F401
