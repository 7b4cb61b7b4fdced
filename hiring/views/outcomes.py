"""A loop's decision and its hire's 6-month outcome."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.errors import add_service_errors
from ..forms.outcomes import DecisionForm, OutcomeForm
from ..selectors.outcomes import loop_outcome, outcome_due_date
from ..services.outcomes import record_decision, record_six_month_outcome
from .access import managed_loop


@require_http_methods(["GET", "POST"])
def loop_decision(request, loop_id: int):
    loop = managed_loop(request.user, loop_id)
    record = loop_outcome(loop)
    decision_form = DecisionForm(
        request.POST if "save_decision" in request.POST else None,
        instance=record,
        prefix="decision",
    )
    outcome_form = OutcomeForm(
        request.POST if "save_outcome" in request.POST else None,
        initial={"six_month_outcome": record.six_month_outcome if record else None},
        prefix="outcome",
    )
    if request.method == "POST":
        try:
            if "save_decision" in request.POST and decision_form.is_valid():
                data = decision_form.cleaned_data
                record_decision(
                    loop=loop,
                    decided_by=request.user,
                    decision=data["decision"],
                    offer_accepted=data["offer_accepted"],
                    hours=data["hours"],
                    cost=data["cost"],
                    start_date=data["start_date"],
                )
                messages.success(request, "Decision saved.")
                return redirect("hiring:loop_decision", loop_id=loop.pk)
            if "save_outcome" in request.POST and outcome_form.is_valid():
                record_six_month_outcome(
                    loop=loop, outcome=outcome_form.cleaned_data["six_month_outcome"]
                )
                messages.success(request, "6-month outcome saved.")
                return redirect("hiring:loop_decision", loop_id=loop.pk)
        except ValidationError as exc:
            if "save_decision" in request.POST:
                add_service_errors(decision_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "hiring/loop_decision.html",
        {
            "loop": loop,
            "record": record,
            "decision_form": decision_form,
            "outcome_form": outcome_form,
            "due_on": outcome_due_date(record),
        },
    )
