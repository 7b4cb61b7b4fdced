"""Forms of the STAR-L entry page, the decision/outcome page, amendments and feedback."""

from django import forms

from . import scoring, starl
from .models import (
    Decision,
    ExerciseAssignment,
    LoopOutcome,
    Outcome,
    Recommendation,
    StarlQuestion,
)

RATING_CHOICES = [(str(r), str(r)) for r in range(1, 6)]


def _bool_initial(form, field: str) -> None:
    """A yes/no/unknown select shows the saved True/False as "true"/"false"."""
    value = form.initial.get(field)
    if isinstance(value, bool):
        form.initial[field] = "true" if value else "false"


class StarlAnswerForm(forms.Form):
    """One question asked, and the five parts of the answer with their ratings."""

    question = forms.ChoiceField(label="Question asked", required=False)

    def __init__(self, *args, questions: list[StarlQuestion] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A list evaluated once per page, not a queryset per answer form.
        if questions is None:
            questions = list(StarlQuestion.objects.filter(is_active=True))
        self.questions = {str(q.pk): q for q in questions}
        self.fields["question"].choices = [
            ("", "Choose the question you asked…"),
            *((str(q.pk), q.text) for q in questions),
        ]
        for part in scoring.STARL_PARTS:
            label = starl.PART_LABELS[part]
            self.fields[f"{part}_text"] = forms.CharField(
                label=f"{label} evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{part}_rating"] = forms.TypedChoiceField(
                label=f"{label} rating",
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return data.get("question") is None and not any(
            data.get(f"{p}_text", "").strip() or data.get(f"{p}_rating")
            for p in scoring.STARL_PARTS
        )

    def clean_question(self):
        value = self.cleaned_data.get("question")
        return self.questions.get(value) if value else None

    def clean(self):
        cleaned = super().clean()
        if self.is_blank:
            return cleaned
        if cleaned.get("question") is None:
            self.add_error("question", "Choose the question you asked.")
        parts = {
            p: (cleaned.get(f"{p}_text", ""), cleaned.get(f"{p}_rating"))
            for p in scoring.STARL_PARTS
        }
        for part, message in starl.evidence_errors(parts).items():
            self.add_error(f"{part}_text", message)
        return cleaned

    @property
    def parts(self) -> dict[str, tuple[str, int | None]]:
        return {
            p: (self.cleaned_data.get(f"{p}_text", ""), self.cleaned_data.get(f"{p}_rating"))
            for p in scoring.STARL_PARTS
        }


class BaseStarlFormSet(forms.BaseFormSet):
    def __init__(self, *args, questions=None, **kwargs):
        self.questions = questions
        super().__init__(*args, **kwargs)

    def clean(self):
        """One answer per question asked."""
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            question = form.cleaned_data.get("question")
            if question is None:
                continue
            if question.pk in seen:
                form.add_error("question", "This question already has an answer above.")
            seen.add(question.pk)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "questions": self.questions}


StarlFormSet = forms.formset_factory(
    StarlAnswerForm, formset=BaseStarlFormSet, extra=1, max_num=20, can_delete=True
)


class ExerciseResultForm(forms.ModelForm):
    met_target = forms.TypedChoiceField(
        label="Met the target?",
        choices=[("", "Not recorded"), ("true", "Yes"), ("false", "No")],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ExerciseAssignment
        fields = ("met_target", "measured")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bool_initial(self, "met_target")


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, widget=forms.RadioSelect
    )
    offer_accepted = forms.TypedChoiceField(
        label="Offer accepted?",
        choices=[("", "Not known yet"), ("true", "Accepted"), ("false", "Declined")],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )
    start_date = forms.DateField(
        label="Start date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = LoopOutcome
        fields = ("decision", "offer_accepted", "start_date", "hours", "cost")
        labels = {"hours": "Hours spent on the loop", "cost": "Cost of the loop ($)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bool_initial(self, "offer_accepted")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") != Decision.OFFER and cleaned.get("offer_accepted") is not None:
            self.add_error("offer_accepted", "Only an offer can be accepted or declined.")
        return cleaned


class OutcomeForm(forms.Form):
    six_month_outcome = forms.ChoiceField(
        label="6-month outcome", choices=Outcome.choices, widget=forms.RadioSelect
    )


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


class FeedbackForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(
        label="Feedback to the candidate", widget=forms.Textarea(attrs={"rows": 18})
    )
