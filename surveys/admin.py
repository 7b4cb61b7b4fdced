"""What admins tune: questions, cadences, minimum group sizes.

Who answered (invitations), the answer counts and the comments have no admin
page at all; a round's numbers show here only as they show everywhere else:
after close and from its minimum group size on.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models.constants import LOOKUP_SEP

from accounts.admin_widgets import KeyCheckedAutocomplete

from . import aggregation, services
from .models import Cadence, Question, SurveyRound


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "dimension", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("kind", "dimension", "is_active")
    search_fields = ("text",)


@admin.register(Cadence)
class CadenceAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    list_display = (
        "team",
        "every_weeks",
        "open_days",
        "minimum_group_size",
        "minimum_comments",
        "include_enps",
        "include_comment",
        "is_active",
    )
    list_editable = (
        "every_weeks",
        "open_days",
        "minimum_group_size",
        "minimum_comments",
        "include_enps",
        "include_comment",
        "is_active",
    )
    list_filter = ("is_active", "every_weeks")
    search_fields = ("team__name",)
    list_select_related = ("team",)
    autocomplete_fields = ("team",)


class SurveyRoundForm(forms.ModelForm):
    class Meta:
        model = SurveyRound
        fields = ("minimum_group_size", "minimum_comments")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for field in self.Meta.fields:
            # The instance still holds the stored values here.
            value = cleaned.get(field)
            if value is not None and value < getattr(self.instance, field):
                self.add_error(field, "An open round's threshold can be raised, never lowered.")
        return cleaned


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    form = SurveyRoundForm
    list_display = ("__str__", "status", "opened_at", "closes_at", "participation", "score")
    list_filter = ("status", "team")
    search_fields = ("team__name",)
    date_hierarchy = "period_start"
    list_select_related = ("team",)
    # response_count is never a field here: below k it must not show.
    fields = (
        "team",
        "period_start",
        "status",
        "opened_at",
        "closes_at",
        "closed_at",
        "published_at",
        "publish_note",
        "minimum_group_size",
        "minimum_comments",
        "participation",
        "score",
    )

    # Only these fields may be filtered on from the changelist's query string.
    # Django admin otherwise accepts any local field there, and
    # ``?response_count=2`` would show which hidden rounds had exactly 2 answers.
    FILTERABLE = frozenset({"status", "team", "period_start"})

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP, 1)[0] not in self.FILTERABLE:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_readonly_fields(self, request, obj=None):
        # The same form whether or not anyone has answered: the form must not
        # tell. k can be raised while the round is open and is locked after.
        if obj is not None and not obj.is_open:
            return self.fields
        return [f for f in self.fields if f not in ("minimum_group_size", "minimum_comments")]

    def has_add_permission(self, request):
        return False  # rounds are opened by the schedule, exactly once per team and period

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="participation")
    def participation(self, obj):
        if obj.is_open:
            return "hidden while open"
        if not obj.has_results:
            return f"hidden: fewer than {obj.minimum_group_size} answers"
        rate = aggregation.participation_rate(obj.response_count, obj.invited_count)
        return f"{obj.response_count} of {obj.invited_count} ({rate}%)"

    @admin.display(description="feedback score")
    def score(self, obj):
        return obj.feedback_score if obj.has_results else "hidden"

    def save_model(self, request, obj, form, change):
        # The only editable fields; the service re-checks the lock at write time.
        try:
            if "minimum_group_size" in form.changed_data:
                services.set_minimum_group_size(
                    survey_round=obj, minimum_group_size=obj.minimum_group_size
                )
            if "minimum_comments" in form.changed_data:
                services.set_minimum_group_size(
                    survey_round=obj,
                    minimum_group_size=obj.minimum_comments,
                    field="minimum_comments",
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
