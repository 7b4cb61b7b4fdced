from django.urls import path

from . import views

app_name = "hiring"
urlpatterns = [
    path("candidates/", views.loop_list, name="loop_list"),
    path("candidates/new/", views.loop_create, name="loop_create"),
    path("loops/<int:loop_id>/", views.loop_detail, name="loop_detail"),
    path("interviews/", views.my_interviews, name="my_interviews"),
    path("interviews/<int:interview_id>/scorecard/", views.scorecard, name="scorecard"),
]
