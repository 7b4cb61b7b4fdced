from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from . import lifecycle, selectors, thresholds
from .alert_history import STATES
from .models import AlertSubject, Metric, Team


class MetricValueForm(forms.Form):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(queryset=None, empty_label=None)
    metric = forms.ChoiceField(choices=Metric.choices)
    day = forms.DateField(
        label="Period",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Any day of the two-week period; the value is filed under the period's start.",
    )
    value = forms.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal(0))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        self.fields["day"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        bounds = selectors.metric_bounds()
        metric, value, day = data.get("metric"), data.get("value"), data.get("day")
        if metric is not None and value is not None:
            problem = thresholds.validate_value(metric, value, bounds=bounds)
            if problem:
                self.add_error("value", problem)
        if day is not None:
            problem = thresholds.validate_period(day, bounds=bounds, today=timezone.localdate())
            if problem:
                self.add_error("day", problem)
        return data


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, with the header row team,metric,period_start,value.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 2 MB.")
        return upload


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you are doing about it (optional; the team page shows it).",
    )


class SnoozeForm(forms.Form):
    """A preset (a day, a week, until the next period) or a date of one's own.

    The presets' dates are ``lifecycle.snooze_presets``; a post with a date
    and no preset (the team page's older form) is a date of one's own.
    """

    PRESET_LABELS = {"day": "A day", "week": "A week", "period": "Until the next period"}
    DATE = "date"

    preset = forms.ChoiceField(label="Snooze for", widget=forms.RadioSelect, required=False)
    until = forms.DateField(
        label="Snooze until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="No reminders until this date (inclusive); it still notifies if it gets worse.",
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.presets = lifecycle.snooze_presets(today or timezone.localdate())
        choices = cast(forms.ChoiceField, self.fields["preset"])
        choices.choices = [
            (key, f"{self.PRESET_LABELS[key]} (to {until:%a %-d %b})")
            for key, until in self.presets.items()
        ] + [(self.DATE, "Until a date")]
        self.fields["preset"].initial = "week"
        self.fields["until"].initial = self.presets["week"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        preset = cleaned.get("preset") or self.DATE
        if preset == self.DATE:
            if cleaned.get("until") is None and "until" not in self.errors:
                self.add_error("until", "Pick the date to snooze until, or one of the presets.")
        elif preset in self.presets:
            self.errors.pop("until", None)
            cleaned["until"] = self.presets[preset]
        return cleaned


class AlertFilterForm(forms.Form):
    """The all-alerts page's filters; each one empty means "any"."""

    state = forms.ChoiceField(required=False)
    metric = forms.ChoiceField(required=False)
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="slug", empty_label="Any team"
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", "Any state"), *STATES]
        cast(forms.ChoiceField, self.fields["metric"]).choices = [
            ("", "Any metric"),
            *AlertSubject.choices,
        ]
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams.order_by("name")
        self.fields["team"].widget.attrs["class"] = "form-select form-select-sm"


class OverviewFilterForm(forms.Form):
    """The overview's filters; anything unknown falls back to the page's default."""

    state = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (selectors.ATTENTION, "Teams that need attention"),
            (selectors.ALL, "All teams"),
        ],
    )
    metric = forms.ChoiceField(
        label="Metric", required=False, choices=[("", "Any metric"), *Metric.choices]
    )
    q = forms.CharField(label="Team name", required=False, max_length=100)

    def filters(self, *, default_state: str) -> dict[str, str]:
        """The filters to apply: the valid ones, the default for the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state") or default_state,
            "metric": data.get("metric") or "",
            "search": (data.get("q") or "").strip(),
        }
