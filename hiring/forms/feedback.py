"""The feedback a recruiter sends to a candidate."""

from django import forms


class FeedbackForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(
        label="Feedback to the candidate", widget=forms.Textarea(attrs={"rows": 18})
    )
