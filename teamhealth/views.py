from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from outbox import selectors as outbox_selectors

from . import access, alert_history, selectors
from .csv_import import RowError
from .forms import (
    AcknowledgeForm,
    AlertFilterForm,
    CsvImportForm,
    MetricValueForm,
    OverviewFilterForm,
    SnoozeForm,
)
from .models import Source
from .services import alerts, metrics


def _require_manager_or_admin(user):
    if not (user.is_manager or user.is_admin):
        raise Http404


def _overview_context(request, teams, *, default_state: str) -> dict:
    form = OverviewFilterForm(request.GET)
    overview = selectors.overview(
        teams,
        today=timezone.localdate(),
        page=request.GET.get("page"),
        **form.filters(default_state=default_state),
    )
    return {
        "overview": overview,
        "rows": overview.rows,
        "page_obj": overview.page,
        "filter_form": form,
        "filter_errors": form.errors.get("q", []),
    }


def my_teams(request):
    """A manager's own teams by metrics (an admin: every team, those needing attention first)."""
    _require_manager_or_admin(request.user)
    every = access.acts_on_every_team(request.user)
    context = _overview_context(
        request,
        access.teams_writable_by(request.user),
        default_state=selectors.ATTENTION if every else selectors.ALL,
    )
    return render(
        request,
        "teamhealth/team_list.html",
        {**context, "title": "Team health", "org": False},
    )


def org_overview(request):
    if not (request.user.is_director or request.user.is_admin):
        raise Http404
    context = _overview_context(
        request, access.teams_readable_by(request.user), default_state=selectors.ATTENTION
    )
    delivery = outbox_selectors.health() if request.user.is_admin else None
    return render(
        request,
        "teamhealth/team_list.html",
        {**context, "title": "Org overview", "org": True, "delivery": delivery},
    )


def team_detail(request, slug):
    team = selectors.team_for(request.user, slug)
    context = selectors.team_health(team, today=timezone.localdate())
    context["may_act"] = access.can_write_team(request.user, team)
    context["today"] = timezone.localdate()
    context["response_times"] = alert_history.team_response_times(team)
    return render(request, "teamhealth/team_detail.html", context)


ALERTS_PER_PAGE = 25


def alert_list(request):
    """Every alert of the teams one reads, newest first, with MTTA and MTTR for the filter."""
    if not (request.user.is_manager or request.user.is_director or request.user.is_admin):
        raise Http404
    today = timezone.localdate()
    form = AlertFilterForm(request.GET or None, teams=access.teams_readable_by(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    alerts = alert_history.alerts_for(
        request.user,
        today=today,
        state=filters.get("state", ""),
        subject=filters.get("metric", ""),
        team=filters.get("team"),
    )
    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "teamhealth/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "response_times": alert_history.response_times(alerts),
            "today": today,
        },
    )


def alert_detail(request, alert_id):
    alert = selectors.alert_for(request.user, alert_id)
    return _alert_page(request, alert, SnoozeForm(today=timezone.localdate()))


def _alert_page(request, alert, snooze_form: SnoozeForm, status: int = 200):
    timeline = alert_history.timeline(alert)
    return render(
        request,
        "teamhealth/alert_detail.html",
        {
            "alert": alert,
            "timeline": timeline,
            "first_acknowledged_at": alert_history.first_acknowledged_at(timeline),
            "may_act": access.can_write_team(request.user, alert.team),
            "acknowledge_form": AcknowledgeForm(),
            "snooze_form": snooze_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _actable_alert(request, alert_id):
    alert = selectors.alert_for(request.user, alert_id)
    if not access.can_write_team(request.user, alert.team):
        raise Http404
    return alert


@require_POST
def alert_acknowledge(request, alert_id):
    alert = _actable_alert(request, alert_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            alerts.acknowledge_alert(alert=alert, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, "Alert acknowledged: no more reminders unless it gets worse.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return _back(request, alert)


@require_POST
def alert_snooze(request, alert_id):
    alert = _actable_alert(request, alert_id)
    today = timezone.localdate()
    form = SnoozeForm(request.POST, today=today)
    if form.is_valid():
        until = form.cleaned_data["until"]
        try:
            alerts.snooze_alert(alert=alert, user=request.user, until=until, today=today)
            messages.success(request, f"Alert snoozed until {until:%d %b %Y}.")
            return _back(request, alert)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not about the input (the alert is no longer firing): say so on the page.
                messages.error(request, " ".join(error.messages))
                return _back(request, alert)
            form.add_error(None, error)
    # The snooze form again, with the message next to the field at fault.
    return _alert_page(request, alert, form, status=400)


def _back(request, alert):
    """Back to the page the action was taken on: the team page or the alert's own."""
    team_page = reverse("teamhealth:team_detail", args=[alert.team.slug])
    referer = request.headers.get("Referer", "")
    if referer.endswith(team_page):
        return redirect(team_page)
    return redirect("teamhealth:alert_detail", alert_id=alert.pk)


def metric_entry(request):
    _require_manager_or_admin(request.user)
    teams = access.teams_writable_by(request.user)
    form = MetricValueForm(
        request.POST or None, teams=teams, initial={"team": request.GET.get("team")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            metrics.record_metric(
                team=data["team"],
                metric=data["metric"],
                day=data["day"],
                value=data["value"],
                source=Source.MANUAL,
                entered_by=request.user,
                entered_via="form",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Value saved; the team's alerts are being re-checked.")
            return redirect("teamhealth:team_detail", slug=data["team"].slug)
    return render(request, "teamhealth/metric_form.html", {"form": form})


def metric_import(request):
    _require_manager_or_admin(request.user)
    form = CsvImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        imported, errors = metrics.import_metrics_csv(
            content=form.cleaned_data["file"].read(),
            user=request.user,
            teams=list(access.teams_writable_by(request.user)),
        )
        if not errors:
            messages.success(request, f"Imported {imported} value(s).")
            return redirect("teamhealth:metric_import")
    return render(request, "teamhealth/metric_import.html", {"form": form, "errors": errors})
