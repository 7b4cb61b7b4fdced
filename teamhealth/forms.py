from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from . import selectors, thresholds
from .models import Metric, Team


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
    until = forms.DateField(
        label="Snooze until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="No reminders until this date (inclusive); it still notifies if it gets worse.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = timezone.localdate() + timedelta(days=7)
