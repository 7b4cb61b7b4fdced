from django.apps import AppConfig


class TeamhealthConfig(AppConfig):
    name = "teamhealth"
    verbose_name = "Teams and team health"
