from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse

from accounts.admin_widgets import KeyCheckedAutocomplete

from . import rubrics
from .models import (
    Candidate,
    CandidateMerge,
    Interview,
    InterviewLoop,
    RoleProfile,
    ScoreBand,
    Scorecard,
)
from .services.candidates import merge_candidates

TUNABLE_FIELDS = (
    "weight_technical",
    "weight_leadership",
    "weight_culture",
    "min_technical",
    "min_leadership",
    "min_culture",
)


class ScoreBandFormSet(BaseInlineFormSet):
    """Each dimension's bands cover 0-100 without gaps or overlaps; the message
    goes next to the bound at fault."""

    def clean(self) -> None:
        super().clean()
        by_dimension: dict[str, list] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            if (
                data.get("dimension")
                and data.get("low") is not None
                and data.get("high") is not None
            ):
                by_dimension.setdefault(data["dimension"], []).append(form)
        for forms in by_dimension.values():
            bounds = [(f.cleaned_data["low"], f.cleaned_data["high"]) for f in forms]
            for problem in rubrics.coverage_problems(bounds):
                forms[problem.index].add_error(problem.field, problem.message)


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    formset = ScoreBandFormSet
    extra = 0
    fields = ("dimension", "low", "high", "label", "description")
    verbose_name = "score band"
    verbose_name_plural = "Score rubric: what each band of 0–100 looks like, per dimension"


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    inlines = (ScoreBandInline,)
    list_display = ("name", "title", *TUNABLE_FIELDS)
    list_editable = TUNABLE_FIELDS
    search_fields = ("name", "title")
    fieldsets = (
        (None, {"fields": ("name", "title")}),
        (
            "Weights (must sum to 1)",
            {"fields": ("weight_technical", "weight_leadership", "weight_culture")},
        ),
        (
            "Minimum passing score (0–100)",
            {"fields": ("min_technical", "min_leadership", "min_culture")},
        ),
    )


class InterviewInline(KeyCheckedAutocomplete, admin.TabularInline):
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
    actions = ("merge_two",)

    @admin.action(description="Merge the two selected candidates", permissions=["delete"])
    def merge_two(self, request, queryset):
        """Choose which of two records to keep; the other's loops move to it."""
        candidates = list(queryset.annotate(loop_count=Count("loops")).order_by("created_at"))
        if len(candidates) != 2:
            self.message_user(
                request, "Select exactly two candidates to merge.", level=messages.ERROR
            )
            return None
        ids = {c.pk for c in candidates}
        if request.POST.get("survivor"):
            try:
                survivor_id = int(request.POST["survivor"])
            except ValueError:
                survivor_id = 0
            if survivor_id not in ids:
                self.message_user(request, "Choose the record to keep.", level=messages.ERROR)
                return None
            (duplicate_id,) = ids - {survivor_id}
            try:
                merge = merge_candidates(
                    survivor_id=survivor_id, duplicate_id=duplicate_id, merged_by=request.user
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
                return None
            self.message_user(
                request,
                f"{merge.merged_name} ({merge.merged_email}) merged into {merge.survivor}: "
                f"{merge.loops_moved} loop{pluralize(merge.loops_moved)} moved.",
                level=messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/hiring/candidate/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge two candidates",
                "opts": self.model._meta,
                "candidates": candidates,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(CandidateMerge)
class CandidateMergeAdmin(admin.ModelAdmin):
    list_display = (
        "merged_name",
        "merged_email",
        "survivor",
        "loops_moved",
        "merged_by",
        "merged_at",
    )
    list_select_related = ("survivor", "merged_by")
    search_fields = ("merged_name", "merged_email", "survivor__name", "survivor__email")
    readonly_fields = (
        "survivor",
        "merged_candidate_id",
        "merged_name",
        "merged_email",
        "loops_moved",
        "merged_by",
        "merged_at",
    )

    def has_add_permission(self, request):
        # Written only by merging two candidates, with what moved.
        return False


def _submitted_fields(model, obj_is_submitted: bool, default) -> tuple:
    """Everything read-only once submitted: a submitted scorecard changes only
    through an amendment, with a reason and its history (the interviewer's page)."""
    if obj_is_submitted:
        return tuple(f.name for f in model._meta.fields if f.editable)
    return default


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("interview", "status", "technical", "leadership", "culture", "recommendation")
    list_filter = ("status", "recommendation")
    list_select_related = ("interview__loop__candidate",)
    search_fields = ("interview__loop__candidate__name",)

    def get_readonly_fields(self, request, obj=None):
        default = super().get_readonly_fields(request, obj)
        return _submitted_fields(Scorecard, obj is not None and obj.is_submitted, default)


# --- STAR-L, feedback, exercises, outcomes ------------------------------------

from .models import (  # noqa: E402
    CandidateFeedback,
    Exercise,
    ExerciseAssignment,
    FeedbackTemplate,
    HiringSettings,
    LoopOutcome,
    RoleBenchmark,
    ScorecardAmendment,
    ScorecardReminder,
    StarlAnchor,
    StarlAnswer,
    StarlQuestion,
)


@admin.register(StarlQuestion)
class StarlQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "dimension", "is_active", "position")
    list_editable = ("dimension", "is_active", "position")
    list_filter = ("dimension", "is_active")
    search_fields = ("text",)


@admin.register(StarlAnchor)
class StarlAnchorAdmin(admin.ModelAdmin):
    list_display = ("part", "rating", "description")
    list_editable = ("description",)
    list_filter = ("part",)
    ordering = ("part", "rating")


@admin.register(StarlAnswer)
class StarlAnswerAdmin(admin.ModelAdmin):
    list_display = ("scorecard", "question", "position")
    list_select_related = ("scorecard__interview__loop__candidate", "question")
    search_fields = ("scorecard__interview__loop__candidate__name",)

    def get_readonly_fields(self, request, obj=None):
        default = super().get_readonly_fields(request, obj)
        return _submitted_fields(
            StarlAnswer, obj is not None and obj.scorecard.is_submitted, default
        )


@admin.register(HiringSettings)
class HiringSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "scorecard_reminder_after_hours",
        "scorecard_reminder_every_hours",
        "scorecard_reminder_max",
        "exercise_lead_hours",
        "outcome_due_days",
        "min_loops_for_benchmarks",
    )

    def has_add_permission(self, request):
        return not HiringSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("title", "stack", "target", "is_active")
    list_filter = ("is_active", "stack")
    search_fields = ("title", "prompt", "stack")


