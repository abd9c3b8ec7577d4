"""A room with a projector and phones on real sockets, in the app or in the relay, behind one interface.

App: a facilitator opens the room (POST /rooms), phones join (tests.clients.Participant: GET and POST /j/CODE, a
signed cookie), every screen opens ws://…/r/CODE/ws with the cookie and the app's Origin; the facilitator puts an
estimate on stage. A vote is an HTTP POST /r/CODE/vote with the voter's cookie, as htmx sends it (HX-Request,
Origin null, Sec-Fetch-Site same-origin). A round holds one vote per phone; then the facilitator reveals and starts
the next round.

Relay: the same sockets on bench/relay.py; a vote is a message over the voter's own socket; no rounds.

Votes are numbered in the order they are sent: the k-th vote of round r is on a screen once that screen shows
progress r * ROUND + k (see screens.py). Screen i is drained in client process i % K (see workers.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.clients import BROWSER_POST, HX, WAIT, Facilitator, Participant, _like_a_browser

from .screens import ROUND, Member, Screen, Tracker, Waiter
from .workers import RemotePart, Worker

QUESTION = "Wie aufwendig ist das?"
_rooms = itertools.count(1)
# Plain HTTP only; but an httpx client builds a TLS context (loading the CA bundle: ~25 ms of CPU) unless given one,
# and every phone's join is a new client: without this, filling a room of 500 spent ~12 s in the client.
TLS = ssl.create_default_context()


def client(base: str, **options: Any) -> httpx.AsyncClient:
    """A browser's HTTP client as tests.clients.Person makes it, with the shared TLS context."""
    options.setdefault("timeout", WAIT)
    return httpx.AsyncClient(base_url=base, event_hooks={"request": [_like_a_browser]}, verify=TLS, **options)


class Phone(Participant):
    """tests.clients.Participant (join, cookie) on a client with the shared TLS context."""

    def __init__(self, base: str, code: str = "", *, address: str | None = None) -> None:
        self.base, self.code, self.sockets, self.forwarded = base, code, [], {}
        self.http = client(base)


class Host(Facilitator):
    """tests.clients.Facilitator (add_item, reveal, new_round) on a client with the shared TLS context."""

    def __init__(self, base: str, code: str = "", *, address: str | None = None) -> None:
        self.base, self.code, self.sockets, self.forwarded = base, code, [], {}
        self.http = client(base)


@dataclass
class Limits:
    """How many joins (HTTP) and socket handshakes a set-up runs at once (per client process)."""

    http: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(16))
    sockets: int = 64
    local: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(64))


@dataclass
class Vote:
    target: int
    waiter: Waiter
    voter: int
    scheduled: float | None = None  # open-loop runs: when it should have been sent
    sent: float = 0.0
    answered: float | None = None  # the app's HTTP answer
    status: int | None = None
    error: str | None = None

    @property
    def acknowledged(self) -> bool:
        return self.error is None and self.status in (None, 200)


def ws_url(base: str, path: str) -> str:
    return base.replace("http://", "ws://", 1) + path


