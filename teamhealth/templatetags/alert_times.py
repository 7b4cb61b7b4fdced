from django import template

from teamhealth import alert_history

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as people read it: "3 d 4 h", "5 h 20 min"; a dash for none."""
    return alert_history.duration_text(value)


@register.filter
def elapsed(start, end):
    """From ``start`` to ``end`` (a dash while ``end`` has not come)."""
    return alert_history.elapsed(start, end)
