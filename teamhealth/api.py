"""The JSON API integrations push metric values through, with per-integration tokens.

``Authorization: Bearer <token>``; tokens are created in Django admin
(Integration tokens) and may be limited to some teams. The OpenAPI schema is
served at /api/schema/.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import (
    authentication,
    exceptions,
    parsers,
    permissions,
    serializers,
    status,
)
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, thresholds
from .models import IntegrationToken, Metric, Source
from .services import metrics

LAST_USED_RESOLUTION = timedelta(minutes=1)


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme != self.keyword or not token.strip():
            raise exceptions.AuthenticationFailed(
                "Send the integration token as 'Authorization: Bearer <token>'."
            )
        digest = IntegrationToken.hash_of(token.strip())
        found = IntegrationToken.objects.filter(token_hash=digest).first()
        if found is None or not found.active:
            raise exceptions.AuthenticationFailed("This token is unknown or has been revoked.")
        now = timezone.now()
        # "Last used" to the minute: one write a minute per token, not one per request.
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            IntegrationToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return (IntegrationUser(found), found)

    def authenticate_header(self, request):
        return self.keyword


class IntegrationUser:
    """Stands in for ``request.user``: an integration is not a person."""

    is_authenticated = True
    is_active = True

    def __init__(self, token: IntegrationToken):
        self.token = token

    def __str__(self):
        return self.token.name


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A per-integration token created in Django admin.",
        }


class HasIntegrationToken(permissions.BasePermission):
    message = "Authentication credentials were not provided: send 'Authorization: Bearer <token>'."

    def has_permission(self, request, view):
        return isinstance(request.auth, IntegrationToken)


class MayWriteToSomeTeam(permissions.BasePermission):
    """A token limited to teams that no longer exist writes nothing: its scope never
    falls back to every team."""

    message = (
        "This token is limited to teams and none of them exists any more: "
        "an admin must give it teams (or all teams) before it can write."
    )

    def has_permission(self, request, view):
        token = request.auth
        return token.all_teams or token.teams.exists()


class MetricValueInSerializer(serializers.Serializer):
    team = serializers.SlugField(help_text="The team's slug, e.g. 'backend-payments'.")
    metric = serializers.ChoiceField(choices=Metric.choices)
    period = serializers.DateField(
        help_text="Any day of the two-week period; stored under the period's first day."
    )
    value = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)

    def validate(self, data):
        bounds = selectors.metric_bounds()
        problems = {}
        problem = thresholds.validate_value(data["metric"], data["value"], bounds=bounds)
        if problem:
            problems["value"] = problem
        problem = thresholds.validate_period(
            data["period"], bounds=bounds, today=timezone.localdate()
        )
        if problem:
            problems["period"] = problem
        if problems:
            raise serializers.ValidationError(problems)
        return data


class MetricValueOutSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.slug")
    metric = serializers.CharField()
    period_start = serializers.DateField()
    value = serializers.DecimalField(max_digits=8, decimal_places=2)
    source = serializers.CharField()
    entered_via = serializers.CharField()


ERROR = inline_serializer("Error", fields={"detail": serializers.CharField()})


SERVICE_FIELDS = {"day": "period"}


class BoundedJSONParser(parsers.JSONParser):
    """JSON nested too deep for the parser is a 400 like any other malformed body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from error


class MetricValueCreate(APIView):
    authentication_classes = (IntegrationTokenAuthentication,)
    parser_classes = (BoundedJSONParser,)
    permission_classes = (HasIntegrationToken, MayWriteToSomeTeam)

    @extend_schema(
        operation_id="record_metric_value",
        summary="Record a team's metric value for a period",
        description=(
            "Creates or replaces the value of one metric of one team for the two-week "
            "period containing `period`. The team's alerts are re-evaluated afterwards."
        ),
        request=MetricValueInSerializer,
        responses={
            201: MetricValueOutSerializer,
            400: OpenApiResponse(description="Invalid fields; each field lists its problems."),
            401: OpenApiResponse(ERROR, description="Missing, unknown or revoked token."),
            403: OpenApiResponse(
                ERROR, description="A token limited to teams none of which exists any more."
            ),
            404: OpenApiResponse(ERROR, description="No such team for this token."),
        },
    )
    def post(self, request):
        incoming = MetricValueInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        team = selectors.writable_teams(request.auth).filter(slug=data["team"]).first()
        if team is None:
            raise exceptions.NotFound(f"No team {data['team']!r} that this token may write to.")
        try:
            stored = metrics.record_metric(
                team=team,
                metric=data["metric"],
                day=data["period"],
                value=data["value"],
                source=Source.API,
                entered_via=f"API: {request.auth.name}"[:120],
            )
        except DjangoValidationError as error:
            # Named as the client sent them: the service's "day" is the API's "period".
            raise serializers.ValidationError(
                {SERVICE_FIELDS.get(k, k): v for k, v in error.message_dict.items()}
            ) from error
        return Response(MetricValueOutSerializer(stored).data, status=status.HTTP_201_CREATED)


class TeamList(APIView):
    authentication_classes = (IntegrationTokenAuthentication,)
    permission_classes = (HasIntegrationToken,)

    @extend_schema(
        operation_id="list_teams",
        summary="Teams this token may write to",
        responses={
            200: inline_serializer(
                "Team",
                fields={"slug": serializers.SlugField(), "name": serializers.CharField()},
                many=True,
            ),
            401: OpenApiResponse(ERROR, description="Missing, unknown or revoked token."),
        },
    )
    def get(self, request):
        return Response(
            [
                {"slug": t.slug, "name": t.name}
                for t in selectors.writable_teams(request.auth).order_by("name")
            ]
        )
