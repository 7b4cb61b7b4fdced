from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import keeps_session_unwritten
from teamhealth import access

from . import selectors, services, tokens
from .forms import ActionForm, AnswerForm, PublishForm
from .models import ActionItem, SurveyRound

# Answering writes nothing but the answers: no session, no message, no cookie
# of its own. The emailed link's token is swapped at once for an answer page
# whose address carries the token's hash, signed and expiring
# (``tokens.signed_hash``), so the token appears in one request line only and
# never in a page, a form or a redirect; and a spent, replaced or closed link
# (or answer page) shows exactly the page of a link that never existed.
LINK_INVALID = "surveys/link_invalid.html"


def survey_home(request):
    now = timezone.now()
    home = selectors.survey_home(request.user, now=now)
    return render(request, "surveys/survey_home.html", {"home": home, "now": now})


OVERVIEW_VIEWS = {
    "dimensions": "Heatmap by dimension",
    "questions": "Heatmap by question",
    "period": "Feedback score by period",
}


def overview(request):
    """Teams side by side: heatmaps of their latest published rounds, or one period's scores."""
    user = request.user
    if not (user.is_manager or access.reads_every_team(user)):
        raise Http404
    view = request.GET.get("view", "dimensions")
    if view not in OVERVIEW_VIEWS:
        view = "dimensions"
    context: dict = {"view": view, "views": OVERVIEW_VIEWS}
    if view == "period":
        period = None
        if request.GET.get("period"):
            try:
                period = date.fromisoformat(request.GET["period"])
            except ValueError:
                period = None
        context["rollup"] = selectors.rollup(user, period)
    else:
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        heatmap = selectors.heatmap(
            user,
            search=request.GET.get("q", ""),
            sort=request.GET.get("sort", "name"),
            page=page,
        )
        context.update(
            heatmap=heatmap,
            sorts=selectors.HEATMAP_SORTS,
            columns=heatmap.columns(view),
            table=[(row, heatmap.labelled_cells(row.figures, view)) for row in heatmap.rows],
            total_cells=heatmap.labelled_cells(heatmap.total, view),
        )
    return render(request, "surveys/overview.html", context)


@keeps_session_unwritten
@login_not_required
@never_cache
def answer_link(request, token: str):
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        # A clear page, not an error page (and no 404 log line carrying the link).
        return render(request, LINK_INVALID)
    token_hash = tokens.hash_token(token)
    return redirect("surveys:answer_from_link", signed=tokens.signed_hash(token_hash))


@keeps_session_unwritten
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer_from_link(request, signed: str):
    token_hash = tokens.hash_from_signed(signed)
    invitation = selectors.invitation_for_hash(token_hash) if token_hash else None
    if invitation is None:
        return render(request, LINK_INVALID)
    return _answer(
        request,
        invitation,
        reverse("surveys:answer_from_link", kwargs={"signed": signed}),
        from_link=True,
    )


@keeps_session_unwritten
@never_cache
@require_http_methods(["GET", "POST"])
def answer_signed_in(request, round_id: int):
    invitation = selectors.invitation_for_user(request.user, round_id)
    return _answer(request, invitation, reverse("surveys:answer", args=[round_id]))


@login_not_required
@never_cache
def answered(request):
    """The thank-you page: the same for everyone, it knows nothing of who came."""
    return render(request, "surveys/answered.html")


def _answer(request, invitation, action_url: str, *, from_link: bool = False):
    survey_round = invitation.round
    now = timezone.now()
    closed = survey_round.status != SurveyRound.Status.OPEN or survey_round.closes_at <= now
    if from_link and (closed or invitation.has_answered):
        return render(request, LINK_INVALID)
    if closed:
        return render(request, "surveys/round_closed.html", {"round": survey_round})
    if invitation.has_answered:
        return render(request, "surveys/already_answered.html", {"round": survey_round})
    questions = selectors.round_questions(survey_round)
    form = AnswerForm(
        request.POST or None, questions=questions, include_comment=survey_round.include_comment
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_survey_answers(
                invitation=invitation,
                answers=form.answers(),
                comment=form.cleaned_data.get("comment", ""),
                questions=questions,
            )
        except services.AlreadyAnsweredError:
            if from_link:
                return render(request, LINK_INVALID)
            return render(request, "surveys/already_answered.html", {"round": survey_round})
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            # No flash message: it would be written to the session (or a cookie)
            # at the moment of answering.
            return redirect("surveys:answered")
    return render(
        request,
        "surveys/answer_form.html",
        {"round": survey_round, "form": form, "action_url": action_url},
    )


def round_results(request, round_id: int):
    survey_round, seen_as = selectors.round_for_viewer(request.user, round_id)
    results = None if survey_round.is_open else selectors.round_results(survey_round)
    can_manage = selectors.may_manage(seen_as)
    return render(
        request,
        "surveys/round_results.html",
        {
            "round": survey_round,
            "results": results,
            "access": seen_as,
            "can_manage": can_manage,
            "publish_form": PublishForm() if can_manage else None,
            "status_choices": ActionItem.Status.choices,
        },
    )


def _manageable(request, round_id: int) -> SurveyRound:
    survey_round, seen_as = selectors.round_for_viewer(request.user, round_id)
    if not selectors.may_manage(seen_as):
        raise Http404
    return survey_round


@require_POST
def publish(request, round_id: int):
    survey_round = _manageable(request, round_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_results(
                survey_round=survey_round, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Results published. The team has been emailed a link.")
    return redirect(survey_round)


@require_http_methods(["GET", "POST"])
def action_plan(request, round_id: int):
    survey_round = _manageable(request, round_id)
    results = selectors.round_results(survey_round) if not survey_round.is_open else None
    if results is None or not results.shown:
        messages.info(request, "This round has no results to act on.")
        return redirect(survey_round)
    owners = list(selectors.action_owners(survey_round.team))
    closed_on = survey_round.closed_on
    existing = {}
    if results.action_plan is not None:
        existing = {item.question_id: item for item in results.action_plan.items.all()}
    forms = []
    for index, concern in enumerate(results.top_concerns):
        item = existing.get(concern.question_id)
        initial = (
            {"what": item.what, "owner": item.owner_id, "due_on": item.due_on} if item else None
        )
        form = ActionForm(
            request.POST or None,
            prefix=f"a{index}",
            owners=owners,
            closed_on=closed_on,
            initial=initial,
        )
        forms.append((concern, form))
    if request.method == "POST" and all(form.is_valid() for _, form in forms):
        try:
            services.save_action_plan(
                survey_round=survey_round,
                by=request.user,
                actions=[
                    services.ActionInput(question_id=concern.question_id, **form.cleaned_data)
                    for concern, form in forms
                ],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Action plan published to the team.")
            return redirect(survey_round)
    return render(
        request,
        "surveys/action_plan_form.html",
        {"round": survey_round, "results": results, "forms": forms},
    )


@require_POST
def action_status(request, item_id: int):
    """The owner (or the team's manager) moves an action to open, in progress or done."""
    item = selectors.action_item_for_viewer(request.user, item_id)
    try:
        services.set_action_status(
            item=item, status=request.POST.get("status", ""), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{item.what}” is now {item.get_status_display().lower()}.")
    return redirect(f"{item.plan.round.get_absolute_url()}#action-plan")
