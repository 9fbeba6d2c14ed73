"""The zone page (/zones/<slug>/): everything it shows, gathered for the view in one place.

:func:`build_zone_page` takes a zone loaded by ``zones.selectors.zone_for_page`` (its
records prefetched) and asks each feature for its section: the readiness panel
(``readiness.explanation``), the zone's charts (``dashboards.zone_charts``), announced
targets against what was delivered (``delivery.page``), the plots on offer with possession,
the utility clock and outages (``zones.plot_page``), policy and the one-window clock
(``policy.page``), the updates waiting for
review (``workspace.review.selectors``), the firms' annual returns per year
(``dashboards.zone_returns``), the evidence behind its public records
(``workspace.evidence.selectors``) and the change history (``zones.history``). The template
only lays out and formats what :class:`ZonePage` holds.

Who sees what: internal fields (notes, dispute parties) only officials, reviewers and
administrators; the change history (it names people) those and the zone's editors; the
updates waiting for review the same people. For everyone else those sections are None.

A zone may have hundreds of firms: the long tables (firms, milestones, plots on offer and
the possession register) list their first ``RECORDS_SHOWN`` rows, read with a limit in the
database, and a link under each shows them all (``?firms=all#firms``, and likewise
``milestones`` and ``plots``, kept with the page's other parameters); the figures that sum
them up (the firms by origin and status, the coverage notes, the plot figures) count every
record either way.

The charts and the delivery section take the most queries; they are kept rendered in the
dashboards' cache under the zone's version (``dashboards.cache.zone_version``), which a
write to this zone's records changes: the page shows a save at once, while edits to other
zones leave them cached.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from accounts.roles import sees_internal_fields_of
from dashboards import cache as dashboards_cache
from dashboards.zone_charts import render_zone_charts
from dashboards.zone_returns import render_zone_returns
from delivery import page as delivery_page
from investors.models import Firm
from policy.page import ZonePolicySection, build_zone_section
from readiness.explanation import ReadinessPanel, readiness_panel
from readiness.selectors import ZoneReadiness, zone_readiness
from workspace.evidence.selectors import PublicEvidence, zone_public_evidence
from workspace.models import ChangeRequest
from workspace.review.selectors import zone_pending_updates

from . import selectors
from .history import HistoryEntry, zone_history
from .illustrative import Shown
from .locator_map import locator_map
from .models import Milestone, UtilityConnection, Zone
from .plot_page import PlotsSection, build_plots_section
from .reported import ReportedFigure, reported_beside_recorded

#: The page's long tables: each lists its first ``RECORDS_SHOWN`` rows unless the request
#: asks for it in full (``?<name>=all``); each name is also the id of its section's heading,
#: where its link leads.
LONG_TABLES = ("firms", "milestones", "plots")
IN_FULL = "all"


@dataclass(frozen=True)
class TableSwitch:
    """The link under a long table: to every row while it lists the first ones, back to the
    first ones while it lists them all."""

    in_full: bool
    url: str


def table_switches(params: QueryDict, *, path: str) -> dict[str, TableSwitch]:
    """For each long table, whether ``params`` (the request's GET) ask for it in full, and
    the URL of the same page (every other parameter kept) with that choice turned over."""
    switches = {}
    for name in LONG_TABLES:
        in_full = params.get(name) == IN_FULL
        switched = params.copy()
        switched.pop(name, None)
        if not in_full:
            switched[name] = IN_FULL
        query = switched.urlencode()
        url = path + (f"?{query}" if query else "") + f"#{name}"
        switches[name] = TableSwitch(in_full=in_full, url=url)
    return switches


def _limit(switches: dict[str, TableSwitch], name: str) -> int | None:
    return None if switches[name].in_full else selectors.RECORDS_SHOWN


@dataclass(frozen=True)
class ZonePage:
    """Everything a zone's page shows, for one viewer."""

    zone: Zone
    #: The latest score, for the overview; None when the zone was never scored.
    readiness: ZoneReadiness | None
    #: How the score is made, with the records behind it and its history.
    readiness_panel: ReadinessPanel
    #: Every utility kind, core kinds first, with the zone's record or None.
    utilities: list[tuple[str, str, UtilityConnection | None]]
    #: The firms by name: the first ``RECORDS_SHOWN``, or all when asked for in full.
    firms: selectors.Listed[Firm]
    #: Every firm counted by origin group and status.
    firm_breakdown: selectors.FirmBreakdown
    #: Whether the viewer sees internal fields (internal notes, dispute parties).
    internal: bool
    #: Where to draw the zone on the locator map; None when its position is unknown.
    map: dict | None
    #: The zone's charts and its announced-vs-delivered section, rendered (and cached).
    charts: SafeString
    delivery: SafeString
    #: Totals reported by an authority beside what the records sum to, with coverage.
    reported: list[ReportedFigure]
    #: Updates waiting for review; None when the viewer may not see them.
    pending_updates: list[ChangeRequest] | None
    #: The change timeline, newest first; None when the viewer may not see it.
    history: list[HistoryEntry] | None
    #: Plots on offer and whom to ask; for officials also possession, the clock, outages.
    plots: PlotsSection | None = None
    #: The evidence behind the zone's public records (approved updates' files).
    evidence: list[PublicEvidence] | None = None
    #: Which records the page counts (real only, or illustrative too) and the switch.
    shown: Shown | None = None
    #: How many records the derived figures rest on.
    coverage: selectors.ZoneCoverage | None = None
    #: The firms' annual returns per year, with their charts, rendered (and cached).
    returns: SafeString | str = ""
    #: The milestones, listed like the firms.
    milestones: selectors.Listed[Milestone] | None = None
    #: The link under each long table, by its name in ``LONG_TABLES``.
    switches: dict[str, TableSwitch] = field(default_factory=dict)

    @property
    def firms_with_returns(self) -> bool:
        """Whether a firm's figures come from its latest annual return."""
        return any(getattr(firm, "figures_year", None) for firm in self.firms)

    #: Incentives in force, the policy timeline and the one-window clock (``policy.page``).
    policy: ZonePolicySection | None = None

    @property
    def records_shown(self) -> int:
        """How many rows a long table lists until it is asked for in full."""
        return selectors.RECORDS_SHOWN

    @property
    def shows_pending_updates(self) -> bool:
        return self.pending_updates is not None

    @property
    def shows_history(self) -> bool:
        return self.history is not None


def public_version(*, slug: str) -> str | None:
    """The version of everything the public sees of the zone at ``slug``, on its page or in
    the API's detail: the zone's own (``dashboards.cache.zone_version``), which its records'
    writes change and other zones' leave alone; None when no published zone has the slug."""
    zone_id = selectors.published_zone_id(slug=slug)
    return None if zone_id is None else dashboards_cache.zone_version(zone_id)


def build_zone_page(
    *,
    zone: Zone,
    user,
    today: datetime.date | None = None,
    shown: Shown | None = None,
    switches: dict[str, TableSwitch] | None = None,
) -> ZonePage:
    """The page of ``zone`` (from ``zones.selectors.zone_for_page``, loaded with the same
    choice of records) as ``user`` sees it: real records only, unless ``shown`` includes
    illustrative ones; the long tables in full where ``switches`` (``table_switches``) say
    so, their first rows otherwise.

    A fixed number of queries whatever the zone's records, fewer while its charts and
    delivery section are cached.
    """
    today = today or timezone.localdate()
    include = bool(shown and shown.include)
    if switches is None:
        switches = table_switches(QueryDict(), path=zone.get_absolute_url())
    firms = selectors.zone_firms(
        zone, include_illustrative=include, limit=_limit(switches, "firms")
    )
    firm_counts = selectors.zone_firm_counts(zone, include_illustrative=include)
    milestones = selectors.zone_milestones(
        zone, include_illustrative=include, limit=_limit(switches, "milestones")
    )
    sees_history = sees_internal_fields_of(user, zone)
    internal = selectors.sees_internal_fields(user)
    return ZonePage(
        zone=zone,
        readiness=zone_readiness(zone),
        readiness_panel=readiness_panel(zone, milestones=milestones, include_illustrative=include),
        utilities=selectors.utilities_by_kind(zone),
        firms=firms,
        milestones=milestones,
        switches=switches,
        firm_breakdown=firm_counts.breakdown,
        internal=internal,
        map=locator_map(zone.latitude, zone.longitude),
        charts=zone_charts_html(zone, today=today, include_illustrative=include),
        delivery=zone_delivery_html(zone, today=today, include_illustrative=include),
        reported=reported_beside_recorded(
            Zone.objects.filter(pk=zone.pk), include_illustrative=include
        ),
        pending_updates=zone_pending_updates(zone=zone, user=user),
        history=zone_history(zone=zone, internal=internal) if sees_history else None,
        plots=build_plots_section(
            zone=zone,
            internal=internal,
            today=today,
            include_illustrative=include,
            limit=_limit(switches, "plots"),
        ),
        evidence=zone_public_evidence(zone=zone),
        shown=shown,
        coverage=selectors.ZoneCoverage(
            firms=firm_counts.breakdown.total,
            firms_with_acres=firm_counts.with_acres,
            milestones=milestones.total,
            milestones_dated=milestones.dated,
        ),
        returns=zone_returns_html(zone, include_illustrative=include),
        policy=build_zone_section(zone=zone, today=today),
    )


def zone_returns_html(zone: Zone, *, include_illustrative: bool = False) -> SafeString:
    """The zone's yearly returns and their charts: two queries, none while cached."""
    return _cached_fragment(
        "zone-returns",
        zone,
        lambda: render_zone_returns(zone, include_illustrative=include_illustrative),
        include_illustrative=include_illustrative,
    )


def zone_charts_html(
    zone: Zone, *, today: datetime.date, include_illustrative: bool = False
) -> SafeString:
    """The zone's charts section: three queries, none while it is in the dashboards' cache."""
    return _cached_fragment(
        "zone",
        zone,
        lambda: render_zone_charts(zone, today=today, include_illustrative=include_illustrative),
        include_illustrative=include_illustrative,
    )


def zone_delivery_html(
    zone: Zone, *, today: datetime.date, include_illustrative: bool = False
) -> SafeString:
    """The zone's announced targets against what it delivered, with their charts: five
    queries, none while the rendered section is in the dashboards' cache."""

    def render() -> SafeString:
        section = delivery_page.build_zone(
            zone, today=today, include_illustrative=include_illustrative
        )
        return render_to_string(
            "delivery/_zone_delivery.html",
            {
                "zone": zone,
                "section": section,
                "today": today,
                "include_illustrative": include_illustrative,
            },
        )

    return _cached_fragment(
        "zone-delivery", zone, render, include_illustrative=include_illustrative
    )


def _cached_fragment(
    kind: str, zone: Zone, render, *, include_illustrative: bool = False
) -> SafeString:
    """``render()``, kept under the zone's version and the active language (the keys the
    zone page's fragments have always had, so a deployment finds its predecessor's), and
    apart when it counts illustrative records."""
    version = dashboards_cache.zone_version(zone.pk)
    key = f"dashboards:{kind}:{version}:{get_language()}:{zone.pk}"
    if include_illustrative:
        key += ":illustrative"
    return dashboards_cache.cached(key, lambda: (True, render()))
