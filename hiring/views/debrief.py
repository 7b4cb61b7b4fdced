"""The debrief: a loop's scorecards side by side, its disagreement first."""

from django.shortcuts import render

from ..debrief import DISAGREEMENT_RANGE
from ..selectors.debrief import loop_debrief


def loop_debrief_page(request, loop_id: int):
    debrief = loop_debrief(request.user, loop_id)
    return render(
        request,
        "hiring/loop_debrief.html",
        {
            "loop": debrief.loop,
            "manages": debrief.manages,
            "debrief": debrief,
            "threshold": DISAGREEMENT_RANGE,
        },
    )
