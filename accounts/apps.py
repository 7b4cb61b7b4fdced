from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the single sign-on check
        from .middleware import start_session_clock

        # Stamped in the sign-in request itself, so no later request has to write it.
        user_logged_in.connect(start_session_clock, dispatch_uid="keel_start_session_clock")
