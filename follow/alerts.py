"""E-mail alerts on a saved search: double opt-in, digests and one-click unsubscribe.

- :func:`alert_request` checks a sign-up and mails a signed confirmation link; it stores
  nothing (the link carries the request) and sends nothing else.
- :func:`alert_confirm` stores the alert when the link comes back, unaltered and in time.
- :func:`alert_digests_send` (Celery beat, daily and weekly) sends each address at most one
  digest per period: the public change log of each of its saved searches since the last one,
  in the language the person chose, with ``List-Unsubscribe`` headers (RFC 8058).
- :func:`alert_unsubscribe` deletes every alert of the address (and so the address).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zones.filtersets import ZoneFilterSet, filter_errors
from zones.history import HistoryEntry
from zones.models import Zone

from . import selectors
from .models import AlertSubscription
from .vocabulary import DROPPED_PARAMETERS, PERIOD_SLACK, PERIODS, AlertFrequency

CONFIRM_SALT = "follow.alert.confirm"
UNSUBSCRIBE_SALT = "follow.alert.unsubscribe"
#: E-mails handed to the mail server per connection round.
BATCH_SIZE = 100


class BadToken(Exception):
    """A confirmation or unsubscribe link that is unknown, altered or expired."""


@dataclass(frozen=True)
class AlertRequest:
    email: str
    query: str
    zone_slug: str
    frequency: str
    language: str


def clean_query(params: QueryDict) -> str:
    """The finder parameters an alert follows, without the page and the sort."""
    query = params.copy()
    for key in DROPPED_PARAMETERS:
        query.pop(key, None)
    return query.urlencode()


def normalise_email(email: str) -> str:
    return email.strip().lower()[:254]


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _check(request: AlertRequest) -> None:
    errors: dict[str, list[str]] = {}
    try:
        validate_email(request.email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address, such as name@example.org.")]
    if request.frequency not in AlertFrequency.values:
        errors["frequency"] = [_("Choose daily or weekly.")]
    if request.language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the site's languages.")]
    if request.zone_slug:
        if selectors.zone_for_feed(request.zone_slug) is None:
            errors["zone"] = [_("No published zone has this address.")]
    else:
        filterset = ZoneFilterSet(QueryDict(request.query), queryset=Zone.objects.none())
        if not filterset.is_valid():
            errors.update(filter_errors(filterset))
    if errors:
        raise ValidationError(errors)


def alert_request(*, email: str, query: str, zone_slug: str, frequency: str, language: str) -> None:
    """Check a sign-up and mail its confirmation link; stores nothing.

    Raises ``ValidationError`` (by field) when the address, frequency, language or saved
    search is not valid: then nothing is sent either.
    """
    request = AlertRequest(normalise_email(email), query, zone_slug, frequency, language)
    _check(request)
    token = signing.dumps(
        {"e": request.email, "q": request.query, "z": request.zone_slug,
         "f": request.frequency, "l": request.language},
        salt=CONFIRM_SALT,
    )  # fmt: skip
    with translation.override(request.language):
        link = _site_url(reverse("follow:alert-confirm", args=[token]))
        body = _(
            "Someone, probably you, asked for %(frequency)s e-mails about changes to %(search)s "
            "on the CPEC special economic zones dashboard.\n\n"
            "To start them, open this link within %(days)s days:\n%(link)s\n\n"
            "If you did not ask, ignore this e-mail: nothing is sent and your address is not "
            "kept."
        ) % {
            "frequency": AlertFrequency(request.frequency).label.lower(),
            "search": _search_label(request.query, request.zone_slug),
            "days": settings.ALERT_CONFIRM_DAYS,
            "link": link,
        }
        message = EmailMultiAlternatives(
            subject=_("Confirm your e-mail alert"), body=body, to=[request.email]
        )
    message.send()


def _payload(token: str, *, salt: str, max_age: datetime.timedelta | None = None) -> dict:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as expired:
        raise BadToken(_("This link has expired. Sign up again to get a new one.")) from expired
    except signing.BadSignature as bad:
        raise BadToken(
            _("This link is not valid: it may be incomplete or altered. Copy the whole link "
              "from the e-mail.")
        ) from bad  # fmt: skip
    if not isinstance(payload, dict):
        raise BadToken(_("This link is not valid: it may be incomplete or altered."))
    return payload


def confirmation_request(token: str) -> AlertRequest:
    """The sign-up a confirmation link carries, checked again. Raises :class:`BadToken` for
    an altered, unknown or expired link."""
    payload = _payload(
        token,
        salt=CONFIRM_SALT,
        max_age=datetime.timedelta(days=settings.ALERT_CONFIRM_DAYS),
    )
    try:
        request = AlertRequest(payload["e"], payload["q"], payload["z"], payload["f"], payload["l"])
        _check(request)
    except (KeyError, ValidationError) as wrong:
        raise BadToken(_("This link is not valid: it may be incomplete or altered.")) from wrong
    return request


def alert_confirm(*, token: str) -> AlertSubscription:
    """Store the alert a confirmation link asks for (once: confirming twice is harmless).
    Raises :class:`BadToken` for an altered, unknown or expired link: nothing is stored."""
    request = confirmation_request(token)
    zone = selectors.zone_for_feed(request.zone_slug) if request.zone_slug else None
    with transaction.atomic():
        subscription, _created = AlertSubscription.objects.get_or_create(
            email=request.email,
            query="" if zone else request.query,
            zone=zone,
            frequency=request.frequency,
            defaults={"language": request.language, "confirmed_at": timezone.now()},
        )
    return subscription


def unsubscribe_token(email: str) -> str:
    return signing.dumps({"e": email}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_address(token: str) -> str:
    """The address an unsubscribe link names. Raises :class:`BadToken` for an altered link."""
    email = _payload(token, salt=UNSUBSCRIBE_SALT).get("e")
    if not isinstance(email, str):
        raise BadToken(_("This link is not valid: it may be incomplete or altered."))
    return email


def alert_unsubscribe(*, token: str) -> int:
    """Delete every alert of the address the link names; returns how many. Idempotent.
    Raises :class:`BadToken` for an altered link: nothing is deleted."""
    email = unsubscribe_address(token)
    deleted, _by_model = AlertSubscription.objects.filter(email=email).delete()
    return deleted


# --- Digests -----------------------------------------------------------------------------


def _search_label(query: str, zone_slug: str) -> str:
    if zone_slug:
        zone = selectors.zone_for_feed(zone_slug)
        return zone.name if zone else zone_slug
    filterset = ZoneFilterSet(QueryDict(query), queryset=Zone.objects.none())
    if not filterset.is_valid():
        return query
    active = filterset.active_filters()
    if not active:
        return _("all published zones")
    return "; ".join(f"{label}: {text}" for _name, label, text in active)


def _zones(subscription: AlertSubscription) -> QuerySet[Zone]:
    zones = selectors.published_zones()
    if subscription.zone_id:
        return zones.filter(pk=subscription.zone_id)
    return ZoneFilterSet(QueryDict(subscription.query), queryset=zones).qs


def _changes_url(subscription: AlertSubscription) -> str:
    if subscription.zone_id:
        return _site_url(reverse("zones:detail", args=[subscription.zone.slug]))
    query = f"?{subscription.query}" if subscription.query else ""
    return _site_url(reverse("follow:changes") + query)


def _entry_lines(entry: HistoryEntry, zone_name: str) -> list[str]:
    lines = [
        f"{entry.when.date().isoformat()} · {zone_name}: "
        f"{entry.record_type} “{entry.record}” {entry.action}"
    ]
    lines += [f"    {change.label}: {change.old} → {change.new}" for change in entry.changes]
    return lines


def _policy_lines(update: selectors.PolicyUpdate) -> list[str]:
    event = update.event
    lines = [
        _("%(date)s · Policy: %(title)s (%(effect)s; %(instrument)s)")
        % {
            "date": event.date.isoformat(),
            "title": event.title,
            "effect": event.get_effect_display(),
            "instrument": event.instrument,
        }
    ]
    if event.source_url:
        lines.append("    " + _("Source: %(url)s") % {"url": event.source_url})
    return lines


def _digest(email: str, subscriptions: list[AlertSubscription]) -> EmailMultiAlternatives | None:
    """One address's digest, or None when none of its searches changed."""
    language = max(subscriptions, key=lambda s: s.confirmed_at).language
    with translation.override(language):
        sections = []
        for subscription in subscriptions:
            since = subscription.last_sent_at or subscription.confirmed_at
            zones = _zones(subscription)
            entries = selectors.change_log(zones=zones, since=since)
            policy = selectors.policy_updates(zones=zones, since=since)
            if not entries and not policy:
                continue
            label = (
                subscription.zone.name
                if subscription.zone_id
                else _search_label(subscription.query, "")
            )
            lines = [f"== {label} =="]
            for change in selectors.with_zones(entries):
                lines += _entry_lines(change.entry, change.zone_name)
            for update in policy:
                lines += _policy_lines(update)
            lines.append(_("All changes: %(url)s") % {"url": _changes_url(subscription)})
            sections.append("\n".join(lines))
        if not sections:
            return None
        unsubscribe = _site_url(
            reverse("follow:alert-unsubscribe", args=[unsubscribe_token(email)])
        )
        body = "\n\n".join(
            [
                _("What changed in the special economic zones you follow:"),
                *sections,
                "-- ",
                _("Stop these e-mails and delete your address (one click): %(url)s")
                % {"url": unsubscribe},
            ]
        )
        return EmailMultiAlternatives(
            subject=_("Changes to the zones you follow"),
            body=body,
            to=[email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def alert_digests_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Send the digests of ``frequency`` that are due; returns how many e-mails were sent.

    An alert is due when it had no digest in the last period (less a little slack); each
    address gets at most one e-mail for all its due alerts, and the e-mails go out in
    batches over one connection. Rerunning within the period sends nothing again.
    """
    now = now or timezone.now()
    due_before = now - PERIODS[AlertFrequency(frequency)] + PERIOD_SLACK
    due = list(
        AlertSubscription.objects.filter(frequency=frequency)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=due_before))
        .select_related("zone")
        .order_by("email", "pk")
    )
    by_email: dict[str, list[AlertSubscription]] = defaultdict(list)
    for subscription in due:
        by_email[subscription.email].append(subscription)
    messages = [m for email, subs in by_email.items() if (m := _digest(email, subs))]
    connection = get_connection()
    for start in range(0, len(messages), BATCH_SIZE):
        connection.send_messages(messages[start : start + BATCH_SIZE])
    AlertSubscription.objects.filter(pk__in=[s.pk for s in due]).update(last_sent_at=now)
    return len(messages)
