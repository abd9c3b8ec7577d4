"""How fast does a room update reach the screens? Phones and a projector on real sockets, one app process.

    python -m bench.latency [--phones 200] [--redis-url redis://127.0.0.1:6379/0]

Measures (1) vote → the projector shows the new count, phones voting one after another; (2) reveal → every phone
has the chart; (3) a burst: every phone votes at once → all acknowledged, and the projector shows "N von N".
Every socket is drained all the time by its own task (a real phone reads every frame), and frames are checked as
raw text, so the figures are the server's, not this client's HTML parsing.
Without --redis-url it starts `workshop serve` with its embedded Redis in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import websockets

from tests.clients import Facilitator, Participant, Person, start_server


class Screen:
    """A socket drained by a task; `wait(pattern)` returns when a frame matching it has arrived."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self.frames: list[tuple[float, str]] = []
        self.arrived = asyncio.Condition()
        self.task = asyncio.create_task(self._drain())

    @classmethod
    async def open(cls, person: Person, view: str) -> Screen:
        url = person.base.replace("http://", "ws://") + f"/r/{person.code}/ws?view={view}"
        ws = await websockets.connect(url, additional_headers={"Cookie": person.cookie_header(), "Origin": person.base})
        return cls(ws)

    async def _drain(self) -> None:
        async for frame in self.ws:
            async with self.arrived:
                self.frames.append((time.perf_counter(), str(frame)))
                self.arrived.notify_all()

    async def wait(self, pattern: str, since: float, timeout: float = 60) -> float:
        """Seconds from `since` to the first frame after it that matches."""
        regex = re.compile(pattern)
        async with asyncio.timeout(timeout), self.arrived:
            while True:
                for at, frame in self.frames:
                    if at >= since and regex.search(frame):
                        return at - since
                await self.arrived.wait()


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"n={len(ms)}  median {statistics.median(ms):.0f} ms  p95 {p95:.0f} ms  max {ms[-1]:.0f} ms"


async def run(base: str, phones: int) -> None:
    async with Facilitator.open(base, "Lasttest") as fac:
        t0 = time.perf_counter()
        projector = await Screen.open(fac, "projector")
        people = [await Participant.join(base, fac.code, f"P{n}") for n in range(phones)]
        screens = [await Screen.open(p, "participant") for p in people]
        await projector.wait(rf"<strong>{phones}</strong> Personen", t0)

        t0 = time.perf_counter()
        item = await fac.add_item("Sequenziell")
        await asyncio.gather(*[s.wait("Sequenziell", t0) for s in screens])
        one_by_one = []
        for n, person in enumerate(people, start=1):
            started = time.perf_counter()
            await person.vote(item, 1, "8")
            one_by_one.append(await projector.wait(rf"<strong>{n}</strong> von {phones}", started))
        print(f"vote -> projector count, one after another : {summary(one_by_one)}")

        started = time.perf_counter()
        await fac.reveal(item, 1)
        revealed = await asyncio.gather(*[s.wait('class="chart"', started) for s in screens])
        print(f"reveal -> chart on every phone              : {summary(revealed)}")

        for person in people:  # connections idle past the server's keep-alive are gone; browsers retry, httpx not
            old = person.http
            person.http = httpx.AsyncClient(base_url=base, cookies=old.cookies, timeout=60)
            await old.aclose()
        started = time.perf_counter()
        item = await fac.add_item("Alle auf einmal")
        await projector.wait("Alle auf einmal", started)
        started = time.perf_counter()
        await asyncio.gather(*[p.vote(item, 1, "13") for p in people])
        acknowledged = time.perf_counter() - started
        complete = await projector.wait(rf"<strong>{phones}</strong> von {phones}", started)
        print(
            f"burst of {phones} votes at once              : all acknowledged after {acknowledged * 1000:.0f} ms, "
            f"projector shows {phones} von {phones} after {complete * 1000:.0f} ms"
        )
        for screen in (projector, *screens):
            await screen.ws.close()
        for person in people:
            await person.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, start_server(Path(data), redis_url=args.redis_url) as server:
        asyncio.run(run(server.url, args.phones))


if __name__ == "__main__":
    main()
