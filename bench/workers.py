"""Client processes that hold a share of a room's screens (--client-procs K: this process and K-1 workers).

Screen i of a room lives in process i % K (the projector, 0, always here). A worker drains its sockets like this
process does (a task per socket) and reports, per room, only when its share changes as a whole: the lowest
progress of its screens and the headcount if they all show the same one, with the perf_counter time of the frame
that made the change (the same clock in every process). Here a `RemotePart` stands for that share in the room's
Tracker, so a vote is on every screen when every local screen and every share has reached it.

Commands go over a multiprocessing pipe: open (screens, optionally waiting for each one's first frame), send (a
message over one of its sockets: the relay's votes), close.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import multiprocessing.connection
import time
from typing import Any

from .screens import Aggregate, Screen, Tracker

Spec = tuple[int, str, dict[str, str]]  # index, URL, headers


class Share:
    """A worker's screens of one room, reported as one."""

    def __init__(self, room: int, send: Any) -> None:
        self.room = room
        self.send = send
        self.screens: dict[int, Screen] = {}
        self.aggregate = Aggregate()
        self.reported: tuple[int, int] | None = None
        self.closed_unexpectedly = 0

    def changed(self, screen: Screen, old_progress: int, old_connected: int, now: float) -> None:
        self.aggregate.move(old_progress, screen.progress, old_connected, screen.connected)
        self.report(now)

    def report(self, now: float) -> None:
        value = self.aggregate.value()
        if value != self.reported:
            self.reported = value
            self.send(("agg", self.room, now, *value))


async def _serve(conn: multiprocessing.connection.Connection) -> None:
    loop = asyncio.get_running_loop()
    shares: dict[int, Share] = {}
    stop: asyncio.Future[None] = loop.create_future()
    tasks: set[asyncio.Task[None]] = set()

    def send(message: tuple[Any, ...]) -> None:
        conn.send(message)

    async def handle(message: tuple[Any, ...]) -> None:
        kind, request, room, *rest = message
        try:
            result = await run(kind, room, *rest)
            send(("reply", request, result, None))
        except Exception as error:
            send(("reply", request, None, f"{type(error).__name__}: {error}"))

    async def run(kind: str, room: int, *rest: Any) -> Any:
        if kind == "open":
            specs, limit, wait_first = rest
            share = shares.get(room) or shares.setdefault(room, Share(room, send))
            for _ in specs:
                share.aggregate.add()
            share.report(time.perf_counter())
            semaphore = asyncio.Semaphore(limit) if limit else None

            async def one(index: int, url: str, headers: dict[str, str]) -> float | str | None:
                try:
                    async with semaphore or contextlib.nullcontext():
                        screen = await Screen.open(url, headers, share, index)
                    share.screens[index] = screen
                    return await asyncio.wait_for(screen.first_frame, 120) if wait_first else None
                except Exception as error:
                    share.aggregate.remove(-1, -1)
                    return f"{type(error).__name__}: {error}"

            return await asyncio.gather(*(one(*spec) for spec in specs))
        if kind == "send":
            index, text = rest
            sent = time.perf_counter()
            await shares[room].screens[index].ws.send(text)
            return sent
        if kind == "close":
            share = shares.pop(room, None)
            if share is None:
                return 0
            await asyncio.gather(*(s.close() for s in share.screens.values()), return_exceptions=True)
            return share.closed_unexpectedly
        raise ValueError(kind)

    def readable() -> None:
        while not stop.done() and conn.poll():
            try:
                message = conn.recv()
            except (EOFError, OSError):
                stop.set_result(None)
                return
            if message[0] == "quit":
                stop.set_result(None)
                return
            task = asyncio.create_task(handle(message))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    loop.add_reader(conn.fileno(), readable)
    try:
        await stop
    finally:
        loop.remove_reader(conn.fileno())
        for share in shares.values():
            await asyncio.gather(*(s.close() for s in share.screens.values()), return_exceptions=True)


def worker_main(conn: multiprocessing.connection.Connection, uvloop: bool) -> None:
    from .procs import raise_open_files

    raise_open_files()
    if uvloop:
        with contextlib.suppress(ImportError):
            import uvloop as fast

            fast.run(_serve(conn))
            return
    asyncio.run(_serve(conn))


class RemotePart:
    """A worker's share of a room's screens, as one member of the room's Tracker."""

    def __init__(self, tracker: Tracker, index: int) -> None:
        self.tracker = tracker
        self.index = index  # negative: never the projector, never a screen's index
        self.progress = -1
        self.connected = -1

    def update(self, now: float, progress: int, connected: int) -> None:
        old_progress, old_connected = self.progress, self.connected
        self.progress, self.connected = progress, connected
        self.tracker.changed(self, old_progress, old_connected, now)


class Worker:
    """This process's end of one worker process."""

    _requests = itertools.count()

    def __init__(self, number: int, uvloop: bool) -> None:
        context = multiprocessing.get_context("spawn")  # not fork: this process runs an event loop
        self.number = number
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, uvloop), daemon=True, name=f"bench-{number}")
        self.process.start()
        child.close()
        self.replies: dict[int, asyncio.Future[Any]] = {}
        self.parts: dict[int, RemotePart] = {}

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def attach(self) -> None:
        asyncio.get_running_loop().add_reader(self.conn.fileno(), self._readable)

    def _readable(self) -> None:
        while self.conn.poll():
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                asyncio.get_running_loop().remove_reader(self.conn.fileno())
                for future in self.replies.values():
                    if not future.done():
                        future.set_exception(RuntimeError(f"client worker {self.number} is gone"))
                return
            if message[0] == "agg":
                _, room, now, progress, connected = message
                part = self.parts.get(room)
                if part is not None:
                    part.update(now, progress, connected)
            else:
                _, request, result, error = message
                future = self.replies.pop(request)
                if error is None:
                    future.set_result(result)
                else:
                    future.set_exception(RuntimeError(f"client worker {self.number}: {error}"))

    async def call(self, kind: str, room: int, *args: Any) -> Any:
        request = next(self._requests)
        future = self.replies[request] = asyncio.get_running_loop().create_future()
        self.conn.send((kind, request, room, *args))
        return await future

    def part(self, room: int, tracker: Tracker) -> RemotePart:
        part = self.parts.get(room)
        if part is None:
            part = self.parts[room] = RemotePart(tracker, -self.number)
            tracker.members.append(part)
        return part

    def forget(self, room: int) -> None:
        self.parts.pop(room, None)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            asyncio.get_running_loop().remove_reader(self.conn.fileno())
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(("quit",))
        self.process.join(timeout=15)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        self.conn.close()
