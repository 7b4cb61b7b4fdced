from django.urls import path

from . import views, views_followup, views_starl

app_name = "hiring"
urlpatterns = [
    path("candidates/", views.loop_list, name="loop_list"),
    path("candidates/new/", views.loop_create, name="loop_create"),
    path("loops/<int:loop_id>/", views.loop_detail, name="loop_detail"),
    path("interviews/", views.my_interviews, name="my_interviews"),
    path("interviews/<int:interview_id>/scorecard/", views.scorecard, name="scorecard"),
    # STAR-L entry, exercises, amendments
    path("interviews/<int:interview_id>/starl/", views_starl.starl_entry, name="starl"),
    path(
        "interviews/<int:interview_id>/starl/autosave/",
        views_starl.starl_autosave,
        name="starl_autosave",
    ),
    path(
        "interviews/<int:interview_id>/exercise-result/",
        views_followup.exercise_result,
        name="exercise_result",
    ),
    path(
        "interviews/<int:interview_id>/scorecard/amend/",
        views_followup.scorecard_amend,
        name="scorecard_amend",
    ),
    # After the interviews
    path("loops/<int:loop_id>/feedback/", views_followup.loop_feedback, name="loop_feedback"),
    path("loops/<int:loop_id>/decision/", views_followup.loop_decision, name="loop_decision"),
    path("loops/<int:loop_id>/exercises/", views_followup.loop_exercises, name="loop_exercises"),
    path("analytics/", views_followup.hiring_analytics, name="analytics"),
]
