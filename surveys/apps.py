from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Anonymous surveys"

    def ready(self) -> None:
        # Registers the tasks that services queue by name.
        from . import tasks  # noqa: F401
