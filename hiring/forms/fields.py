"""Form fields the hiring forms share."""

from django import forms


def _is_yes(value: str) -> bool:
    return value == "true"


class YesNoUnknownField(forms.TypedChoiceField):
    """A yes / no / not known select holding True, False or None."""

    def __init__(self, *, label: str, unknown: str, yes: str, no: str, **kwargs):
        super().__init__(
            label=label,
            choices=[("", unknown), ("true", yes), ("false", no)],
            coerce=_is_yes,
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        # A saved True/False shows as the "true"/"false" choice.
        if isinstance(value, bool):
            return "true" if value else "false"
        return super().prepare_value(value)
