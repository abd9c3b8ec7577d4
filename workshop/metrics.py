"""Prometheus metrics, opt-in (WORKSHOP_METRICS=true): served at /metrics by each process about itself.

What is counted never names a room, a person or a text: command names are the app's own route paths, views are
the four kinds of screen, outcomes three classes. Room codes are used only in memory, to tie a socket's push to the
change it shows, and never become a label.

- workshop_active_rooms: rooms with at least one open socket on this process
- workshop_open_sockets{view}: open room sockets by view (projector, facilitator, participant, observer)
- workshop_commands_total{command,outcome} and workshop_command_duration_seconds{command}: POSTs that change
  something (votes, cards, rooms, joins …), outcome ok / 4xx / 5xx
- workshop_command_push_seconds: a command arriving → a socket of its room on this process sent the result (the
  "vote → projector" time, when both are on this process)
- workshop_fanout_lag_seconds: this process hearing a room's change from Redis → a socket of the room sent it
- workshop_redis_errors_total{where}: requests answered 503 for Redis, and losses of the fan-out subscription
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .domain import codes

VIEWS = ("projector", "facilitator", "participant", "observer")
LATENCY = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0)
_NAMED = {"/rooms": "create-room", "/restore": "restore-room", "/j/{code}": "join"}


def command_name(route_path: str) -> str:
    """A command's name from its route's path template (never from the request's own path)."""
    return _NAMED.get(route_path, route_path.removeprefix("/r/{code}/").strip("/"))


def outcome(status: int) -> str:
    return "5xx" if status >= 500 else "4xx" if status >= 400 else "ok"


@dataclass
class _Room:
    sockets: int = 0
    heard: int = 0  # how many changes this process heard while the room had sockets here
    heard_at: float = 0.0
    commands: list[float] = field(default_factory=list)  # arrivals of commands whose change is not heard yet
    caused: tuple[int, float] = (0, 0.0)  # (the change, when the command that made it arrived)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._rooms: dict[str, _Room] = {}
        Gauge(
            "workshop_active_rooms", "Rooms with an open socket on this process", registry=self.registry
        ).set_function(lambda: len(self._rooms))
        self.sockets = Gauge("workshop_open_sockets", "Open room sockets by view", ["view"], registry=self.registry)
        for view in VIEWS:
            self.sockets.labels(view)
        self.commands = Counter(
            "workshop_commands", "Commands by name and outcome", ["command", "outcome"], registry=self.registry
        )
        self.command_seconds = Histogram(
            "workshop_command_duration_seconds", "Time to answer a command", ["command"], buckets=LATENCY,
            registry=self.registry,
        )  # fmt: skip
        self.command_push = Histogram(
            "workshop_command_push_seconds",
            "A command arriving until a socket of its room on this process is sent the result",
            buckets=LATENCY,
            registry=self.registry,
        )
        self.fanout_lag = Histogram(
            "workshop_fanout_lag_seconds",
            "This process hearing a room's change until a socket of the room is sent it",
            buckets=LATENCY,
            registry=self.registry,
        )
        self.redis_errors = Counter(
            "workshop_redis_errors",
            "Redis failures: 503 answers, lost subscriptions",
            ["where"],
            registry=self.registry,
        )
        for where in ("request", "subscription"):
            self.redis_errors.labels(where)

    # -- hooks ------------------------------------------------------------------------------------------------

    def heard(self, code: str) -> None:
        """The hub heard that room `code` changed."""
        room = self._rooms.get(code)
        if room is None:
            return
        room.heard += 1
        room.heard_at = time.monotonic()
        if room.commands:
            room.caused = (room.heard, room.commands.pop(0))

    def subscription_lost(self) -> None:
        self.redis_error("subscription")

    def redis_error(self, where: str) -> None:
        self.redis_errors.labels(where).inc()

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

    # -- what the middleware sees -------------------------------------------------------------------------------

    def command_arrived(self, code: str | None) -> float:
        arrived = time.monotonic()
        room = self._rooms.get(code or "")
        if room is not None:
            room.commands = [*room.commands[-99:], arrived]  # bounded, should changes go unheard
        return arrived

    def command_done(self, code: str | None, name: str, status: int, arrived: float) -> None:
        self.commands.labels(name, outcome(status)).inc()
        self.command_seconds.labels(name).observe(time.monotonic() - arrived)
        room = self._rooms.get(code or "")
        if status >= 300 and room is not None and arrived in room.commands:  # it changed nothing
            room.commands.remove(arrived)

    def socket_opened(self, code: str, view: str) -> int:
        room = self._rooms.setdefault(code, _Room())
        room.sockets += 1
        self.sockets.labels(view).inc()
        return room.heard

    def socket_sent(self, code: str, seen: int) -> int:
        """A socket of the room was sent something; it had seen the room's change number `seen`."""
        room = self._rooms.get(code)
        if room is None or room.heard <= seen:
            return seen
        now = time.monotonic()
        self.fanout_lag.observe(now - room.heard_at)
        change, arrived = room.caused
        if change == room.heard:
            self.command_push.observe(now - arrived)
        return room.heard

    def socket_closed(self, code: str, view: str) -> None:
        self.sockets.labels(view).dec()
        room = self._rooms.get(code)
        if room is not None:
            room.sockets -= 1
            if room.sockets <= 0:
                del self._rooms[code]


def _room_code(path: str) -> str | None:
    parts = path.split("/")
    return codes.normalize(parts[2]) if len(parts) > 2 and parts[1] in ("r", "j") else None


class MetricsMiddleware:
    """Counts commands (POSTs, by their route) and room sockets, and times pushes; passes everything through."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            await self._command(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._socket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _command(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = _room_code(scope["path"])
        arrived = self.metrics.command_arrived(code)
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            if route is not None:  # a request refused before routing (a cross-site post) is no command
                self.metrics.command_done(code, command_name(getattr(route, "path", "")), status, arrived)

    async def _socket(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = _room_code(scope["path"])
        view = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("view", [""])[0]
        view = view if view in VIEWS else "other"
        opened, seen = False, 0

        async def sending(message: Message) -> None:
            nonlocal opened, seen
            await send(message)
            if code is None:
                return
            if message["type"] == "websocket.accept":
                opened, seen = True, self.metrics.socket_opened(code, view)
            elif message["type"] == "websocket.send" and opened:
                seen = self.metrics.socket_sent(code, seen)

        try:
            await self.app(scope, receive, sending)
        finally:
            if opened and code is not None:
                self.metrics.socket_closed(code, view)
