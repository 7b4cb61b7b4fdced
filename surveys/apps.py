from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Anonymous surveys"

    def ready(self) -> None:
        from outbox import rendering

        from . import links

        for kind in links.KINDS:
            rendering.register(kind, links.render)
