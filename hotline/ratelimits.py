"""How the public hotline limits its visitors without knowing who they are.

The sender's address is read once (``client_address``: REMOTE_ADDR, or the right-most untrusted entry
of X-Forwarded-For when REMOTE_ADDR is one of HOTLINE_TRUSTED_PROXIES) and turned at once into an
opaque bucket: an HMAC under HOTLINE_RATELIMIT_KEY of the address (an IPv6 /64). Only buckets reach
the cache, so its keys cannot be matched to an address by hashing candidate addresses without the key.

Limits are fixed windows ("count/period" strings) counted in the shared cache:

* per address: an address over its own limit is refused, and that refusal touches nothing else, so a
  flood from a few addresses spends only those addresses' budgets;
* for everyone: only requests admitted are counted (a refusal gives its place back). When the shared
  budget is spent (a flood from many addresses), the hotline is "under pressure": it still admits
  the *first* request an address makes in its window, because that is what a genuine reporter
  sends, while every repeat is refused; past twice the budget it refuses all until the window turns.

When the cache cannot be reached (Redis down), counters fall back to this process's memory: the
hotline keeps taking reports with the same limits per worker process instead of failing, a warning
is logged, and the cache is not tried again for HOTLINE_CACHE_RETRY_SECONDS so that no request
waits on a dead server more than once in that time.
"""

import hashlib
import hmac
import ipaddress
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RATES = {
    "submit": ("HOTLINE_SUBMIT_RATE_PER_IP", "HOTLINE_SUBMIT_RATE_GLOBAL"),
    "check": ("HOTLINE_SUBMIT_RATE_PER_IP", "HOTLINE_SUBMIT_RATE_GLOBAL"),  # the report's question pages
    "lookup": ("HOTLINE_LOOKUP_RATE_PER_IP", "HOTLINE_LOOKUP_RATE_GLOBAL"),
    "reply": ("HOTLINE_SUBMIT_RATE_PER_IP", "HOTLINE_SUBMIT_RATE_GLOBAL"),  # same rates, own counters
}
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CACHE_ERRORS = (RedisError, OSError)


@dataclass(frozen=True)
class Rate:
    count: int
    period: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'5/h', '600/m', '10/15m' (count per period; the period may carry a multiplier)."""
        count, _, period = text.strip().partition("/")
        multiplier = period[:-1] or "1"
        return cls(count=int(count), period=int(multiplier) * PERIODS[period[-1]])


# --- the sender, as an opaque bucket ----------------------------------------------------------------


def _trusted_proxies() -> list:
    return [ipaddress.ip_network(n, strict=False) for n in settings.HOTLINE_TRUSTED_PROXIES]


def client_address(request):
    """The sender's address as the app trusts it, or None. Behind a proxy listed in
    HOTLINE_TRUSTED_PROXIES, the right-most X-Forwarded-For entry that is not itself a trusted proxy
    (entries further left are whatever the client chose to send)."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "").strip())
    except ValueError:
        return None
    proxies = _trusted_proxies()
    if not any(address in network for network in proxies):
        return address
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        try:
            hop = ipaddress.ip_address(entry.strip())
        except ValueError:
            return None  # a garbled chain: trust none of it
        if not any(hop in network for network in proxies):
            return hop
    return address


def address_bucket(request) -> str:
    """An opaque key for the sender's network (an IPv6 /64, an IPv4 address), for cache counters only:
    keyed with a secret, so it cannot be reversed by hashing every address."""
    address = client_address(request)
    if address is None:
        return "unknown"
    network = ipaddress.ip_network(f"{address}/64", strict=False) if address.version == 6 else address
    return opaque(str(network))


def session_bucket(request) -> str:
    """The same for the session: its key never appears in the cache (it would open the session)."""
    key = request.session.session_key
    return opaque(f"session:{key}") if key else ""


def opaque(value: str) -> str:
    key = settings.HOTLINE_RATELIMIT_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


# --- counters: the shared cache, or this process when the cache is down -----------------------------


class _Local:
    """Process-local stand-in for the cache while it is unreachable."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values: dict[str, tuple[float, float]] = {}  # key -> (value, expires at)
        self.cache_down_until = 0.0

    def reset(self):
        with self.lock:
            self.values.clear()
            self.cache_down_until = 0.0

    def _live(self, key, now):
        held = self.values.get(key)
        if held is None or held[1] <= now:
            self.values.pop(key, None)
            return None
        return held[0]

    def incr(self, key, by, timeout):
        now = time.time()
        with self.lock:
            if len(self.values) > 50_000:  # bounded: drop what has expired
                self.values = {k: v for k, v in self.values.items() if v[1] > now}
            current = self._live(key, now)
            expires = self.values[key][1] if current is not None else now + timeout
            value = (current or 0) + by
            self.values[key] = (value, expires)
            return value

    def get(self, key):
        with self.lock:
            return self._live(key, time.time())

    def set(self, key, value, timeout):
        with self.lock:
            self.values[key] = (value, time.time() + timeout)


LOCAL = _Local()


def _cache_usable() -> bool:
    return time.time() >= LOCAL.cache_down_until


def _cache_failed(exc: Exception) -> None:
    LOCAL.cache_down_until = time.time() + settings.HOTLINE_CACHE_RETRY_SECONDS
    logger.warning(
        "Hotline rate-limit cache unreachable (%s); using this process's own limits for %s s.",
        type(exc).__name__,
        settings.HOTLINE_CACHE_RETRY_SECONDS,
    )


def counter_incr(key: str, *, timeout: int, by: int = 1) -> int:
    """Add `by` to a counter that expires `timeout` seconds after it was created; the new value."""
    if _cache_usable():
        try:
            cache.add(key, 0, timeout=timeout)
            try:
                return cache.incr(key, by) if by >= 0 else cache.decr(key, -by)
            except ValueError:  # expired between add and incr
                cache.set(key, max(by, 0), timeout=timeout)
                return max(by, 0)
        except CACHE_ERRORS as exc:
            _cache_failed(exc)
    return LOCAL.incr(key, by, timeout)


def value_get(key: str):
    if _cache_usable():
        try:
            return cache.get(key)
        except CACHE_ERRORS as exc:
            _cache_failed(exc)
    return LOCAL.get(key)


def value_set(key: str, value, *, timeout: int) -> None:
    if _cache_usable():
        try:
            cache.set(key, value, timeout=timeout)
            return
        except CACHE_ERRORS as exc:
            _cache_failed(exc)
    LOCAL.set(key, value, timeout)


# --- the limit ------------------------------------------------------------------------------------


def hotline_limited(request, *, kind: str) -> bool:
    """True if this public POST must be refused (see the module docstring for the rule)."""
    per_address, overall = (Rate.parse(getattr(settings, name)) for name in RATES[kind])
    now = time.time()
    bucket = address_bucket(request)
    used = counter_incr(
        f"hotline:rl:{kind}:address:{bucket}:{int(now // per_address.period)}", timeout=per_address.period
    )
    if used > per_address.count:
        return True
    everyone_key = f"hotline:rl:{kind}:everyone:{int(now // overall.period)}"
    admitted = counter_incr(everyone_key, timeout=overall.period)
    if admitted <= overall.count:
        return False
    if used == 1 and admitted <= 2 * overall.count:
        return False  # under pressure, a sender's first request still gets through
    counter_incr(everyone_key, timeout=overall.period, by=-1)  # a refusal takes no place
    return True