@admin.register(ExerciseAssignment)
class ExerciseAssignmentAdmin(admin.ModelAdmin):
    list_display = ("interview", "exercise", "sent_at", "met_target", "measured")
    list_select_related = ("interview__loop__candidate", "exercise")
    readonly_fields = ("sent_at",)


@admin.register(RoleBenchmark)
class RoleBenchmarkAdmin(admin.ModelAdmin):
    list_display = ("role_profile", "dimension", "average", "top_quartile")
    list_editable = ("average", "top_quartile")
    list_filter = ("role_profile", "dimension")


@admin.register(FeedbackTemplate)
class FeedbackTemplateAdmin(admin.ModelAdmin):
    list_display = ("dimension", "top", "above_average", "below_average")


@admin.register(CandidateFeedback)
class CandidateFeedbackAdmin(admin.ModelAdmin):
    list_display = ("loop", "sent_to", "sent_by", "created_at")
    list_select_related = ("loop__candidate", "loop__role_profile", "sent_by")
    readonly_fields = ("loop", "subject", "body", "sent_to", "sent_by", "created_at")

    def has_add_permission(self, request):
        # Written only when feedback is sent (services/feedback.py); a hand-made one
        # would have nothing to say.
        return False


@admin.register(LoopOutcome)
class LoopOutcomeAdmin(admin.ModelAdmin):
    list_display = ("loop", "decision", "offer_accepted", "hours", "cost", "six_month_outcome")
    list_filter = ("decision", "offer_accepted", "six_month_outcome")
    list_select_related = ("loop__candidate", "loop__role_profile")


@admin.register(ScorecardAmendment)
class ScorecardAmendmentAdmin(admin.ModelAdmin):
    list_display = ("scorecard", "amended_by", "amended_at", "reason")
    list_select_related = ("scorecard__interview__loop__candidate", "amended_by")
    readonly_fields = ("scorecard", "amended_by", "amended_at", "reason", "before", "after")

    def has_add_permission(self, request):
        # Written only by an interviewer's amendment, with its reason and before/after.
        return False


@admin.register(ScorecardReminder)
class ScorecardReminderAdmin(admin.ModelAdmin):
    list_display = ("scorecard", "number", "sent_at")
    list_select_related = ("scorecard__interview__loop__candidate",)
