"""Request rates, counted in the shared cache (CACHES, from CACHE_URL) so that every worker sees the
same counts. Rates are set in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] by scope:

- `user` / `anon`: API requests of a user, and of an address that no authenticator accepted (counted
  before the 401, by `UnauthenticatedRateAuthentication`);
- `failed_token`: wrong, expired or malformed API tokens from one address;
- `page_user` / `page_anon`: pages (PageThrottleMiddleware), per user or per address.
"""

from __future__ import annotations

import math

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


class ScopedRateThrottle(SimpleRateThrottle):
    """A rate of `scope` per user (or per address, for anonymous requests, or when by_user is false),
    read from the settings when the throttle is made (DRF's own classes read them once, at import)."""

    def __init__(self, scope: str, *, by_user: bool = True):
        self.scope = scope
        self.by_user = by_user
        super().__init__()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view=None):
        user = getattr(request, "user", None) if self.by_user else None
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def over_limit(self, request) -> bool:
        """Whether the count is at the rate already, without counting this request."""
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def count(self) -> None:
        """Count the request that over_limit() looked at."""
        self.throttle_success()


def client_address(request) -> str:
    """The client's address as the throttles count it (REST_FRAMEWORK["NUM_PROXIES"]); also the
    address django-axes locks out (AXES_CLIENT_IP_CALLABLE)."""
    return BaseThrottle().get_ident(request)


def lockout_response(request, original_response, credentials):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): a page saying why and for how long."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    response = render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def unlock_logins(usernames) -> None:
    """Clear the failed logins of these accounts: their lockout ends now (the users' admin action)."""
    from axes.utils import reset

    for username in usernames:
        reset(username=username)
