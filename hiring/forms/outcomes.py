"""Forms of a loop's decision and its hire's 6-month outcome."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from .. import schedule
from ..models import Decision, LoopOutcome, Outcome
from .fields import YesNoUnknownField


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, widget=forms.RadioSelect
    )
    offer_accepted = YesNoUnknownField(
        label="Offer accepted?", unknown="Not known yet", yes="Accepted", no="Declined"
    )
    start_date = forms.DateField(
        label="Start date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = LoopOutcome
        fields = ("decision", "offer_accepted", "start_date", "hours", "cost")
        labels = {"hours": "Hours spent on the loop", "cost": "Cost of the loop ($)"}

    def clean_start_date(self) -> date | None:
        start_date = self.cleaned_data["start_date"]
        if start_date is not None:
            problem = schedule.start_date_problem(start_date, today=timezone.localdate())
            if problem:
                raise forms.ValidationError(problem)
        return start_date

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") != Decision.OFFER and cleaned.get("offer_accepted") is not None:
            self.add_error("offer_accepted", "Only an offer can be accepted or declined.")
        return cleaned


class OutcomeForm(forms.Form):
    six_month_outcome = forms.ChoiceField(
        label="6-month outcome", choices=Outcome.choices, widget=forms.RadioSelect
    )
