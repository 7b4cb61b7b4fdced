from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from html import escape
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import aggregation
from .models import Question


@dataclass(frozen=True)
class AnswerRow:
    """One question of the answer page: its field (name, errors) and its radio buttons."""

    question: Question
    field: forms.BoundField
    radios: SafeString


# One radio button and its label (Bootstrap's button-style radios).
_RADIO = (
    '<input class="btn-check" type="radio" name="{name}" id="{id}" value="{value}"{checked}>'
    '<label class="btn btn-outline-primary{label_class}" for="{id}">{label}</label>'
)


def _choices(question: Question) -> list[tuple[int, str]]:
    """A question's answers, (value, label): Likert 1 to 5 with their labels, eNPS 0 to 10."""
    if question.kind == Question.Kind.LIKERT:
        return [(v, aggregation.LIKERT_LABELS[v]) for v in aggregation.LIKERT_VALUES]
    return [(v, str(v)) for v in aggregation.ENPS_VALUES]


class AnswerForm(forms.Form):
    """One field per question of the round, named ``q<id>``, and the optional comment."""

    def __init__(self, *args, questions: list[Question], include_comment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=_choices(question),
                coerce=int,
                required=question.kind == Question.Kind.LIKERT,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer."},
            )
        if include_comment:
            self.fields["comment"] = forms.CharField(
                label="Anything else you want your manager to know? (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Shown to your team and manager word for word, in random order, "
                "only if enough people write one. Avoid details that identify you.",
            )

    def answers(self) -> dict[int, int | None]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    @cached_property
    def rows(self) -> list[AnswerRow]:
        """The page's questions with their radio buttons, built once per page.

        The buttons are written here in one pass, with the ids Django's radio
        widget would give them, rather than option by option through the
        widget's sub-widgets and the template: that was most of the page's CPU.
        """
        rows = []
        for question in self.questions:
            bound = self[f"q{question.pk}"]
            current = bound.value()
            current = "" if current is None else str(current)
            name, auto_id = escape(bound.html_name), escape(bound.auto_id)
            label_class = " likert-choice" if question.kind == Question.Kind.LIKERT else ""
            # Every piece is escaped (the standard library's escape, as Django's does).
            radios = mark_safe(  # noqa: S308
                "\n".join(
                    _RADIO.format(
                        name=name,
                        id=f"{auto_id}_{index}",
                        value=escape(str(value)),
                        checked=" checked" if str(value) == current else "",
                        label_class=label_class,
                        label=escape(str(label)),
                    )
                    for index, (value, label) in enumerate(_choices(question))
                )
            )
            rows.append(AnswerRow(question, bound, radios))
        return rows


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Note to the team (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent with the email that tells the team the results are out.",
    )


class ActionForm(forms.Form):
    what = forms.CharField(label="What will be done", max_length=300)
    owner = forms.TypedChoiceField(label="Owner", coerce=int)
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners, closed_on, **kwargs):
        super().__init__(*args, **kwargs)
        # A list read once for all three forms, not a queryset per form.
        self.owners = {user.pk: user for user in owners}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "Choose an owner…")] + [
            (user.pk, str(user)) for user in owners
        ]
        self.closed_on = closed_on
        if not self.is_bound:
            self.initial.setdefault("due_on", max(timezone.localdate(), closed_on) + timedelta(14))

    def clean_owner(self):
        return self.owners[self.cleaned_data["owner"]]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < self.closed_on:
            raise forms.ValidationError("The due date cannot be before the round closed.")
        return due_on
