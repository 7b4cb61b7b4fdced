"""What people (and scripts) type: ordinary values, and the ones that used to break pages."""

from __future__ import annotations

from datetime import date

from django import forms
from hypothesis import strategies as st

# The values each field kind has been broken by: dates at the ends of the calendar,
# numbers no column holds, NUL, line breaks, very long text.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "Hello\r\nBcc: everyone@example.com",
    "\n",
    "x" * 5_000,
    "<script>alert(1)</script>",
    "😀",
    "0001-01-01",
    "9999-12-31",
    "1e999999",
    "-1e999999",
    "NaN",
    "Infinity",
    "-0",
    "99999999999999999999999",
]
EDGE_DATES = [date.min, date(1, 1, 13), date(1999, 12, 31), date(2000, 1, 1), date.max]


def edge_values(field: forms.Field) -> list[str]:
    """The values each field is tried with one at a time, the others left sensible."""
    if isinstance(field, forms.DateField):
        return [day.isoformat() for day in EDGE_DATES] + NASTY_TEXT
    return NASTY_TEXT


def sensible(field: forms.Field, initial) -> str:
    """A value the field takes, so that one edge value at a time reaches the rules."""
    if initial not in (None, ""):
        return str(getattr(initial, "pk", initial))
    if isinstance(field, forms.DateField):
        return date.today().isoformat()  # noqa: DTZ011 - any day the form takes
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "1"
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.values_list("pk", flat=True).first()
        return "" if first is None else str(first)
    if isinstance(field, forms.ChoiceField):
        values = [str(v) for v, _ in field.choices if v not in ("", None)]
        return values[0] if values else ""
    if isinstance(field, forms.BooleanField):
        return "on"
    return "x"


text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=50))
dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates()).map(date.isoformat)
numbers = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
)


def for_field(field: forms.Field) -> st.SearchStrategy[str]:
    """Values a browser (or a script posting by hand) may send for ``field``."""
    if isinstance(field, forms.DateField):
        return st.one_of(dates, text)
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return numbers
    if isinstance(field, forms.ModelChoiceField):
        keys = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        return st.one_of(st.sampled_from([*keys, "0", "-1", "99999999999999999999"]), text)
    if isinstance(field, forms.ChoiceField):
        choices = [str(value) for value, _ in field.choices if not isinstance(_, list | tuple)]
        return st.one_of(st.sampled_from(choices or [""]), text)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "\x00"])
    return text


def csv_files() -> st.SearchStrategy[bytes]:
    """CSV imports: a header and rows of generated cells, sometimes cells no file should have."""
    cell = st.one_of(
        st.sampled_from(["Payments", "oncall_hours", "delivery_rate", "feedback_score"]),
        dates,
        numbers,
        text,
        st.just("x" * (130 * 1024)),  # past the csv module's own limit
    )
    row = st.lists(cell, min_size=3, max_size=5).map(lambda cells: ",".join(cells))
    header = st.sampled_from(["team,metric,period_start,value", "", "a,b"])
    return st.tuples(header, st.lists(row, max_size=5)).map(
        lambda parts: "\n".join([parts[0], *parts[1]]).encode("utf-8", "surrogatepass")
    )
