from django import template

from hiring.scoring import format_score, to_decimal

register = template.Library()


@register.filter
def score(value):
    """82.50 -> 82.5, 70.00 -> 70; empty for no value."""
    if value is None or value == "":
        return ""
    return format_score(to_decimal(value))


@register.filter
def dimension_score(scorecard, dimension: str):
    return score(getattr(scorecard, dimension))
