from collections.abc import MutableMapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils.cache import add_never_cache_headers

from accounts.admin_widgets import KeyCheckedAutocomplete, KeyCheckedModelMultipleChoiceField

from . import selectors, thresholds
from .csv_import import RowError
from .forms import CsvImportForm
from .models import (
    Alert,
    IntegrationToken,
    JiraBoard,
    Membership,
    MetricValue,
    PagerDutySchedule,
    SlackWebhook,
    SurveySummary,
    Team,
    Threshold,
)
from .services import credentials, metrics
from .services import thresholds as threshold_services


class MembershipInline(KeyCheckedAutocomplete, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    filter_horizontal = ("managers",)
    prepopulated_fields = {"slug": ("name",)}
    # Threshold overrides are edited under Thresholds, where the preview is.
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    list_display = ("user", "team", "joined_on", "left_on")
    list_filter = ("team",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "team__name")
    autocomplete_fields = ("user", "team")
    list_select_related = ("user", "team")


class ThresholdForm(forms.ModelForm):
    """A threshold is saved only once its preview has been shown for the limit being saved.

    With JavaScript the preview appears as the limit is typed and fills
    ``previewed_limit``; without it, the first save shows the preview as the
    limit's message and the second save confirms it.
    """

    previewed_limit = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Threshold
        fields = ("team", "metric", "limit")
        help_texts = {
            "limit": (
                "Turnover and on-call burden are maxima; feedback score and delivery rate minima. "
                "A value equal to the threshold does not fire."
                '<div id="threshold-preview" class="threshold-preview" aria-live="polite"></div>'
                '<div class="threshold-preview-chart" hidden>'
                '<canvas id="threshold-preview-chart" role="img" aria-label="The team\'s values '
                'over the last 12 periods, with the proposed threshold drawn"></canvas></div>'
            )
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        metric, limit, team = data.get("metric"), data.get("limit"), data.get("team")
        if self.errors or metric is None or limit is None:
            return data
        if thresholds.validate_limit(metric, limit):
            return data  # the model's validation explains it
        unchanged = self.instance.pk is not None and not (
            {"team", "metric", "limit"} & set(self.changed_data)
        )
        if unchanged or _same_number(data.get("previewed_limit"), limit):
            return data
        from django.utils import timezone

        preview = selectors.threshold_preview(
            metric=metric, limit=limit, team=team, today=timezone.localdate()
        )
        # The preview has now been shown for this limit: saving it again confirms it.
        bound: MutableMapping[str, Any] = (
            self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        )
        bound[self.add_prefix("previewed_limit")] = str(limit)
        self.data = bound
        self.add_error(
            "limit",
            f"Check what this would do, then save again to confirm: {preview['message']}",
        )
        return data


def _same_number(text, number) -> bool:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text) == number
    except (InvalidOperation, TypeError):
        return False


@admin.register(Threshold)
class ThresholdAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    form = ThresholdForm
    list_display = ("metric", "team_or_global", "limit", "updated_at")
    list_filter = ("metric", ("team", admin.EmptyFieldListFilter))
    search_fields = ("team__name",)
    autocomplete_fields = ("team",)
    list_select_related = ("team",)

    class Media:
        js = ("vendor/chartjs/chart.umd.min.js", "js/threshold_preview.js")
        css = {"all": ("css/teamhealth_admin.css",)}

    def save_model(self, request, obj, form, change):
        threshold_services.save_threshold(threshold=obj)

    def delete_model(self, request, obj):
        threshold_services.delete_threshold(threshold=obj)

    def delete_queryset(self, request, queryset):
        for threshold in queryset:
            threshold_services.delete_threshold(threshold=threshold)

    @admin.display(description="Applies to", ordering="team__name")
    def team_or_global(self, obj):
        return obj.team.name if obj.team_id else "Global default"

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="teamhealth_threshold_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """How many alerts a limit would have raised over the last 12 periods (JSON)."""
        from decimal import Decimal, InvalidOperation

        from django.http import JsonResponse
        from django.utils import timezone

        metric = request.GET.get("metric", "")
        if metric not in thresholds.METRICS:
            return JsonResponse({"error": "Choose a metric."}, status=400)
        team_id = request.GET.get("team", "")
        team = Team.objects.filter(pk=team_id).first() if team_id.isdigit() else None
        today = timezone.localdate()
        # The team's chart is drawn whatever the limit: a bad one shows its message beside it.
        chart = selectors.threshold_chart(metric=metric, team=team, today=today)
        try:
            limit = Decimal(request.GET.get("limit", ""))
        except InvalidOperation:
            return JsonResponse({"error": "Enter a number.", "chart": chart}, status=400)
        problem = thresholds.validate_limit(metric, limit)
        if problem:
            return JsonResponse({"error": problem, "chart": chart}, status=400)
        preview = selectors.threshold_preview(metric=metric, limit=limit, team=team, today=today)
        return JsonResponse({**preview, "limit": float(limit), "chart": chart})


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("message", "team", "subject", "kind", "status", "opened_at", "snoozed_until")
    list_filter = ("status", "kind", "subject", "team")
    search_fields = ("message", "team__name")
    list_select_related = ("team",)
    readonly_fields = ("opened_at", "updated_at", "version", "last_notified_period")
    date_hierarchy = "opened_at"


@admin.register(MetricValue)
class MetricValueAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    list_display = (
        "team",
        "metric",
        "period_start",
        "value",
        "source",
        "entered_by",
        "entered_via",
    )
    list_filter = ("metric", "source", "team")
    search_fields = ("team__name",)
    date_hierarchy = "period_start"
    list_select_related = ("team", "entered_by")
    autocomplete_fields = ("team", "entered_by")
    change_list_template = "admin/teamhealth/metricvalue/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="teamhealth_metricvalue_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        form = CsvImportForm(request.POST or None, request.FILES or None)
        errors: list[RowError] = []
        if request.method == "POST" and form.is_valid():
            imported, errors = metrics.import_metrics_csv(
                content=form.cleaned_data["file"].read(),
                user=request.user,
                teams=list(Team.objects.all()),
            )
            if not errors:
                messages.success(request, f"Imported {imported} value(s).")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import metric values from CSV",
            "form": form,
            "errors": errors,
        }
        return render(request, "admin/teamhealth/metricvalue/import.html", context)


@admin.register(SlackWebhook)
class SlackWebhookAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    list_display = ("__str__", "active")
    list_filter = ("active",)
    # __str__ names the team: join it, or the list runs one query per webhook.
    list_select_related = ("team",)
    autocomplete_fields = ("team",)


class IntegrationTokenForm(forms.ModelForm):
    class Meta:
        model = IntegrationToken
        fields = ("name", "all_teams", "teams", "active")
        field_classes = {"teams": KeyCheckedModelMultipleChoiceField}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        every, teams = data.get("all_teams"), data.get("teams")
        if not every and not teams:
            self.add_error("teams", "Choose the teams this token may write to, or tick All teams.")
        elif every and teams:
            self.add_error(
                "teams", "A token for all teams lists no teams: untick All teams or clear these."
            )
        return data


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    form = IntegrationTokenForm
    list_display = ("name", "prefix", "all_teams", "active", "created_at", "last_used_at")
    list_filter = ("active", "all_teams")
    filter_horizontal = ("teams",)
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            # Kept on this request only: the response below shows it once.
            request.issued_integration_token = credentials.issue_integration_token(token=obj)
            return
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The new token, shown once on the response that created it: never in the
        messages cookie, the session or a redirect, and never cached."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Token for {obj.name}",
            "token": obj,
            "secret": request.issued_integration_token,
        }
        response = render(request, "admin/teamhealth/integrationtoken/issued.html", context)
        add_never_cache_headers(response)
        return response


class WriteOnlyTokenForm(forms.ModelForm):
    """The stored API token is never sent back to the browser: the field is always
    empty, and left empty it keeps the token already stored."""

    api_token = forms.CharField(
        label="API token",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["api_token"].help_text = (
            "Stored encrypted and never shown again. Leave empty to keep the current token."
            if self.instance.pk
            else "Stored encrypted and never shown again."
        )

    def clean_api_token(self) -> str:
        token = self.cleaned_data.get("api_token", "")
        if token:
            return token
        if self.instance.pk:
            return self.instance.api_token
        raise forms.ValidationError("Enter the API token.")


class JiraBoardForm(WriteOnlyTokenForm):
    class Meta:
        model = JiraBoard
        fields = ("team", "base_url", "board_id", "email", "api_token", "active")


class PagerDutyScheduleForm(WriteOnlyTokenForm):
    class Meta:
        model = PagerDutySchedule
        fields = ("team", "base_url", "api_token", "schedule_ids", "active")


@admin.register(JiraBoard)
class JiraBoardAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    form = JiraBoardForm
    list_display = ("team", "base_url", "board_id", "active", "last_imported_at", "last_error")
    list_filter = ("active",)
    autocomplete_fields = ("team",)
    readonly_fields = ("last_imported_at", "last_error")


@admin.register(PagerDutySchedule)
class PagerDutyScheduleAdmin(KeyCheckedAutocomplete, admin.ModelAdmin):
    form = PagerDutyScheduleForm
    list_display = ("team", "schedule_ids", "active", "last_imported_at", "last_error")
    list_filter = ("active",)
    autocomplete_fields = ("team",)
    readonly_fields = ("last_imported_at", "last_error")


@admin.register(SurveySummary)
class SurveySummaryAdmin(admin.ModelAdmin):
    """Read-only: the surveys app pushes these when a round's results become visible."""

    list_display = ("team", "round_label", "closed_on", "feedback_score", "action_plan_status")
    list_filter = ("action_plan_status", "team")
    search_fields = ("team__name", "round_label")
    list_select_related = ("team",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
