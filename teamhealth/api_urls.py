from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from accounts import throttle

from . import api

per_token = throttle.limit("api", key="bearer_token", json=True)

# Integrations authenticate with their own tokens, not a session; the schema takes
# a token or a signed-in session (SPECTACULAR_SETTINGS), and answers 401 without.
urlpatterns = [
    path(
        "teamhealth/metric-values/",
        login_not_required(per_token(api.MetricValueCreate.as_view())),
        name="api_metric_values",
    ),
    path(
        "teamhealth/teams/", login_not_required(per_token(api.TeamList.as_view())), name="api_teams"
    ),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api_schema"),
]
