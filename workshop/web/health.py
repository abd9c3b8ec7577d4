"""Health for operators: /healthz (the process lives) and /readyz (it can serve rooms: Redis answers and the fan-out
subscription is up). Both are fast, need no cookie and say nothing about any room."""

from __future__ import annotations

import asyncio

import redis
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import __version__
from ..hub import Hub
from .requests import store

PING_SECONDS = 1.0  # a readiness probe answers within this, whatever the Redis client's own retries


async def healthz(request: Request) -> Response:
    """Alive: answers as long as the process serves HTTP, whatever Redis does (a restart would not help)."""
    return JSONResponse({"status": "ok", "version": __version__}, headers={"Cache-Control": "no-store"})


async def readyz(request: Request) -> Response:
    """Ready for traffic: Redis answers a PING and this process hears room changes (a proxy or an orchestrator
    sends no one here while it does not)."""
    hub: Hub = request.app.state.hub
    try:
        async with asyncio.timeout(PING_SECONDS):
            redis_ok = bool(await store(request).redis.ping())
    except (redis.RedisError, OSError, TimeoutError):
        redis_ok = False
    ready = redis_ok and hub.subscribed
    body = {"status": "ready" if ready else "not ready", "redis": redis_ok, "subscription": hub.subscribed}
    return JSONResponse(body, status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})
