from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top floor: what must know every app (the start page, the demo loader,
    the password reset email, which goes through the outbox)."""

    name = "home"
    verbose_name = "Home"

    def ready(self) -> None:
        from outbox import rendering

        from . import password_reset

        rendering.register(password_reset.KIND, password_reset.render)
