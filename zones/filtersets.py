"""The one set of zone filters behind the finder page, the REST API, the exports and the charts.

The same querystring gives the same zones everywhere; the parameter names are the public
contract (see DOMAIN.md). ``ZoneFilterSet`` works on any ``Zone`` queryset: it adds the
free-land annotation itself when a filter or the sort needs it.

    zones = ZoneFilterSet(request.GET, queryset=Zone.objects.published()).qs
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Count, F, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from delivery.inputs import DELIVERY_SHARE, with_delivery_share
from policy.selectors import zones_deciding_within
from zones.vocabulary import UtilityKind, UtilityStatus, ZoneStatus

from .illustrative import EXCLUDE as ILLUSTRATIVE_EXCLUDED
from .illustrative import PARAMETER as ILLUSTRATIVE
from .illustrative import includes_illustrative
from .localized import in_every_language, shown_text
from .models import Plot, Province, Sector, UtilityConnection, Zone, counted_q
from .selectors import FREE_LAND, with_free_land

Q_MAX_LENGTH = 200
Q_MAX_TERMS = 10
MAX_ACRES = Decimal("10000000")


@dataclass(frozen=True)
class SortKey:
    """A public sort key: ``sort=<key>`` sorts ascending, ``sort=-<key>`` descending."""

    key: str
    #: The field or annotation the zones are ordered by.
    field: str
    ascending: str
    descending: str
    #: Whether a first click on the column (or the first of its two choices) sorts descending:
    #: the most ready, the most free land, the largest first.
    descending_first: bool = False

    @property
    def first(self) -> str:
        """The ``sort`` value that sorts by this key in its first direction."""
        return f"-{self.key}" if self.descending_first else self.key

    def choices(self) -> list[tuple[str, str]]:
        """Both directions as (value, label), the first direction first."""
        ascending, descending = (self.key, self.ascending), (f"-{self.key}", self.descending)
        return [descending, ascending] if self.descending_first else [ascending, descending]


#: The one sort vocabulary: the filter set validates and applies it, the finder's form offers
#: it and its column headers link to it.
SORT_KEYS = (
    SortKey("name", "name", _("Name (A to Z)"), _("Name (Z to A)")),
    SortKey(
        "readiness",
        "readiness_score",
        _("Readiness (lowest first)"),
        _("Readiness (highest first)"),
        descending_first=True,
    ),
    SortKey(
        "free_land",
        FREE_LAND,
        _("Free land (least first)"),
        _("Free land (most first)"),
        descending_first=True,
    ),
    SortKey(
        "area",
        "area_acres",
        _("Area (smallest first)"),
        _("Area (largest first)"),
        descending_first=True,
    ),
    SortKey("province", "province__name", _("Province"), _("Province (Z to A)")),
    SortKey(
        "delivery",
        DELIVERY_SHARE,
        _("Delivery: jobs vs target (least delivered first)"),
        _("Delivery: jobs vs target (most delivered first)"),
        descending_first=True,
    ),
)
SORT_CHOICES = [choice for sort_key in SORT_KEYS for choice in sort_key.choices()]
CPEC_CHOICES = (("true", _("Yes")), ("false", _("No")))


class ZoneFilterForm(forms.Form):
    """The filter set's own form (``ZoneFilterSet(...).form``): it validates the parameters,
    across fields too, and is the filter form the finder, the dashboards and the delivery page
    show (templates/zones/_filter_fields.html).

    The filters' labels and help texts name them in error messages, in the list of filters in
    use and in the API's documentation; people filling the form read the wording below.
    """

    #: Field labels, where the form words a filter otherwise than its label.
    labels = {
        "sector": _("Sectors"),
        "province": _("Provinces and territories"),
        "utility": _("Connected inside the zone"),
        "readiness_min": _("Readiness from"),
        "readiness_max": _("Readiness to"),
    }
    #: The help the form shows; the filters' own help texts explain the API's parameters.
    help_texts = {
        "sector": _("Zones targeting any of them."),
        "utility": _("Every utility ticked must be connected."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = self.labels.get(name, field.label)
            field.help_text = self.help_texts.get(name, "")

    def clean(self):
        data = super().clean()
        low, high = data.get("readiness_min"), data.get("readiness_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "readiness_min",
                forms.ValidationError(
                    _("The lowest readiness (%(low)s) is above the highest (%(high)s)."),
                    code="readiness_range",
                    params={"low": low, "high": high},
                ),
            )
        return data


class ZoneOrderingFilter(django_filters.OrderingFilter):
    """``sort``: public keys (``name``, ``-readiness``, ``free_land`` …), comma-separated for
    several; zones without a value come last either way.

    Ties break by name, then id, so pages never overlap.
    """

    def filter(self, qs, value):
        keys, seen = [], set()
        for param in value or ():
            if param in EMPTY_VALUES:
                continue
            descending = param.startswith("-")
            field = self.param_map[param.lstrip("-")]
            if field in seen:
                continue
            seen.add(field)
            include = includes_illustrative(self.parent.data or {})
            if field == FREE_LAND:
                qs = with_free_land(qs, include_illustrative=include)
            elif field == DELIVERY_SHARE:
                qs = with_delivery_share(qs, include_illustrative=include)
            # Names sort as the reader sees them: the translation, else the English name.
            expression = shown_text("name") if field == "name" else F(field)
            keys.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*keys, shown_text("name").asc(), "pk")


class ZoneFilterSet(django_filters.FilterSet):
    """Filters zones by the public parameters: sector, province, status, readiness, utilities,
    free land, CPEC priority, text, and sorts them."""

    sector = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(),
        method="filter_sector",
        label=_("Sector"),
        help_text=_("Sector slugs; a zone targeting any of them matches."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown sector “%(value)s”.")},
    )
    province = django_filters.ModelMultipleChoiceFilter(
        queryset=Province.objects.all(),
        field_name="province",
        distinct=False,
        label=_("Province"),
        help_text=_("ISO 3166-2:PK codes such as PK-PB; a zone in any of them matches."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown province code “%(value)s”.")},
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ZoneStatus.choices,
        distinct=False,
        label=_("Status"),
        help_text=_("A zone in any of these statuses matches."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown status “%(value)s”.")},
    )
    readiness_min = django_filters.NumberFilter(
        field_name="readiness_score",
        lookup_expr="gte",
        label=_("Readiness at least"),
        help_text=_("0 to 100, inclusive; zones never scored are left out."),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    readiness_max = django_filters.NumberFilter(
        field_name="readiness_score",
        lookup_expr="lte",
        label=_("Readiness at most"),
        help_text=_("0 to 100, inclusive; zones never scored are left out."),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    utility = django_filters.MultipleChoiceFilter(
        choices=UtilityKind.choices,
        method="filter_utility",
        label=_("Connected utilities"),
        help_text=_("Utility kinds that must all be connected inside the zone."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown utility kind “%(value)s”.")},
    )
    free_land_min = django_filters.NumberFilter(
        method="filter_free_land_min",
        label=_("Free land at least (acres)"),
        help_text=_(
            "Area minus the acres allotted to active firms; zones with no known area are left out."
        ),
        min_value=0,
        max_value=MAX_ACRES,
        max_digits=12,
        decimal_places=2,
    )
    plot_min = django_filters.NumberFilter(
        method="filter_plot_min",
        label=_("Plot available of at least (acres)"),
        help_text=_(
            "Zones with at least one available plot (not amenity land) of at least this size."
        ),
        min_value=0,
        max_value=MAX_ACRES,
        max_digits=12,
        decimal_places=2,
    )
    approval_days_max = django_filters.NumberFilter(
        method="filter_approval_days_max",
        label=_("Enterprise status decided within (median days)"),
        help_text=_(
            "Zones whose one-window decides enterprise status (approved or rejected) in at "
            "most this many days, as a median; zones with no such decision are left out."
        ),
        min_value=0,
        max_value=100000,
        max_digits=8,
        decimal_places=1,
    )
    cpec_priority = django_filters.ChoiceFilter(
        choices=CPEC_CHOICES,
        method="filter_cpec_priority",
        label=_("CPEC priority zone"),
        help_text=_("true or false."),
        empty_label=_("Any"),
        error_messages={"invalid_choice": _("CPEC priority must be “true” or “false”.")},
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Words to find in the name, district, developer or sector names."),
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, district, developer, sector")}
        ),
    )
    sort = ZoneOrderingFilter(
        fields=[(sort_key.field, sort_key.key) for sort_key in SORT_KEYS],
        choices=SORT_CHOICES,
        empty_label=None,  # unsorted is by name, the first choice
        label=_("Sort by"),
        help_text=_(
            "name, province, readiness, free_land, area or delivery (jobs reported by firms "
            "holding land as a share of the zone's current jobs target; zones without a jobs "
            "target come last); a leading - reverses."
        ),
        error_messages={"invalid_choice": _("Unknown sort key “%(value)s”.")},
    )

    class Meta:
        model = Zone
        fields: list[str] = []
        form = ZoneFilterForm

    @extend_schema_field(OpenApiTypes.STR)
    def filter_sector(self, zones: QuerySet[Zone], name: str, value) -> QuerySet[Zone]:
        if not value:
            return zones
        through = Zone.sectors.through.objects.filter(sector__in=[s.pk for s in value])
        return zones.filter(pk__in=through.values("zone_id"))

    def filter_utility(self, zones: QuerySet[Zone], name: str, value) -> QuerySet[Zone]:
        for kind in sorted(set(value)):
            connected = UtilityConnection.objects.filter(kind=kind, status=UtilityStatus.CONNECTED)
            zones = zones.filter(pk__in=connected.values("zone_id"))
        return zones

    def filter_free_land_min(self, zones: QuerySet[Zone], name: str, value) -> QuerySet[Zone]:
        include = includes_illustrative(self.data or {})
        return with_free_land(zones, include_illustrative=include).filter(
            **{f"{FREE_LAND}__gte": value}
        )

    def filter_plot_min(self, zones: QuerySet[Zone], name: str, value) -> QuerySet[Zone]:
        offered = Plot.objects.offered().filter(acres__gte=value)
        return zones.filter(pk__in=offered.values("zone_id"))

    def filter_approval_days_max(self, zones: QuerySet[Zone], name: str, value) -> QuerySet[Zone]:
        include = includes_illustrative(self.data or {})
        return zones.filter(pk__in=zones_deciding_within(value, include_illustrative=include))

    def filter_cpec_priority(self, zones: QuerySet[Zone], name: str, value) -> QuerySet[Zone]:
        return zones.filter(cpec_priority=(value == "true"))

    def filter_q(self, zones: QuerySet[Zone], name: str, value: str) -> QuerySet[Zone]:
        for term in value.split()[:Q_MAX_TERMS]:
            in_sector_names = Zone.sectors.through.objects.filter(sector__name__icontains=term)
            in_any_language = Q()
            for column in in_every_language("name"):  # the name in English, Urdu or Chinese
                in_any_language |= Q(**{f"{column}__icontains": term})
            zones = zones.filter(
                in_any_language
                | Q(district__icontains=term)
                | Q(developer__icontains=term)
                | Q(pk__in=in_sector_names.values("zone_id"))
            )
        return zones

    def filter_queryset(self, queryset: QuerySet[Zone]) -> QuerySet[Zone]:
        """The filters' result, without zones invented for the demo unless they are asked for
        (``counted_q``): a list, an export or a count never rests on one by default."""
        include = includes_illustrative(self.data or {})
        return super().filter_queryset(queryset.filter(counted_q(include_illustrative=include)))

    # --- Explaining an empty result -----------------------------------------------------------

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, label, chosen values as text) of each filter in use, sort aside."""
        active = []
        for name, value in self.form.cleaned_data.items():
            if name == "sort" or value in EMPTY_VALUES or _is_empty(value):
                continue
            active.append((name, str(self.filters[name].label), self._describe(name, value)))
        return active

    def counts_without_each_filter(self) -> dict[str, int]:
        """For each filter in use: how many zones match all the other filters (one query)."""
        names = [name for name, _label, _text in self.active_filters()]
        if not names:
            return {}
        base = self.queryset.order_by()
        counts = base.aggregate(
            **{
                name: Count("pk", filter=Q(pk__in=self._filter_except(name).values("pk")))
                for name in names
            }
        )
        return {name: counts[name] for name in names}

    def _filter_except(self, skipped: str) -> QuerySet[Zone]:
        zones = self.queryset.order_by()
        for name, value in self.form.cleaned_data.items():
            if name not in (skipped, "sort"):
                zones = self.filters[name].filter(zones, value)
        return zones.order_by()

    def _describe(self, name: str, value) -> str:
        if name in ("sector", "province"):
            return ", ".join(str(item) for item in value)
        if name in ("status", "utility", "cpec_priority"):
            labels = dict(self.filters[name].extra["choices"])
            values = value if isinstance(value, list | tuple) else [value]
            return ", ".join(str(labels.get(v, v)) for v in values)
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return f"“{value}”"


