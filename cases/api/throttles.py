"""Per-client throttling: each API client (or signed-in staff member) gets API_RATE requests per period;
past it the answer is 429 with Retry-After. The counters live in the cache; with the cache down the API
keeps answering (a warning is logged) rather than failing every request."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ApiClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return None  # refused anyway by the permission check
        client = getattr(user, "api_client", None)
        ident = f"client-{client.pk}" if client is not None else f"user-{user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - a cache outage must not take the API down with it
            logger.warning("API throttle: cache unreachable, request let through unthrottled")
            return True
