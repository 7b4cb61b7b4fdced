from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("a/<str:token>/", views.answer_link, name="answer_link"),
    path("answer/<str:signed>/", views.answer_from_link, name="answer_from_link"),
    path("answered/", views.answered, name="answered"),
    path("rounds/<int:round_id>/answer/", views.answer_signed_in, name="answer"),
    path("rounds/<int:round_id>/", views.round_results, name="round_results"),
    path("rounds/<int:round_id>/publish/", views.publish, name="publish"),
    path("rounds/<int:round_id>/action-plan/", views.action_plan, name="action_plan"),
]
