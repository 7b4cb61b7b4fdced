"""The feedback a recruiter reviews, edits and sends to the candidate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.errors import add_service_errors
from ..forms.feedback import FeedbackForm
from ..selectors.feedback import feedback_page
from ..services.feedback import send_candidate_feedback
from .access import managed_loop


@require_http_methods(["GET", "POST"])
def loop_feedback(request, loop_id: int):
    loop = managed_loop(request.user, loop_id)
    page = feedback_page(loop)
    form = FeedbackForm(request.POST or None, initial={"subject": page.subject, "body": page.body})
    if request.method == "POST" and form.is_valid():
        try:
            send_candidate_feedback(
                loop=loop,
                sent_by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Feedback sent to {loop.candidate.email}.")
            return redirect("hiring:loop_feedback", loop_id=loop.pk)
    return render(
        request,
        "hiring/feedback_form.html",
        {
            "loop": loop,
            "form": form,
            "rows": page.rows,
            "fallback": page.fallback,
            "min_loops": page.min_loops,
            "history": page.history,
            "has_scores": page.has_scores,
            "pending": page.pending,
        },
    )
