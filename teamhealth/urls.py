from django.urls import path

from . import views

app_name = "teamhealth"
urlpatterns = [
    path("", views.my_teams, name="my_teams"),
    path("org/", views.org_overview, name="org_overview"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/snooze/", views.alert_snooze, name="alert_snooze"),
    path("values/new/", views.metric_entry, name="metric_entry"),
    path("values/import/", views.metric_import, name="metric_import"),
]
