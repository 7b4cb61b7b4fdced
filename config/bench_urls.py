"""Keel's URLs plus the load benchmark's trivial view (``config.settings.bench`` only)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as keel_urlpatterns


@login_not_required
def trivial(request: HttpRequest) -> HttpResponse:
    """The yardstick: no query, no template, behind the same middleware as every page."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *keel_urlpatterns]
