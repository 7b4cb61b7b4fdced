from django.contrib import admin

from .models import Candidate, Interview, InterviewLoop, RoleProfile, Scorecard

TUNABLE_FIELDS = (
    "weight_technical",
    "weight_leadership",
    "weight_culture",
    "min_technical",
    "min_leadership",
    "min_culture",
)


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    list_display = ("name", *TUNABLE_FIELDS)
    list_editable = TUNABLE_FIELDS
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("name",)}),
        (
            "Weights (must sum to 1)",
            {"fields": ("weight_technical", "weight_leadership", "weight_culture")},
        ),
        (
            "Minimum passing score (0–100)",
            {"fields": ("min_technical", "min_leadership", "min_culture")},
        ),
    )


class InterviewInline(admin.TabularInline):
    model = Interview
    extra = 0
    autocomplete_fields = ("interviewer",)


@admin.register(InterviewLoop)
class InterviewLoopAdmin(admin.ModelAdmin):
    list_display = ("candidate", "role_profile", "method", "status", "created_at")
    list_filter = ("status", "method", "role_profile")
    search_fields = ("candidate__name", "candidate__email")
    list_select_related = ("candidate", "role_profile")
    filter_horizontal = ("recruiters",)
    inlines = (InterviewInline,)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "created_at")
    search_fields = ("name", "email")


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("interview", "status", "technical", "leadership", "culture", "recommendation")
    list_filter = ("status", "recommendation")
    list_select_related = ("interview__loop__candidate",)
    search_fields = ("interview__loop__candidate__name",)
