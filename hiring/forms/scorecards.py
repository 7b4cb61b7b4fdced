"""Forms of a scorecard: the interviewer's scores, and amending them once submitted."""

from typing import Any, cast

from django import forms

from .. import scoring
from ..models import Recommendation

SCORE_WIDGET_ATTRS = {"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}


class ScorecardForm(forms.Form):
    """Scores for the dimensions the interview assesses, a recommendation, notes.

    Drafts may leave anything blank; ``require_complete`` is used on submit.
    """

    recommendation = forms.ChoiceField(
        label="Overall recommendation",
        choices=[("", "Not decided yet"), *Recommendation.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, dimensions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        cast(forms.ChoiceField, self.fields["recommendation"]).choices = list(
            Recommendation.choices
        )
        for dimension in reversed(dimensions):
            label = scoring.DIMENSION_LABELS[dimension]
            out_of_range = f"{label} score must be between 0 and 100."
            field = forms.DecimalField(
                label=f"{label} score",
                required=False,
                max_digits=5,
                decimal_places=2,
                help_text="0–100",
                widget=forms.NumberInput(attrs=SCORE_WIDGET_ATTRS),
                error_messages={
                    "invalid": f"{label} score must be a number.",
                    "max_digits": out_of_range,
                    "max_whole_digits": out_of_range,
                    "max_decimal_places": f"{label} score can have at most 2 decimals.",
                },
            )
            self.fields = {dimension: field, **self.fields}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for dimension in self.dimensions:
            value = cleaned.get(dimension)
            if value is None:
                continue
            try:
                scoring.validate_score(dimension, value)
            except scoring.ScoringError as exc:
                self.add_error(dimension, exc.message)
        return cleaned

    @property
    def scores(self):
        return {d: self.cleaned_data.get(d) for d in self.dimensions}


class AmendScorecardForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Give a reason: amendments to a submitted scorecard are recorded."
        },
    )
    recommendation = forms.ChoiceField(
        label="Overall recommendation", choices=Recommendation.choices
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, dimensions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            label = scoring.DIMENSION_LABELS[dimension]
            self.fields[f"score_{dimension}"] = forms.DecimalField(
                label=f"{label} score",
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                error_messages={
                    "min_value": f"{label} score must be between 0 and 100.",
                    "max_value": f"{label} score must be between 0 and 100.",
                },
            )

    @property
    def scores(self):
        return {d: self.cleaned_data.get(f"score_{d}") for d in self.dimensions}
