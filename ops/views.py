"""``/healthz`` for load balancers and ``/metrics`` for Prometheus.

Neither needs a signed-in user, neither is rate limited, and neither reads
or writes a session (no cookie is expected; one sent is never refreshed).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from accounts.middleware import keeps_session_unwritten

from . import access, health, metrics


@login_not_required
@keeps_session_unwritten
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    report = health.report(now=timezone.now())
    return JsonResponse(report.as_json(), status=200 if report.healthy else 503)


@login_not_required
@keeps_session_unwritten
@never_cache
@require_safe
def prometheus_metrics(request: HttpRequest) -> HttpResponse:
    if not access.may_read_metrics(request):
        # Unconfigured, the wrong token or address: as if there were no such page.
        raise Http404
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
