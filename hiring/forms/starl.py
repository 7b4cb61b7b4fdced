"""Forms of the STAR-L entry page: one form per question asked."""

from typing import Any, cast

from django import forms

from .. import scoring, starl
from ..models import StarlAnswer, StarlQuestion

RATING_CHOICES = [(str(r), str(r)) for r in range(1, 6)]


class StarlAnswerForm(forms.Form):
    """One question asked, and the five parts of the answer with their ratings."""

    question = forms.ChoiceField(label="Question asked", required=False)

    def __init__(self, *args, questions: list[StarlQuestion] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A list evaluated once per page, not a queryset per answer form.
        if questions is None:
            questions = list(StarlQuestion.objects.filter(is_active=True))
        self.questions = {str(q.pk): q for q in questions}
        cast(forms.ChoiceField, self.fields["question"]).choices = [
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

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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
    def __init__(self, *args, questions: list[StarlQuestion] | None = None, **kwargs):
        self.questions = questions
        super().__init__(*args, **kwargs)

    def add_non_form_errors(self, messages: list[str]) -> None:
        """Errors about the answers as a whole, e.g. raised by the service on save."""
        self._non_form_errors = self.error_class(messages)

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


# formset_factory returns a subclass of the formset it is given.
StarlFormSet = cast(
    type[BaseStarlFormSet],
    forms.formset_factory(
        StarlAnswerForm, formset=BaseStarlFormSet, extra=1, max_num=20, can_delete=True
    ),
)


def initial_from_answers(answers: list[StarlAnswer]) -> list[dict]:
    """The formset's initial data for the answers already saved."""
    initial = []
    for answer in answers:
        row: dict[str, int | str | None] = {"question": answer.question_id}
        for part in scoring.STARL_PARTS:
            row[f"{part}_text"] = getattr(answer, f"{part}_text")
            rating = getattr(answer, f"{part}_rating")
            row[f"{part}_rating"] = str(rating) if rating is not None else None
        initial.append(row)
    return initial


def answer_rows(formset: BaseStarlFormSet, anchors: dict[str, list[tuple[int, str]]]) -> list[dict]:
    """What the template walks through: per answer, its five parts with anchors."""
    rows = []
    for form in formset:
        parts = []
        for part in scoring.STARL_PARTS:
            rating_field = form[f"{part}_rating"]
            value = rating_field.value()
            parts.append(
                {
                    "key": part,
                    "label": starl.PART_LABELS[part],
                    "text": form[f"{part}_text"],
                    "rating": rating_field,
                    "value": str(value) if value not in (None, "") else "",
                    "levels": anchors.get(part, []),
                }
            )
        learning = form["learning_text"].value() or ""
        rows.append({"form": form, "parts": parts, "lacks_learning": not learning.strip()})
    return rows