class LiveRoom:
    """Screens (index 0 the projector, then the phones) and the votes sent into them."""

    capacity: int  # votes per round
    kind: str

    def __init__(self, base: str, size: int, workers: list[Worker]) -> None:
        self.id = next(_rooms)
        self.base = base
        self.size = size
        self.workers = workers
        self.tracker = Tracker()
        self.specs: list[tuple[str, dict[str, str]]] = []  # each screen's URL and headers, to reconnect
        self.local: dict[int, Screen] = {}
        self.round = 1
        self.in_round = 0
        self.fill: dict[str, float] = {}

    def host(self, index: int) -> Worker | None:
        """The client process that drains screen `index` (None: this one)."""
        share = index % (len(self.workers) + 1)
        return self.workers[share - 1] if share else None

    async def open_screens(
        self, indexes: list[int], limits: Limits | None, *, wait_first: bool = False
    ) -> list[float | None]:
        """Open these screens (self.specs) here and in the workers, all at once up to the limits; with
        wait_first, until each one got its first frame (returns those times)."""
        here = [i for i in indexes if self.host(i) is None]
        there: dict[Worker, list[int]] = {}
        for i in indexes:
            worker = self.host(i)
            if worker is not None:
                there.setdefault(worker, []).append(i)
                worker.part(self.id, self.tracker)

        async def local(index: int) -> float | None:
            url, headers = self.specs[index]
            async with limits.local if limits else contextlib.nullcontext():
                screen = await Screen.open(url, headers, self.tracker, index)
            self.local[index] = screen
            self.tracker.members.append(screen)
            return await asyncio.wait_for(screen.first_frame, 120) if wait_first else None

        async def remote(worker: Worker, chunk: list[int]) -> list[float | None]:
            specs = [(i, *self.specs[i]) for i in chunk]
            results = await worker.call("open", self.id, specs, limits.sockets if limits else None, wait_first)
            errors = [r for r in results if isinstance(r, str)]
            if errors:
                raise RuntimeError(f"{len(errors)} screens did not open in client worker {worker.number}: {errors[0]}")
            return list(results)

        done = await asyncio.gather(*(local(i) for i in here), *(remote(w, chunk) for w, chunk in there.items()))
        times: list[float | None] = list(done[: len(here)])
        for chunk_times in done[len(here) :]:
            times += chunk_times  # type: ignore[operator]
        return times

    async def send_on(self, index: int, text: str) -> float:
        """Send a message over screen `index`'s socket; returns when it was sent."""
        worker = self.host(index)
        if worker is None:
            sent = time.perf_counter()
            await self.local[index].ws.send(text)
            return sent
        return float(await worker.call("send", self.id, index, text))

    async def close_screens(self) -> None:
        async def remote(worker: Worker) -> None:
            self.tracker.closed_unexpectedly += await worker.call("close", self.id)
            part = worker.parts.get(self.id)
            if part is not None:
                part.update(time.perf_counter(), -1, -1)

        await asyncio.gather(
            *(s.close() for s in self.local.values()),
            *(remote(w) for w in self.workers if self.id in w.parts),
            return_exceptions=True,
        )
        self.local.clear()
        self.tracker.members = [m for m in self.tracker.members if isinstance(m, RemotePart)]

    def target(self) -> int:
        """The progress every screen shows once every vote sent so far has arrived."""
        return self.round * ROUND + self.in_round

    def prepare(self) -> Vote:
        """The next vote: by a phone that has not voted in this round."""
        assert self.in_round < self.capacity, "round is full: turn() first"
        self.in_round += 1
        target = self.target()
        return Vote(target, self.tracker.expect(target), voter=(self.in_round - 1) % (self.size - 1))

    async def send(self, vote: Vote) -> None:
        raise NotImplementedError

    async def turn(self, *, settle: bool, timeout: float = 60) -> None:
        """Start a new round (the app: reveal, then vote again); with settle, until every screen shows it."""

    def current(self) -> Callable[[Member], bool]:
        """What a screen shows once it is up to date."""
        target = self.target()
        return lambda s: s.progress >= target

    async def settle(self, timeout: float) -> float:
        return await self.tracker.all_hold(self.current(), timeout)

    async def reconnect_all(self, timeout: float) -> float:
        """Close every socket, then open them all again at once: seconds until every screen is current."""
        await self.close_screens()
        parts = len(self.tracker.members)
        watch = self.tracker.observe(self.current(), need=parts + sum(1 for i in range(self.size) if not self.host(i)))
        started = time.perf_counter()
        await self.open_screens(list(range(self.size)), None)
        return await self.tracker.until(watch, timeout) - started

    async def close(self) -> None:
        await self.close_screens()
        for worker in self.workers:
            worker.forget(self.id)


