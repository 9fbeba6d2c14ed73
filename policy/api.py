"""The API of policy events: ``/api/policy-events/?zone=<slug>``, the events that apply to
a zone, newest first (every event without ``zone``). An unknown zone, or one the caller may
not see, is a 400 naming the parameter, as the zone list answers a bad filter."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zones import selectors as zone_selectors
from zones.illustrative import includes_illustrative

from . import selectors
from .vocabulary import PolicyEffect, PolicyLevel

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
ZONE_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"zone": {"type": "array", "items": {"type": "string"}}},
        "required": ["zone"],
    },
    description="Unknown zone (or one you may not see): a message under `zone`.",
)


class PolicyEventSerializer(serializers.Serializer):
    """A policy event: what changed, when, at which level, and its source."""

    reference = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    level = serializers.ChoiceField(choices=PolicyLevel.choices, read_only=True)
    province = serializers.CharField(
        source="province.code", read_only=True, allow_null=True, default=None,
        help_text="ISO code of a provincial event's province; null for a federal event.",
    )  # fmt: skip
    effect = serializers.ChoiceField(choices=PolicyEffect.choices, read_only=True)
    incentive = serializers.CharField(read_only=True)
    instrument = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    source_url = serializers.CharField(read_only=True)


class ApprovalFiguresSerializer(serializers.Serializer):
    """A zone's one-window clock for one kind of application."""

    decided = serializers.IntegerField(read_only=True, help_text="Approved + rejected.")
    median_days_to_decide = serializers.DecimalField(
        max_digits=8, decimal_places=1, coerce_to_string=False, read_only=True,
        allow_null=True,
        help_text="Decided on − applied on over decided applications; an even count's "
        "median is the mean of the middle two.",
    )  # fmt: skip
    pending = serializers.IntegerField(read_only=True)
    oldest_pending_days = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Today − the earliest pending application."
    )


def approvals_data(zone, *, include_illustrative: bool) -> dict:
    """``approvals`` of a zone's API detail: {kind: figures}, kinds without records absent."""
    rows = selectors.approvals_by_zone([zone.pk], include_illustrative=include_illustrative)
    return {row.kind: ApprovalFiguresSerializer(row.figures).data for row in rows.get(zone.pk, [])}


class PolicyEventList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Policy events that apply to a zone",
        description=(
            "Events that name the zone, or name none and are federal or of the zone's "
            "province, newest first; every event when `zone` is left out. Illustrative "
            "events (invented for the demo) only with `illustrative=include`."
        ),
        parameters=[
            OpenApiParameter(
                "zone", OpenApiTypes.STR, description="A zone's slug.", pattern=SLUG.pattern
            ),
            OpenApiParameter(
                "illustrative",
                OpenApiTypes.STR,
                enum=["include"],
                description="`include` to list illustrative events too.",
            ),
        ],
        responses={
            200: PolicyEventSerializer(many=True),
            400: ZONE_ERRORS,
        },
    )
    def get(self, request):
        include = includes_illustrative(request.query_params)
        slug = request.query_params.get("zone")
        if slug is None:
            events = selectors.events_for_zones(include_illustrative=include)
        else:
            zones = zone_selectors.zones_for_detail(user=request.user)
            zone = zones.filter(slug=slug).first() if SLUG.match(slug) else None
            if zone is None:
                raise ValidationError({"zone": [_("Unknown zone “%(slug)s”.") % {"slug": slug}]})
            events = selectors.events_for_zone(zone, include_illustrative=include)
        return Response(PolicyEventSerializer(events, many=True).data)
