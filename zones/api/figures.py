"""The API's statements of what a zone's figures rest on: reported totals beside the records'
sums, coverage, and whether illustrative records were asked for."""

from __future__ import annotations

from rest_framework import serializers

from zones.illustrative import includes_illustrative
from zones.vocabulary import ReportedMetric


def decimal(max_digits: int, decimal_places: int, **kwargs) -> serializers.DecimalField:
    """A read-only decimal, as a JSON number."""
    return serializers.DecimalField(
        max_digits=max_digits,
        decimal_places=decimal_places,
        coerce_to_string=False,
        read_only=True,
        **kwargs,
    )


def counts_illustrative(context) -> bool:
    """Whether the request behind a serializer asked for illustrative records to count."""
    request = context.get("request")
    return request is not None and includes_illustrative(request.query_params)


class ReportedTotalSerializer(serializers.Serializer):
    """The latest total an authority reported for one metric, beside the records' sum."""

    metric = serializers.ChoiceField(choices=ReportedMetric.choices, read_only=True)
    reported = decimal(16, 2)
    as_of = serializers.DateField(read_only=True)
    reported_by = serializers.CharField(read_only=True)
    source_url = serializers.URLField(read_only=True)
    statements = serializers.IntegerField(
        read_only=True, help_text="How many reports of this metric are kept (history)."
    )
    recorded = decimal(
        18, 2, allow_null=True, help_text="What the firm records sum to; null when not recorded."
    )
    records = serializers.IntegerField(
        read_only=True, help_text="How many firm records the recorded sum rests on."
    )
    coverage = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Recorded ÷ reported; null when unknown."
    )


class CoverageSerializer(serializers.Serializer):
    """How many records the zone's derived figures rest on."""

    firms = serializers.IntegerField(read_only=True, help_text="Firm records counted.")
    firms_with_acres = serializers.IntegerField(
        read_only=True,
        help_text="Firms holding land with their acres recorded: what the recorded allotment "
        "(and so free land on the `records` basis) rests on.",
    )
    milestones = serializers.IntegerField(read_only=True)
    milestones_dated = serializers.IntegerField(
        read_only=True, help_text="Milestones with a baseline, planned or actual date."
    )
