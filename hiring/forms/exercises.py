"""The interviewer's record of how the candidate did on the exercise."""

from django import forms

from ..models import ExerciseAssignment
from .fields import YesNoUnknownField


class ExerciseResultForm(forms.ModelForm):
    met_target = YesNoUnknownField(
        label="Met the target?", unknown="Not recorded", yes="Yes", no="No"
    )

    class Meta:
        model = ExerciseAssignment
        fields = ("met_target", "measured")
