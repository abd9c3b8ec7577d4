"""Reading a kind's keys: one Lua read per activity, all in one round trip, and hashes as Lua returns them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis


async def read_each(redis: aioredis.Redis, script: str, keys: Sequence[str]) -> list[Any]:
    """Run `script` once for each key (its KEYS[1]), pipelined."""
    if not keys:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.eval(script, 1, key)
        return list(await pipe.execute())


def pairs(flat: list[str]) -> dict[str, str]:
    """A hash as HGETALL returns it inside a script (field, value, field, value, …)."""
    return dict(zip(flat[::2], flat[1::2], strict=True))
