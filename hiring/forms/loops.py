"""Forms that set up a candidate's interview loop."""

from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone

from .. import scoring
from ..models import InterviewMethod, RoleProfile
from ..selectors.loops import interviewers


class CandidateSearchForm(forms.Form):
    """The candidate list's search box; a CharField refuses NUL characters, which
    no database column can hold."""

    q = forms.CharField(label="Search candidates", required=False, max_length=1000)


class CandidateLoopForm(forms.Form):
    name = forms.CharField(label="Candidate name", max_length=200)
    email = forms.EmailField(label="Candidate email")
    role_profile = forms.ModelChoiceField(
        label="Role profile", queryset=RoleProfile.objects.all(), empty_label="Choose a role…"
    )
    method = forms.ChoiceField(
        label="Interview method",
        choices=[("", "Choose a method…"), *InterviewMethod.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and "create_anyway" in self.data:
            self.offer_create_anyway()

    def offer_create_anyway(self) -> None:
        """The conscious choice to add a record for an email already on file."""
        self.fields["create_anyway"] = forms.BooleanField(
            label="This is a different person: create a new record anyway",
            required=False,
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the candidate's name.")
        if "\n" in name or "\r" in name:
            # The name goes into email subjects, which are one line.
            raise forms.ValidationError("Keep the name on one line.")
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
        cast(forms.ModelChoiceField, self.fields["interviewer"]).queryset = interviewers()
        if not self.is_bound:
            self.initial.setdefault("dimensions", list(scoring.DIMENSIONS))
            self.initial.setdefault(
                "scheduled_at",
                timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1),
            )