def _is_empty(value) -> bool:
    if isinstance(value, QuerySet):
        return not value
    return False


def canonical_params(data: QueryDict, *, drop: tuple[str, ...] = ()) -> QueryDict:
    """``data`` as the filter set reads it, in one spelling: only its own parameters (anything
    else, and those in ``drop``, left out), in a fixed order; each value trimmed, numbers
    written one way (``050.0`` is ``50``), text with single spaces, repeated values of a
    multiple-choice filter de-duplicated and sorted (of any other, the last one counts, as
    for the form). Two querystrings that select the same zones the same way give the same
    result, so it can key a cache; no database query, and the filter set is left untouched."""
    canonical = QueryDict(mutable=True)
    for name, zone_filter in ZoneFilterSet.base_filters.items():
        if name in drop:
            continue
        if isinstance(zone_filter, django_filters.MultipleChoiceFilter):
            values = sorted({value.strip() for value in data.getlist(name) if value.strip()})
        else:
            value = (data.get(name) or "").strip()
            values = [_canonical_value(zone_filter, value)] if value else []
        if values:
            canonical.setlist(name, values)
    # Which records count is part of what a page shows (``zones.illustrative``): kept, so that
    # a page counting illustrative records is never served for one that does not.
    choice = (data.get(ILLUSTRATIVE) or "").strip()
    if choice and choice != ILLUSTRATIVE_EXCLUDED and ILLUSTRATIVE not in drop:
        canonical[ILLUSTRATIVE] = choice
    return canonical


def _canonical_value(zone_filter: django_filters.Filter, value: str) -> str:
    if isinstance(zone_filter, django_filters.NumberFilter):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value  # refused by the form: a 400 page, never cached
        return f"{number.normalize():f}" if number.is_finite() else value
    return " ".join(value.split())


def filter_errors(filterset: ZoneFilterSet) -> dict[str, list[str]]:
    """The filter set's validation errors as ``{parameter: [message, …]}``, ready for JSON."""
    return {
        name: [str(message) for message in messages] for name, messages in filterset.errors.items()
    }


def labelled_filter_errors(filterset: ZoneFilterSet) -> list[tuple[str, str]]:
    """The same errors as ``(filter label, message)`` pairs, for a page to show."""
    return [
        (str(filterset.filters[name].label) if name in filterset.filters else name, message)
        for name, messages in filter_errors(filterset).items()
        for message in messages
    ]
