"""Hiring analytics: our interview methods, what predicts a good hire, how
interviewers calibrate."""

from django.shortcuts import render

from .. import analytics, scoring
from ..selectors.analytics import analytics_page
from .access import require_recruiter


def hiring_analytics(request):
    require_recruiter(request.user)
    page = analytics_page()
    return render(
        request,
        "hiring/analytics.html",
        {
            "methods": page.methods,
            "correlations": page.correlations,
            "predicts_nothing": page.predicts_nothing,
            "predicts_backwards": page.predicts_backwards,
            "calibration": page.calibration,
            "dimensions": scoring.DIMENSIONS,
            "chart": page.chart,
            "min_loops": analytics.MIN_LOOPS_TO_CONCLUDE,
            "outcomes_due": page.outcomes_due,
        },
    )
