"""The e-mail alerts' pages: sign up (from a finder view or a zone page), confirm, unsubscribe.

Sign-ups are rate-limited per address and per client. The unsubscribe endpoint takes the
one-click POST of RFC 8058 from mail clients, which carry no CSRF token: it is exempt by
design, and idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from . import alerts
from .vocabulary import AlertFrequency

PAGE = "follow/alert_message.html"


def _address_key(group, request) -> str:
    return alerts.normalise_email(request.POST.get("email", ""))


def _rate_per_client(group, request) -> str:
    return settings.ALERT_SIGNUP_RATE_PER_CLIENT


def _address_limited(request) -> bool:
    """Whether this address had too many confirmation e-mails (only a well-formed address
    counts: a typo does not use up the owner's sign-ups)."""
    try:
        validate_email(_address_key(None, request))
    except ValidationError:
        return False
    return is_ratelimited(
        request,
        group="follow.alert-address",
        key=_address_key,
        rate=settings.ALERT_SIGNUP_RATE_PER_ADDRESS,
        method="POST",
        increment=True,
    )


@require_POST
@ratelimit(key="ip", rate=_rate_per_client, method="POST", block=False)
def alert_subscribe(request):
    """POST /alerts/: ask for alerts on the finder view (``query``) or zone (``zone``) given."""
    if getattr(request, "limited", False) or _address_limited(request):
        message = _("Too many sign-ups from here or for this address. Try again in an hour.")
        return render(request, PAGE, {"title": _("Please wait"), "error": message}, status=429)
    try:
        alerts.alert_request(
            email=request.POST.get("email", "")[:254],
            query=alerts.clean_query(QueryDict(request.POST.get("query", "")[:2000])),
            zone_slug=request.POST.get("zone", "")[:100],
            frequency=request.POST.get("frequency", ""),
            language=request.POST.get("language") or get_language(),
        )
    except ValidationError as invalid:
        errors = [m for messages in invalid.message_dict.values() for m in messages]
        return render(
            request, PAGE, {"title": _("The alert could not be set up"), "errors": errors},
            status=400,
        )  # fmt: skip
    return render(
        request,
        PAGE,
        {
            "title": _("Check your inbox"),
            "message": _(
                "We sent a confirmation link to the address you gave. The alert starts when "
                "you open it; until then nothing is sent and nothing is kept."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def alert_confirm(request, token: str):
    """GET shows a button (mail scanners open links); POST stores the alert."""
    try:
        if request.method == "GET":
            alerts.confirmation_request(token)
            return render(
                request, PAGE,
                {"title": _("Confirm your e-mail alert"), "confirm": True, "token": token},
            )  # fmt: skip
        subscription = alerts.alert_confirm(token=token)
    except alerts.BadToken as bad:
        return render(
            request, PAGE, {"title": _("This link does not work"), "error": str(bad)}, status=400
        )
    return render(
        request,
        PAGE,
        {
            "title": _("Your alert is on"),
            "message": _("You will get %(frequency)s e-mails when the zones you follow change.")
            % {"frequency": AlertFrequency(subscription.frequency).label.lower()},
        },
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token: str):
    """GET shows a button; POST (a person's, or a mail client's one-click) deletes the
    address's alerts. Posting again is harmless."""
    try:
        if request.method == "GET":
            alerts.unsubscribe_address(token)
            return render(
                request, PAGE,
                {"title": _("Stop the e-mail alerts"), "unsubscribe": True, "token": token},
            )  # fmt: skip
        alerts.alert_unsubscribe(token=token)
    except alerts.BadToken as bad:
        return render(
            request, PAGE, {"title": _("This link does not work"), "error": str(bad)}, status=400
        )
    return render(
        request,
        PAGE,
        {
            "title": _("You are unsubscribed"),
            "message": _("You will get no more alerts, and your address has been deleted."),
        },
    )
