from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Anonymous surveys"

    def ready(self) -> None:
        from outbox import rendering

        # Registers the tasks that are queued by name.
        from . import links, tasks  # noqa: F401

        for kind in links.KINDS:
            rendering.register(kind, links.render)
