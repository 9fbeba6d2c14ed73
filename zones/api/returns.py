"""The zone detail's ``returns`` (DOMAIN.md, version 3): the enterprises' annual returns
summed per year, from ``investors.return_selectors`` (two queries). Illustrative returns
count only with ``?illustrative=include``, like every other figure."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from investors import return_selectors
from zones.illustrative import includes_illustrative
from zones.models import Zone


def _decimal(max_digits: int, decimal_places: int, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=max_digits,
        decimal_places=decimal_places,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        **kwargs,
    )


class ReturnYearSerializer(serializers.Serializer):
    """One year of a zone's annual returns; a sum is null when no return of the year gives
    its field."""

    firms_reporting = serializers.IntegerField(read_only=True, help_text="Returns filed.")
    employees = serializers.IntegerField(read_only=True, allow_null=True)
    local_share = _decimal(
        5, 4,
        help_text="Σ employees_local ÷ Σ employees over the returns giving both; null when "
        "that Σ employees is 0.",
    )  # fmt: skip
    women_share = _decimal(
        5, 4,
        help_text="Σ employees_women ÷ Σ employees over the returns giving both; null when "
        "that Σ employees is 0.",
    )  # fmt: skip
    trained = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Employees trained in the year."
    )
    exports_usd = _decimal(18, 2)
    imports_usd = _decimal(18, 2)
    net_foreign_exchange_usd = _decimal(
        18, 2, help_text="Exports − imports over the returns giving both."
    )
    new_markets = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="ISO 3166-1 alpha-2 markets in the year's returns that appear in none of "
        "the zone's returns of earlier years.",
    )


class ZoneReturnsMixin(serializers.Serializer):
    returns = serializers.SerializerMethodField(
        help_text="Per year (as a string key) with any return, oldest first."
    )

    @extend_schema_field(serializers.DictField(child=ReturnYearSerializer()))
    def get_returns(self, zone: Zone) -> dict:
        request = self.context.get("request")
        include = bool(request) and includes_illustrative(request.query_params)
        years = return_selectors.returns_by_zone([zone.pk], include_illustrative=include)
        return {
            str(year): ReturnYearSerializer(figures).data
            for year, figures in years[zone.pk].items()
        }
