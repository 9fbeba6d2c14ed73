"""The client's address behind our own reverse proxies.

Behind a proxy every request arrives from the proxy's address, so django-axes, which locks
sign-ins by (user name, address), would lock a user out for everybody once one attacker
failed from anywhere. Each proxy appends the address it received the request from to
``X-Forwarded-For``; with exactly ``DJANGO_TRUSTED_PROXY_COUNT`` proxies of ours in front,
the client is the N-th address from the right. Anything further left was written by the
client and is ignored, so a forged header cannot choose the address.

We take the N-th from the right ourselves, as Werkzeug's ``ProxyFix(x_for=N)`` does:
django-ipware counts proxies inside the header and returns ``None`` (or the forgeable
left-most entry) for a single nginx in front, so it does not fit this rule.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(meta: dict, trusted_proxies: int) -> str | None:
    """The client's address from a request's ``META``, trusting ``trusted_proxies`` proxies.

    0 trusts none: the socket's address. A request with fewer forwarded addresses than
    proxies did not come through all of them: the socket's address stands.
    """
    remote = meta.get("REMOTE_ADDR")
    if trusted_proxies <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < trusted_proxies:
        return remote
    candidate = hops[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class TrustedProxyMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address (``client_address``) for everything after
    it: django-axes, the throttles, the logs. First in ``MIDDLEWARE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trusted = settings.TRUSTED_PROXY_COUNT
        if trusted:
            address = client_address(request.META, trusted)
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
