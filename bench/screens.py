"""Screens that read every frame, and the bookkeeping that says when every screen of a room shows something.

A screen is one WebSocket drained by its own task, as a browser reads every frame. Frames are checked as raw text:
the stage's progress line ``<strong>k</strong> von N`` and its eyebrow ``Runde r`` give a number that only grows
while people vote (`progress`), and the headcount ``n verbunden`` says how many people the screen shows as
connected. The relay (bench/relay.py) sends frames with the same progress line, so one parser serves both.

A room's `Tracker` watches members: its screens in this process, and, when client processes share the load
(bench/workers.py), one `Share` per other process standing for that process's screens of the room (its progress
is the lowest of theirs, reported with the time the last of them got there). Times are `time.perf_counter()`
(CLOCK_MONOTONIC on Linux: the same clock in every process of the machine), taken when the frame was read.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol

import websockets
from websockets.exceptions import ConnectionClosed

ROUND = 10**9  # progress units per round: round r with k votes is r * ROUND + k, revealed is (r + 1) * ROUND - 1
_COUNT = re.compile(r'class="progress-text"><strong>(\d+)</strong>')
_ROUND = re.compile(r'class="eyebrow">[^<]*?Runde (\d+)')
_ONLINE = re.compile(r"(\d+) verbunden")


def progress_of(frame: str, last_round: int = 1) -> tuple[int, int | None]:
    """The round and how far the stage in this frame is (None: the frame does not show it, nothing changed there).

    The round comes from the stage's eyebrow ("… · Runde 2"; none: round 1); a frame with the progress line but
    without the eyebrow (should the app one day send only what changed) keeps the round seen last."""
    start = frame.find('<section id="stage"')
    number = last_round
    eyebrow = frame.find('class="eyebrow"')
    if eyebrow >= 0:
        round_ = _ROUND.search(frame, eyebrow, eyebrow + 400)
        number = int(round_[1]) if round_ else 1
    count = _COUNT.search(frame)
    if count:
        return number, number * ROUND + int(count[1])
    if 'class="chart"' in frame:
        return number, (number + 1) * ROUND - 1
    if start >= 0:
        return number, 0  # a stage without an estimate (the waiting screen)
    return number, None


def connected_of(frame: str) -> int | None:
    start = frame.find('<p id="headcount"')
    if start < 0:
        return None
    end = frame.find("</p>", start)
    found = _ONLINE.search(frame, start, end if end > 0 else len(frame))
    return int(found[1]) if found else 0


class Member(Protocol):
    index: int  # 0: the projector
    progress: int  # -1 until a stage arrived
    connected: int  # people shown as connected; -1 unknown (or, for a Share, not the same on all its screens)


class Listener(Protocol):
    def changed(self, member: Screen, old_progress: int, old_connected: int, now: float) -> None: ...


class Waiter:
    """Resolves when every member has reached `target`; records when the first, the projector and the last did."""

    __slots__ = ("target", "need", "hit_by", "first", "projector", "last", "done")

    def __init__(self, target: int, need: int) -> None:
        self.target = target
        self.need = need
        self.hit_by: set[int] = set()
        self.first: float | None = None
        self.projector: float | None = None
        self.last: float | None = None
        self.done: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    @property
    def reached(self) -> int:
        return len(self.hit_by)

    def hit(self, index: int, now: float) -> bool:
        if index in self.hit_by:
            return False
        self.hit_by.add(index)
        self.first = now if self.first is None else min(self.first, now)
        self.last = now if self.last is None else max(self.last, now)
        if index == 0:
            self.projector = now
        if len(self.hit_by) >= self.need:
            if not self.done.done():
                self.done.set_result(self.last)
            return True
        return False


class Watch:
    """Resolves once `check(member)` holds for `need` members at once; the time is when the last one got there."""

    def __init__(self, need: int, check: Callable[[Member], bool]) -> None:
        self.check = check
        self.need = need
        self.good: dict[int, float] = {}
        self.done: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def update(self, member: Member, now: float) -> None:
        if self.check(member):
            self.good.setdefault(member.index, now)
            if len(self.good) >= self.need and not self.done.done():
                self.done.set_result(max(self.good.values()))
        else:
            self.good.pop(member.index, None)


class Tracker:
    """The members of one room: who has reached which progress, and watches over all of them."""

    def __init__(self) -> None:
        self.members: list[Member] = []
        self.pending: dict[int, Waiter] = {}
        self.watch: Watch | None = None
        self.closed_unexpectedly = 0

    def expect(self, target: int) -> Waiter:
        """A waiter for `target`; register it before the action that should lead there."""
        waiter = self.pending.get(target)
        if waiter is None:
            waiter = Waiter(target, len(self.members))
            now = time.perf_counter()
            for member in self.members:
                if member.progress >= target:
                    waiter.hit(member.index, now)
            if not waiter.done.done():
                self.pending[target] = waiter
        return waiter

    def changed(self, member: Member, old_progress: int, old_connected: int, now: float) -> None:
        new = member.progress
        if new > old_progress and self.pending:
            finished = [t for t, w in self.pending.items() if old_progress < t <= new and w.hit(member.index, now)]
            for target in finished:
                del self.pending[target]
        if self.watch is not None:
            self.watch.update(member, now)

    def observe(self, check: Callable[[Member], bool], need: int | None = None) -> Watch:
        """Watch every member (or `need` of them, for members still arriving) for `check`."""
        watch = self.watch = Watch(len(self.members) if need is None else need, check)
        now = time.perf_counter()
        for member in self.members:
            watch.update(member, now)
        return watch

    async def all_reach(self, target: int, timeout: float) -> float:
        """Wait until every member shows `target`; returns when the last one did."""
        return await asyncio.wait_for(asyncio.shield(self.expect(target).done), timeout)

    async def until(self, watch: Watch, timeout: float) -> float:
        try:
            return await asyncio.wait_for(asyncio.shield(watch.done), timeout)
        finally:
            if self.watch is watch:
                self.watch = None

    async def all_hold(self, check: Callable[[Member], bool], timeout: float) -> float:
        return await self.until(self.observe(check), timeout)


class Screen:
    """One socket, drained by its own task; tells its listener (a Tracker, or a worker's Share) what changed."""

    __slots__ = (
        "ws",
        "listener",
        "index",
        "round",
        "progress",
        "connected",
        "frames",
        "first_frame",
        "closing",
        "task",
    )

    def __init__(self, ws: websockets.ClientConnection, listener: Listener, index: int) -> None:
        self.ws = ws
        self.listener = listener
        self.index = index
        self.round = 1
        self.progress = -1
        self.connected = -1
        self.frames = 0
        self.first_frame: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.closing = False
        self.task = asyncio.create_task(self._drain())

    @classmethod
    async def open(cls, url: str, headers: dict[str, str], listener: Listener, index: int) -> Screen:
        ws = await websockets.connect(
            url,
            additional_headers=headers,
            compression=None,
            ping_interval=None,  # a browser does not ping; the servers do, and pongs are answered anyway
            max_size=2**24,
            open_timeout=120,
            close_timeout=10,
        )
        return cls(ws, listener, index)

    async def _drain(self) -> None:
        try:
            async for message in self.ws:
                now = time.perf_counter()
                frame = message if isinstance(message, str) else message.decode()
                self.frames += 1
                if not self.first_frame.done():
                    self.first_frame.set_result(now)
                old_progress, old_connected = self.progress, self.connected
                connected = connected_of(frame)
                if connected is not None:
                    self.connected = connected
                self.round, progress = progress_of(frame, self.round)
                if progress is not None and progress > self.progress:
                    self.progress = progress
                if self.progress != old_progress or self.connected != old_connected or self.frames == 1:
                    self.listener.changed(self, old_progress, old_connected, now)
        except ConnectionClosed:
            pass
        finally:
            if not self.closing:
                closed = getattr(self.listener, "closed_unexpectedly", None)
                if closed is not None:
                    self.listener.closed_unexpectedly = closed + 1  # type: ignore[attr-defined]

    async def close(self) -> None:
        self.closing = True
        await self.ws.close()
        await self.task


class Aggregate:
    """Many screens seen as one member: the lowest progress, and the headcount if all show the same one."""

    def __init__(self) -> None:
        self.progress_counts: Counter[int] = Counter()
        self.connected_counts: Counter[int] = Counter()

    def add(self, progress: int = -1, connected: int = -1) -> None:
        self.progress_counts[progress] += 1
        self.connected_counts[connected] += 1

    def move(self, old_progress: int, new_progress: int, old_connected: int, new_connected: int) -> None:
        for counts, old, new in (
            (self.progress_counts, old_progress, new_progress),
            (self.connected_counts, old_connected, new_connected),
        ):
            if old != new:
                counts[old] -= 1
                if counts[old] <= 0:
                    del counts[old]
                counts[new] += 1

    def remove(self, progress: int, connected: int) -> None:
        for counts, value in ((self.progress_counts, progress), (self.connected_counts, connected)):
            counts[value] -= 1
            if counts[value] <= 0:
                del counts[value]

    def value(self) -> tuple[int, int]:
        progress = min(self.progress_counts) if self.progress_counts else -1
        connected = next(iter(self.connected_counts)) if len(self.connected_counts) == 1 else -1
        return progress, connected
