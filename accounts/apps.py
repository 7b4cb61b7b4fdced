from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from outbox import rendering

        from . import password_reset

        rendering.register(password_reset.KIND, password_reset.render)
