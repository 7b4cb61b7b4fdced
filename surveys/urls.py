from django.urls import path

from accounts import throttle

from . import views

# Per client IP, never per token: no count ties a person to a time.
by_ip = throttle.limit("survey_link")

app_name = "surveys"
urlpatterns = [
    path("", views.survey_home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("a/<str:token>/", by_ip(views.answer_link), name="answer_link"),
    path("answer/<str:signed>/", by_ip(views.answer_from_link), name="answer_from_link"),
    path("answered/", views.answered, name="answered"),
    path("rounds/<int:round_id>/answer/", views.answer_signed_in, name="answer"),
    path("rounds/<int:round_id>/", views.round_results, name="round_results"),
    path("rounds/<int:round_id>/publish/", views.publish, name="publish"),
    path("rounds/<int:round_id>/action-plan/", views.action_plan, name="action_plan"),
    path("actions/<int:item_id>/status/", views.action_status, name="action_status"),
]
