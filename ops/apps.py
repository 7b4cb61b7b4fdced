from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Counts every task run and failure, in whichever process runs it.
        from . import metrics

        metrics.connect_task_signals()
