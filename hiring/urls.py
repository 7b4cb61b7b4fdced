from django.urls import path

from .views import analytics, debrief, exercises, feedback, loops, outcomes, scorecards, starl

app_name = "hiring"
urlpatterns = [
    path("candidates/", loops.loop_list, name="loop_list"),
    path("candidates/new/", loops.loop_create, name="loop_create"),
    path("loops/<int:loop_id>/", loops.loop_detail, name="loop_detail"),
    path("interviews/", scorecards.my_interviews, name="my_interviews"),
    path("interviews/<int:interview_id>/scorecard/", scorecards.scorecard, name="scorecard"),
    # STAR-L entry, exercises, amendments
    path("interviews/<int:interview_id>/starl/", starl.starl_entry, name="starl"),
    path(
        "interviews/<int:interview_id>/starl/autosave/",
        starl.starl_autosave,
        name="starl_autosave",
    ),
    path(
        "interviews/<int:interview_id>/exercise-result/",
        exercises.exercise_result,
        name="exercise_result",
    ),
    path(
        "interviews/<int:interview_id>/scorecard/amend/",
        scorecards.scorecard_amend,
        name="scorecard_amend",
    ),
    # After the interviews
    path("loops/<int:loop_id>/debrief/", debrief.loop_debrief_page, name="loop_debrief"),
    path("loops/<int:loop_id>/feedback/", feedback.loop_feedback, name="loop_feedback"),
    path("loops/<int:loop_id>/decision/", outcomes.loop_decision, name="loop_decision"),
    path("loops/<int:loop_id>/exercises/", exercises.loop_exercises, name="loop_exercises"),
    path("analytics/", analytics.hiring_analytics, name="analytics"),
]
