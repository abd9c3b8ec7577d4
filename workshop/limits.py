"""Limits per client address that hold across processes: counters in Redis.

Each limit is a count per time window for one client address (as uvicorn gives it, after the proxy headers it
trusts: FORWARDED_ALLOW_IPS). A window starts with the first count and ends with its key's TTL, so every key
expires by itself; the key carries a keyed hash of the address as its hash tag (the address itself is never
written to Redis). Whether a request counts is decided in the web layer (web/limits.py).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .redis_urls import Client

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# One more for this address; the window starts with the first. The count and the milliseconds the window has left.
_TAKE = """
local n = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {n, left}
"""

# One back (a lookup that found its room); never below zero, never a key without its TTL.
_GIVE_BACK = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        unit = next(u for u in ("d", "h", "m", "s") if self.seconds % _UNITS[u] == 0)
        return f"{self.count}/{self.seconds // _UNITS[unit]}{unit}"


# What one client address may do, per window: look up codes that turn out not to exist (successful lookups are not
# counted), open rooms, restore archives, open sockets.
DEFAULTS: Mapping[str, Rate] = {
    "lookups": Rate(30, 60),
    "rooms": Rate(100, 3600),
    "restores": Rate(10, 3600),
    "sockets": Rate(600, 60),
}


def parse_rates(text: str) -> dict[str, Rate]:
    """ "lookups=30/1m, rooms=100/1h": the limits named, the defaults for the others; ValueError if not so."""
    rates = dict(DEFAULTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = re.fullmatch(r"(\w+)\s*=\s*(\d+)\s*/\s*(\d*)\s*([smhd])", part)
        if not match or match[1] not in DEFAULTS:
            raise ValueError(f"not a limit: {part!r} (use e.g. lookups=30/1m with one of {', '.join(DEFAULTS)})")
        seconds = int(match[3] or 1) * _UNITS[match[4]]
        if int(match[2]) < 1 or seconds < 1:
            raise ValueError(f"not a limit: {part!r} (at least one per second or more)")
        rates[match[1]] = Rate(int(match[2]), seconds)
    return rates


class Limiter:
    def __init__(self, redis: Client, rates: Mapping[str, Rate], secret: str) -> None:
        self.redis = redis
        self.rates = rates
        self._secret = secret.encode()
        self._take = redis.register_script(_TAKE)
        self._give_back = redis.register_script(_GIVE_BACK)

    def _key(self, name: str, client: str) -> str:
        tag = hmac.new(self._secret, client.encode(), hashlib.sha256).hexdigest()[:20]
        return f"workshop:limit:{{{tag}}}:{name}"

    async def take(self, name: str, client: str) -> int:
        """Count one for this client: 0 if it is within its limit, else the seconds until its window ends."""
        rate = self.rates[name]
        count, left_ms = await self._take(keys=[self._key(name, client)], args=[rate.seconds * 1000])
        return 0 if int(count) <= rate.count else max(1, math.ceil(int(left_ms) / 1000))

    async def give_back(self, name: str, client: str) -> None:
        await self._give_back(keys=[self._key(name, client)])
