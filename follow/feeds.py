"""Atom feeds of the public change log: any finder view (``/feeds/changes/`` with the
finder's parameters), one zone, one province. Bad parameters get a 400 with the messages,
as the API gives them."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from zones.filtersets import ZoneFilterSet, filter_errors

from . import selectors
from .selectors import PolicyUpdate, PublicChange

#: The newest entries a feed carries.
FEED_SIZE = 50


class ChangeFeed(Feed):
    """The common shape: the newest changes to some published zones, one entry per change."""

    feed_type = Atom1Feed

    def zones(self, obj):
        raise NotImplementedError

    def items(self, obj) -> list[PublicChange | PolicyUpdate]:
        """The newest changes, with the policy events that apply to these zones."""
        zones = self.zones(obj)
        entries = selectors.with_zones(selectors.change_log(zones=zones)[:FEED_SIZE])
        policy = selectors.policy_updates(zones=zones, limit=FEED_SIZE)
        merged = sorted([*entries, *policy], key=_when, reverse=True)
        return merged[:FEED_SIZE]

    def item_title(self, item: PublicChange | PolicyUpdate) -> str:
        if isinstance(item, PolicyUpdate):
            return _("Policy: %(title)s (%(date)s)") % {
                "title": item.event.title,
                "date": item.event.date.isoformat(),
            }
        entry = item.entry
        return _("%(zone)s: %(record_type)s “%(record)s” %(action)s") % {
            "zone": item.zone_name,
            "record_type": entry.record_type,
            "record": entry.record,
            "action": entry.action,
        }

    def item_description(self, item: PublicChange | PolicyUpdate) -> str:
        if isinstance(item, PolicyUpdate):
            return "\n".join(_policy_lines(item.event))
        lines = [f"{change.label}: {change.old} → {change.new}" for change in item.entry.changes]
        if item.entry.evidence:
            lines.append(_("Source: %(url)s") % {"url": item.entry.evidence})
        return "\n".join(lines)

    def item_link(self, item: PublicChange | PolicyUpdate) -> str:
        return item.url if isinstance(item, PolicyUpdate) else item.zone_url

    def item_guid(self, item: PublicChange | PolicyUpdate) -> str:
        if isinstance(item, PolicyUpdate):
            return f"{item.url}@{item.when.isoformat()}"
        return f"{item.zone_url}#change-{item.entry.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublicChange | PolicyUpdate):
        return _when(item)

    def item_updateddate(self, item: PublicChange | PolicyUpdate):
        return _when(item)


def _when(item: PublicChange | PolicyUpdate):
    return item.when if isinstance(item, PolicyUpdate) else item.entry.when


def _policy_lines(event) -> list[str]:
    """A policy event in a few lines: what, by which instrument, where to read it."""
    lines = [f"{event.get_effect_display()}: {event.instrument}"]
    if event.source_url:
        lines.append(_("Source: %(url)s") % {"url": event.source_url})
    return lines


class BadParameters(Exception):
    """The feed's filter parameters are not valid; ``errors`` says why, per parameter."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


class ChangesFeed(ChangeFeed):
    """/feeds/changes/?<the finder's parameters>: the changes to the zones the finder lists."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadParameters as bad:
            return JsonResponse(bad.errors, status=400)

    def get_object(self, request, *args, **kwargs) -> ZoneFilterSet:
        filterset = ZoneFilterSet(
            request.GET, queryset=selectors.published_zones(), request=request
        )
        if not filterset.is_valid():
            raise BadParameters(filter_errors(filterset))
        return filterset

    def zones(self, obj: ZoneFilterSet):
        return obj.qs

    def title(self, obj) -> str:
        return _("Changes to the special economic zones")

    def link(self, obj: ZoneFilterSet) -> str:
        query = obj.data.copy()
        query.pop("page", None)
        encoded = query.urlencode()
        return reverse("follow:changes") + (f"?{encoded}" if encoded else "")

    def subtitle(self, obj) -> str:
        return _("Approved changes to the published zones that match these filters.")


class ZoneChangesFeed(ChangeFeed):
    """/feeds/zones/<slug>/: the changes to one published zone."""

    def get_object(self, request, slug: str):
        zone = selectors.zone_for_feed(slug)
        if zone is None:
            raise Http404(_("No published zone has this address."))
        return zone

    def zones(self, obj):
        return selectors.published_zones().filter(pk=obj.pk)

    def title(self, obj) -> str:
        return _("Changes to %(zone)s") % {"zone": obj.name}

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj) -> str:
        return _("Approved changes to the zone and its records.")


class ProvinceChangesFeed(ChangeFeed):
    """/feeds/provinces/<code>/: the changes to the published zones of one province."""

    def get_object(self, request, code: str):
        province = selectors.province_for_feed(code)
        if province is None:
            raise Http404(_("There is no province with this code."))
        return province

    def zones(self, obj):
        return selectors.published_zones().filter(province=obj)

    def title(self, obj) -> str:
        return _("Changes to the zones of %(province)s") % {"province": str(obj)}

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj) -> str:
        return _("Approved changes to the province's published zones.")