class AppRoom(LiveRoom):
    kind = "app"

    def __init__(self, base: str, size: int, workers: list[Worker]) -> None:
        super().__init__(base, size, workers)
        # The room's phones vote through a few kept-alive connections, each request with its voter's cookie (one
        # connection per phone would be closed by uvicorn after 5 s idle, and httpx does not retry a vote).
        self.http = client(base, timeout=60, limits=httpx.Limits(max_connections=8, max_keepalive_connections=8))
        self.capacity = size - 1
        self.facilitator: Facilitator | None = None
        self.item = ""
        self.cookies: list[str] = []

    @classmethod
    async def open(
        cls,
        base: str,
        size: int,
        workers: list[Worker],
        limits: Limits,
        *,
        fill: bool = False,
        timeout: float = 120,
    ) -> AppRoom:
        """A room of `size` sockets: the projector and size - 1 phones, an estimate on stage, every screen current.

        With fill: joins and socket opens one after another (each phone also loads the page the join redirects
        to and waits for its first frame), timed in `room.fill`; the estimate is put on stage afterwards."""
        room = cls(base, size, workers)
        fac = room.facilitator = Host(base)
        response = await fac.http.post("/rooms", data={"title": f"Bench {size}"})
        assert response.status_code == 303, response.text
        fac.code = response.headers["location"].split("/r/")[1].split("/")[0]
        origin = {"Origin": base}
        room.specs.append((ws_url(base, f"/r/{fac.code}/ws?view=projector"), {"Cookie": fac.cookie_header(), **origin}))
        phone = ws_url(base, f"/r/{fac.code}/ws?view=participant")
        started = time.perf_counter()
        await room.open_screens([0], None)
        if fill:
            for n in range(1, size):
                person = await Phone.join(base, fac.code, f"P{n}")
                await person.page()
                room.cookies.append(person.cookie_header())
                await person.http.aclose()
                room.specs.append((phone, {"Cookie": room.cookies[-1], **origin}))
                await room.open_screens([n], None, wait_first=True)
            room.fill["one_after_another"] = time.perf_counter() - started
            everyone = await room.tracker.all_hold(lambda s: s.connected == size - 1, timeout)
            room.fill["every_screen_current"] = everyone - started
        else:

            async def join(n: int) -> str:
                async with limits.http:
                    person = await Phone.join(base, fac.code, f"P{n}")
                    await person.http.aclose()
                    return person.cookie_header()

            room.cookies = list(await asyncio.gather(*(join(n) for n in range(1, size))))
            room.specs += [(phone, {"Cookie": cookie, **origin}) for cookie in room.cookies]
            await room.open_screens(list(range(1, size)), limits)
        room.item = await fac.add_item(QUESTION)
        await room.settle(timeout)
        return room

    def current(self) -> Callable[[Member], bool]:
        target, people = self.target(), self.size - 1
        return lambda s: s.progress >= target and s.connected == people

    async def send(self, vote: Vote) -> None:
        data = {"item": self.item, "round": str(self.round), "card": "5", "reason": ""}
        headers = {"Cookie": self.cookies[vote.voter], **HX, **BROWSER_POST}  # as tests.clients.Person.post
        assert self.facilitator
        vote.sent = time.perf_counter()
        try:
            response = await self.http.post(f"/r/{self.facilitator.code}/vote", data=data, headers=headers)
            vote.status = response.status_code
        except httpx.HTTPError as error:
            vote.error = f"{type(error).__name__}: {error}"
        vote.answered = time.perf_counter()

    async def turn(self, *, settle: bool, timeout: float = 60) -> None:
        fac = self.facilitator
        assert fac
        for response in (await fac.reveal(self.item, self.round), await fac.new_round(self.item, self.round)):
            assert response.status_code == 200, response.text
        self.round += 1
        self.in_round = 0
        if settle:
            await self.tracker.all_reach(self.target(), timeout)

    async def close(self) -> None:
        await super().close()
        await self.http.aclose()
        if self.facilitator:
            await self.facilitator.close()


class RelayRoom(LiveRoom):
    kind = "relay"
    capacity = 10**8  # no rounds

    @classmethod
    async def open(
        cls, base: str, size: int, workers: list[Worker], limits: Limits, *, fill: bool = False, timeout: float = 120
    ) -> RelayRoom:
        room = cls(base, size, workers)
        room.specs = [(ws_url(base, f"/r/room{room.id}/ws"), {})] * size
        started = time.perf_counter()
        await room.open_screens([0], None)
        if fill:
            for n in range(1, size):
                await room.open_screens([n], None, wait_first=True)
            room.fill["one_after_another"] = room.fill["every_screen_current"] = time.perf_counter() - started
        else:
            await room.open_screens(list(range(1, size)), limits)
        await room.settle(timeout)
        return room

    async def send(self, vote: Vote) -> None:
        try:
            vote.sent = await self.send_on(1 + vote.voter, "vote")
        except Exception as error:  # a closed socket: the vote is lost
            vote.error = f"{type(error).__name__}: {error}"
