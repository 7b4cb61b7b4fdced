from datetime import timedelta

from django import forms
from django.utils import timezone

from . import scoring
from .models import InterviewLoop, Recommendation, RoleProfile
from .selectors.loops import interviewers

SCORE_WIDGET_ATTRS = {"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}


class CandidateLoopForm(forms.Form):
    name = forms.CharField(label="Candidate name", max_length=200)
    email = forms.EmailField(label="Candidate email")
    role_profile = forms.ModelChoiceField(
        label="Role profile", queryset=RoleProfile.objects.all(), empty_label="Choose a role…"
    )
    method = forms.ChoiceField(
        label="Interview method",
        choices=[("", "Choose a method…"), *InterviewLoop._meta.get_field("method").choices],
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the candidate's name.")
        return name


class InterviewForm(forms.Form):
    title = forms.CharField(
        label="Interview title",
        max_length=120,
        help_text="e.g. System design, Behavioural (STAR-L)",
    )
    interviewer = forms.ModelChoiceField(
        label="Interviewer", queryset=interviewers(), empty_label="Choose an interviewer…"
    )
    scheduled_at = forms.DateTimeField(
        label="Scheduled at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    dimensions = forms.MultipleChoiceField(
        label="Assesses",
        choices=list(scoring.DIMENSION_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one dimension to assess."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Re-evaluate per form: people join the Interviewer group at any time.
        self.fields["interviewer"].queryset = interviewers()
        if not self.is_bound:
            self.initial.setdefault("dimensions", list(scoring.DIMENSIONS))
            self.initial.setdefault(
                "scheduled_at",
                timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1),
            )


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
        self.fields["recommendation"].choices = list(Recommendation.choices)
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

    def clean(self):
        cleaned = super().clean()
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
