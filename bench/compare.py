"""The app next to a bare relay (the floor), measured in one run with the same client code.

    python -m bench.compare [--only latency,sustained,rooms,fill,redis,memory] [--sizes 10,50,200,500] [--embedded]

Starts `workshop serve` as a real process (tests.clients.start_server) on a redis-server of its own (a free
loopback port, no persistence: its INFO counts only the app), or with --embedded on the app's embedded Redis; and
bench/relay.py, a minimal `websockets` relay, as the floor. Both get the same clients: a projector and phones on real
sockets, each drained all the time by its own task, frames checked as raw text, times from time.perf_counter().
Prints every figure of the app with the floor's and the ratio, writes JSON (--out) and Markdown (--markdown).
See bench/README.md for what each figure means and the caveats.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import gc
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from . import procs
from .report import latency_ms, markdown
from .rooms import AppRoom, Host, Limits, LiveRoom, RelayRoom, Vote
from .screens import Screen, Tracker
from .workers import Worker

PARTS = ("latency", "sustained", "rooms", "fill", "redis", "memory")
RATES = "25,50,75,100,150,200,300,400,600,800,1000,1200,1600,2000,2400,3200,4000"
HERE = Path(__file__).resolve().parent


SYSTEMS = ("relay", "app", "cluster")


def ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n")[0])
    p.add_argument("--only", default=",".join(PARTS), help=f"parts to run, comma-separated: {','.join(PARTS)}")
    p.add_argument(
        "--systems",
        default="relay,app",
        help="relay,app,cluster (default relay,app; one alone gives no ratios; cluster: the app on a Redis Cluster "
        "of three primaries of our own)",
    )
    p.add_argument("--embedded", action="store_true", help="the app on its embedded Redis instead of our own")
    p.add_argument("--redis-server", help="redis-server binary for our own Redis (default: the one on PATH)")
    p.add_argument("--no-uvloop", action="store_true", help="plain asyncio in the client and the relay")
    p.add_argument("--timeout", type=float, default=30, help="seconds a vote may take to reach every screen")
    p.add_argument(
        "--client-procs",
        type=int,
        default=1,
        help="client processes that drain the screens (screen i in process i %% K; see README)",
    )
    g = p.add_argument_group("latency and redis: votes one after another")
    g.add_argument("--sizes", type=ints, default=[10, 50, 200, 500], help="N: sockets per room (N-1 phones)")
    g.add_argument("--samples", type=int, default=150, help="measured votes per N")
    g.add_argument("--warmup", type=int, default=10, help="votes before measuring, per N")
    g.add_argument("--redis-votes", type=int, default=50, help="votes with INFO around each, per N (≤ N-1)")
    g = p.add_argument_group("sustained: open-loop ladder into one room")
    g.add_argument("--sustained-size", type=int, default=50)
    g.add_argument("--rates", type=floats, default=floats(RATES), help="offered votes/s, rung by rung")
    g.add_argument("--rung-seconds", type=float, default=3.0)
    g.add_argument("--p99-ms", type=float, default=100.0, help="a rung passes with p99 at most this, none lost")
    g.add_argument("--ladder-fails", type=int, default=2, help="stop after this many failed rungs in a row")
    g = p.add_argument_group("rooms: many rooms at once, closed loop")
    g.add_argument("--rooms", type=int, default=100)
    g.add_argument("--room-size", type=int, default=20)
    g.add_argument("--rooms-seconds", type=float, default=10.0)
    g.add_argument("--app-procs", type=int, default=1, help="app processes on the one Redis (rooms spread over them)")
    g = p.add_argument_group("fill: one room filled one after another, then every socket reconnecting at once")
    g.add_argument("--fill-size", type=int, default=500)
    g = p.add_argument_group("memory: idle sockets, fresh processes")
    g.add_argument("--memory-levels", type=ints, default=[0, 2000, 10000])
    g.add_argument("--memory-room-size", type=int, default=50)
    g.add_argument("--memory-view", choices=("participant", "projector"), default="participant")
    g.add_argument("--memory-settle", type=float, default=3.0, help="seconds idle before reading RSS")
    g = p.add_argument_group("output")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    g.add_argument("--out", type=Path, default=HERE / "results" / f"{stamp}.json")
    g.add_argument("--markdown", type=Path, help="also write the Markdown table to this file")
    args = p.parse_args(argv)
    args.only = [x for x in args.only.split(",") if x]
    args.systems = [x for x in args.systems.split(",") if x]
    unknown = [x for x in args.only if x not in PARTS] + [x for x in args.systems if x not in SYSTEMS]
    if unknown:
        p.error(f"unknown: {', '.join(unknown)}")
    if args.embedded and "cluster" in args.systems:
        p.error("--embedded and the cluster exclude each other")
    if args.app_procs > 1 and args.embedded:
        p.error("--app-procs > 1 needs our own Redis (not --embedded)")
    if 0 not in args.memory_levels:
        args.memory_levels = [0, *args.memory_levels]
    args.memory_levels = sorted(set(args.memory_levels))
    return args


class ClientLoad:
    """How busy the processes were during a measurement: the share of one core each client process (this one and
    the workers) and each server process used, and this process's event-loop lag."""

    def __init__(self, clients: dict[str, int], servers: dict[str, int]) -> None:
        self.clients = clients
        self.servers = servers
        self.lags: list[float] = []

    async def __aenter__(self) -> ClientLoad:
        self.before = {name: procs.cpu_seconds(pid) for name, pid in {**self.clients, **self.servers}.items()}
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        self.task = asyncio.create_task(self._lag())
        return self

    async def _lag(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.lags.append(max(0.0, time.perf_counter() - before - 0.01))

    async def __aexit__(self, *exc: object) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        wall = time.perf_counter() - self.wall

        def share(name: str, pid: int) -> float | None:
            before, after = self.before.get(name), procs.cpu_seconds(pid)
            return round((after - before) / wall, 3) if before is not None and after is not None and wall else None

        lags = sorted(self.lags) or [0.0]
        self.result = {
            "client_cpu": {
                "main": round((time.process_time() - self.cpu) / wall, 3) if wall else None,
                **{name: share(name, pid) for name, pid in self.clients.items()},
            },
            "server_cpu": {name: share(name, pid) for name, pid in self.servers.items()},
            "loop_lag_p99_ms": round(lags[max(0, math.ceil(0.99 * len(lags)) - 1)] * 1000, 2),
            "loop_lag_max_ms": round(lags[-1] * 1000, 2),
        }


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.results: dict[str, Any] = {}
        self.warnings: list[str] = []
        self.redis: procs.OwnRedis | None = None
        self.cluster: procs.OwnCluster | None = None
        self.workers: list[Worker] = []

    # --- the systems ---------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def app(self, processes: int = 1, *, on_cluster: bool = False) -> Any:
        with procs.app_processes(self.cluster if on_cluster else self.redis, processes) as app:
            yield app

    def start(self, system: str, processes: int = 1) -> Any:
        """The relay, the app on our Redis, or the app on our cluster."""
        return self.relay() if system == "relay" else self.app(processes, on_cluster=system == "cluster")

    @contextlib.contextmanager
    def relay(self) -> Any:
        with procs.relay_process(uvloop=not self.args.no_uvloop) as relay:
            yield relay

    @contextlib.asynccontextmanager
    async def opener(self, system: str, url: str) -> AsyncIterator[Callable[..., Awaitable[LiveRoom]]]:
        """A function that opens a room of N screens in the app at `url`, or in the relay."""
        limits = Limits()
        if system == "relay":

            async def relay_room(size: int, fill: bool = False) -> LiveRoom:
                return await RelayRoom.open(url, size, self.workers, limits, fill=fill)

            yield relay_room
            return

        async def app_room(size: int, fill: bool = False) -> LiveRoom:
            return await AppRoom.open(url, size, self.workers, limits, fill=fill)

        yield app_room

    def load(self, system: str, process: Any) -> ClientLoad:
        """A ClientLoad over our client processes and the system's server processes."""
        clients = {f"worker{w.number}": w.pid for w in self.workers}
        if system == "relay":
            servers = {"relay": process.process.pid}
        else:
            servers = {f"app{n}": pid for n, pid in enumerate(process.pids())}
            if system == "cluster" and self.cluster:
                servers.update({f"redis{n}": pid for n, pid in enumerate(self.cluster.pids)})
            elif redis_pid := self.redis.process.pid if self.redis else process.redis_pid():
                servers["redis"] = redis_pid
        return ClientLoad(clients, servers)

    def client_note(self, part: str, system: str, load: ClientLoad) -> dict[str, Any]:
        """Say so when the client, not the server, may have set the pace."""
        result = load.result
        busy = {name: share for name, share in result["client_cpu"].items() if share and share >= 0.85}
        if busy:
            shares = ", ".join(f"{name} {share:.0%}" for name, share in busy.items())
            self.warnings.append(
                f"{part} ({system}): client process(es) busy ({shares} of a core; loop lag p99 "
                f"{result['loop_lag_p99_ms']} ms): these figures include client time (README, 'Client processes')"
            )
        elif result["loop_lag_p99_ms"] > 50:
            self.warnings.append(
                f"{part} ({system}): the client's event loop lagged (p99 {result['loop_lag_p99_ms']} ms) though on "
                f"average it used {result['client_cpu']['main']:.0%} of a core: other processes had the CPU, or the "
                "client was busy in bursts"
            )
        return result

    def say(self, text: str) -> None:
        print(text, flush=True)

    # --- votes -----------------------------------------------------------------------------------------------

    async def one_by_one(self, room: LiveRoom, count: int, after: Callable[[Vote], Awaitable[None]] | None = None):
        """Votes one after another, each by a phone that has not voted in this round; the next once the last
        screen shows the previous one (a full round: reveal and vote again, until every screen shows it)."""
        votes: list[Vote] = []
        for _ in range(count):
            if room.in_round >= room.capacity:
                await room.turn(settle=True, timeout=self.args.timeout)
            vote = room.prepare()
            await room.send(vote)
            if not vote.acknowledged:
                raise RuntimeError(f"vote not acknowledged: status {vote.status}, {vote.error}")
            try:
                await asyncio.wait_for(asyncio.shield(vote.waiter.done), self.args.timeout)
            except TimeoutError:
                reached = vote.waiter.reached
                raise RuntimeError(
                    f"vote not on every screen after {self.args.timeout} s ({reached}/{room.size})"
                ) from None
            votes.append(vote)
            if after:
                await after(vote)
        return votes

    @staticmethod
    def vote_figures(votes: list[Vote], since: str = "sent") -> dict[str, Any]:
        def start(v: Vote) -> float:
            return v.scheduled if since == "scheduled" and v.scheduled is not None else v.sent

        figures = {
            "every_screen": latency_ms([(v.waiter.last or math.inf) - start(v) for v in votes]),
            "projector": latency_ms([(v.waiter.projector or math.inf) - start(v) for v in votes]),
            "first_screen": latency_ms([(v.waiter.first or math.inf) - start(v) for v in votes]),
        }
        if any(v.answered is not None for v in votes):
            figures["answered"] = latency_ms([(v.answered or math.inf) - start(v) for v in votes])
        return figures

    # --- parts -----------------------------------------------------------------------------------------------

    async def latency_and_redis(self, systems: dict[str, Any]) -> None:
        args = self.args
        latency = self.results.setdefault("latency", {}) if "latency" in args.only else {}
        redis_results = self.results.setdefault("redis", {}) if "redis" in args.only else None
        for size in args.sizes:
            for system, process in systems.items():
                want_redis = redis_results is not None and system == "app"  # INFO of one Redis
                if "latency" not in args.only and not want_redis:
                    continue
                self.say(f"latency: {system}, N = {size} …")
                async with self.opener(system, process.url) as open_room:
                    started = time.perf_counter()
                    room = await open_room(size)
                    setup = time.perf_counter() - started
                    try:
                        if want_redis:  # first: in round 1 of the room's one estimate, the same state for every N
                            assert redis_results is not None
                            redis_results[str(size)] = r = await self.redis_per_vote(room, process)
                            self.say(
                                f"  redis: {r['commands']['median']:g} commands, "
                                f"{r['read_bytes']['median']:,.0f} bytes read per vote"
                            )
                        if "latency" in args.only:
                            await self.one_by_one(room, args.warmup)
                            async with self.load(system, process) as load:
                                votes = await self.one_by_one(room, args.samples)
                            figures = self.vote_figures(votes)
                            figures["setup_seconds"] = round(setup, 2)
                            figures["client"] = self.client_note(f"latency N={size}", system, load)
                            latency.setdefault(str(size), {})[system] = figures
                            e = figures["every_screen"]
                            self.say(f"  every screen: p50 {e['p50']:.1f} p99 {e['p99']:.1f} max {e['max']:.1f} ms")
                    except Exception as error:  # one size failing leaves the others
                        self.warnings.append(f"latency/redis N={size} ({system}): {error}")
                        self.say(f"  failed: {error}")
                    finally:
                        await room.close()

    async def redis_per_vote(self, room: LiveRoom, app: procs.App) -> dict[str, Any]:
        """INFO commandstats and stats around each vote (votes one after another, in the room's first round);
        medians, so the presence heartbeat (every 20 s, one ZADD per connected phone) that falls into one vote
        stays out. The first round: a room load reads every round of the estimate, so later rounds cost more."""
        count = min(self.args.redis_votes, room.capacity)
        per_vote: list[tuple[dict[str, int], int, int]] = []
        async with procs.RedisInfo(app.redis_address) as info:
            before = await info.snapshot()

            async def measure(_vote: Vote) -> None:
                nonlocal before
                after = await info.snapshot()
                per_vote.append(after.since(before))
                before = after

            await self.one_by_one(room, count, measure)
        commands = [sum(calls.values()) for calls, _, _ in per_vote]
        names = sorted({name for calls, _, _ in per_vote for name in calls})

        def spread(values: list[int]) -> dict[str, Any]:
            return {
                "median": statistics.median(values),
                "mean": round(statistics.fmean(values), 1),
                "min": min(values),
                "max": max(values),
            }

        return {
            "votes": len(per_vote),
            "commands": spread(commands),
            "by_command_median": {n: statistics.median([c.get(n, 0) for c, _, _ in per_vote]) for n in names},
            "read_bytes": spread([out for _, out, _ in per_vote]),
            "written_bytes": spread([written for _, _, written in per_vote]),
        }

    async def sustained(self, systems: dict[str, Any]) -> None:
        args = self.args
        results = self.results.setdefault("sustained", {})
        for system, process in systems.items():
            self.say(f"sustained: {system}, one room of {args.sustained_size} …")
            async with self.opener(system, process.url) as open_room:
                room = await open_room(args.sustained_size)
                rungs: list[dict[str, Any]] = []
                best: dict[str, Any] | None = None
                fails = 0
                try:
                    for rate in args.rates:
                        if room.in_round:
                            await room.turn(settle=True, timeout=args.timeout)
                        await asyncio.sleep(0.3)
                        rung = await self.rung(room, rate, self.load(system, process))
                        rungs.append(rung)
                        lat = rung["latency"]
                        self.say(
                            f"  {rate:g}/s: achieved {rung['achieved']:.0f}/s, p99 {lat['p99']:.1f} ms, "
                            f"lost {rung['lost']}{'' if rung['passed'] else '  ✗'}"
                        )
                        if rung["passed"]:
                            best, fails = rung, 0
                        else:
                            fails += 1
                            if fails >= args.ladder_fails:
                                break
                        with contextlib.suppress(TimeoutError):  # let a backlog drain before the next rung
                            await room.settle(args.timeout)
                except Exception as error:
                    self.warnings.append(f"sustained ({system}): {error}")
                    self.say(f"  failed: {error}")
                finally:
                    await room.close()
            results[system] = {
                "best_rate": best["rate"] if best else None,
                "best_achieved": best["achieved"] if best else None,
                "rungs": rungs,
            }

    async def rung(self, room: LiveRoom, rate: float, load: ClientLoad) -> dict[str, Any]:
        """Votes offered at `rate` for rung_seconds (open loop: each is sent when due, whatever is in flight).
        Latency counts from when a vote was due. When a round is full, the schedule waits for its answers, the
        reveal and the new round, then goes on (the app's round changes are part of `achieved`, not `rate`)."""
        args = self.args
        interval, count = 1 / rate, max(1, round(rate * args.rung_seconds))
        votes: list[Vote] = []
        tasks: list[asyncio.Task[None]] = []
        this_round: list[asyncio.Task[None]] = []
        turns, turn_seconds = 0, 0.0
        async with load:
            started = time.perf_counter()
            origin = started
            i = 0
            while i < count:
                if room.in_round >= room.capacity:
                    turn_started = time.perf_counter()
                    await asyncio.gather(*this_round)
                    this_round = []
                    if not all(v.acknowledged for v in votes):
                        break
                    await room.turn(settle=False)
                    turns += 1
                    turn_seconds += time.perf_counter() - turn_started
                    origin += max(0.0, time.perf_counter() - (origin + i * interval))
                    continue
                due = origin + i * interval
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                vote = room.prepare()
                vote.scheduled = due
                votes.append(vote)
                task = asyncio.create_task(room.send(vote))
                tasks.append(task)
                this_round.append(task)
                i += 1
            await asyncio.gather(*tasks)
            pending = [v.waiter.done for v in votes if not v.waiter.done.done()]
            if pending:
                await asyncio.wait(pending, timeout=args.timeout)
            finished = max((v.waiter.last or 0.0 for v in votes), default=started)
        lost = sum(1 for v in votes if not v.acknowledged or v.waiter.last is None)
        figures = self.vote_figures(votes, since="scheduled")
        lag = [(v.sent - v.scheduled) * 1000 for v in votes if v.scheduled is not None]
        passed = lost == 0 and len(votes) == count and figures["every_screen"]["p99"] <= args.p99_ms
        return {
            "rate": rate,
            "votes": len(votes),
            "lost": lost + count - len(votes),
            "passed": passed,
            "achieved": len(votes) / (finished - started) if finished > started else 0.0,
            "turns": turns,
            "turn_seconds": round(turn_seconds, 3),
            "latency": figures["every_screen"],
            "answered": figures.get("answered"),
            "send_lag_ms_p99": round(sorted(lag)[max(0, math.ceil(0.99 * len(lag)) - 1)], 2) if lag else None,
            "client": self.client_note(f"sustained {rate:g}/s", room.kind, load),
        }

    async def rooms(self, systems: dict[str, Any]) -> None:
        """Many rooms at once; with --app-procs K > 1, the app also with K processes on the one Redis."""
        results = self.results.setdefault("rooms", {})
        for system, process in systems.items():
            urls = [s.url for s in process.servers] if system != "relay" else [process.url]
            results[system] = await self.many_rooms(system, urls, self.load(system, process))
        for system in ("app", "cluster"):
            if system in systems and self.args.app_procs > 1:
                with self.start(system, self.args.app_procs) as several:
                    urls = [s.url for s in several.servers]
                    results[f"{system}_processes"] = await self.many_rooms(system, urls, self.load(system, several))

    async def many_rooms(self, system: str, urls: list[str], load: ClientLoad) -> dict[str, Any]:
        """rooms × room_size sockets; in every room at once, votes one after another for rooms_seconds."""
        args = self.args
        self.say(f"rooms: {system}, {args.rooms} rooms of {args.room_size} ({len(urls)} process(es)) …")
        async with contextlib.AsyncExitStack() as stack:
            openers = [await stack.enter_async_context(self.opener(system, url)) for url in urls]
            limit = asyncio.Semaphore(8)

            async def open_one(n: int) -> LiveRoom:
                async with limit:
                    return await openers[n % len(openers)](args.room_size)

            started = time.perf_counter()
            live: list[LiveRoom] = list(await asyncio.gather(*(open_one(n) for n in range(args.rooms))))
            setup = time.perf_counter() - started
            self.say(f"  {len(live)} rooms open after {setup:.1f} s")
            votes: list[Vote] = []
            lost = 0
            end = time.perf_counter() + args.rooms_seconds

            async def run(room: LiveRoom) -> None:
                nonlocal lost
                while time.perf_counter() < end:
                    if room.in_round >= room.capacity:
                        await room.turn(settle=False, timeout=args.timeout)
                    vote = room.prepare()
                    await room.send(vote)
                    try:
                        await asyncio.wait_for(asyncio.shield(vote.waiter.done), args.timeout)
                    except TimeoutError:
                        lost += 1
                        return
                    if not vote.acknowledged:
                        lost += 1
                        return
                    votes.append(vote)

            try:
                async with load:
                    started = time.perf_counter()
                    await asyncio.gather(*(run(room) for room in live))
                    elapsed = time.perf_counter() - started
            finally:
                await asyncio.gather(*(room.close() for room in live), return_exceptions=True)
        figures = self.vote_figures(votes)
        self.say(
            f"  {len(votes) / elapsed:.0f} votes/s, p50 {figures['every_screen']['p50']:.1f} ms, "
            f"p99 {figures['every_screen']['p99']:.1f} ms, lost {lost}"
        )
        return {
            "votes": len(votes),
            "lost": lost,
            "seconds": round(elapsed, 2),
            "votes_per_second": len(votes) / elapsed,
            "setup_seconds": round(setup, 1),
            "processes": len(urls),
            **figures,
            "client": self.client_note("rooms", system, load),
        }

    async def fill(self, systems: dict[str, Any]) -> None:
        args = self.args
        results = self.results.setdefault("fill", {})
        for system, process in systems.items():
            self.say(f"fill: {system}, a room of {args.fill_size} …")
            async with self.opener(system, process.url) as open_room:
                room = await open_room(args.fill_size, fill=True)

                try:
                    result: dict[str, Any] = dict(room.fill)
                    result["peak_rss_kib_filled"] = peak_rss(process)
                    self.say(f"  filled (every screen current) after {result['every_screen_current']:.2f} s")
                    await asyncio.sleep(1)
                    async with self.load(system, process) as load:
                        result["reconnect"] = await room.reconnect_all(max(args.timeout, 120))
                    result["peak_rss_kib_reconnected"] = peak_rss(process)
                    result["client_reconnect"] = self.client_note("reconnect", system, load)
                    self.say(f"  all reconnected and current after {result['reconnect']:.2f} s")
                except Exception as error:
                    self.warnings.append(f"fill ({system}): {error!r}")
                    self.say(f"  failed: {error!r}")
                    result = {**room.fill, "error": repr(error)}
                finally:
                    await room.close()
            results[system] = result

    async def memory(self, system: str, process: Any) -> dict[str, Any]:
        """RSS of a fresh process with 0, 2,000, 10,000 idle sockets, in rooms of memory_room_size: each a projector
        and phones that joined (--memory-view participant, the rooms of the other parts), or projectors only
        (--memory-view projector: no joins, much quicker to open, and cheaper for the app)."""
        args = self.args
        pids = process.pids()
        await asyncio.sleep(args.memory_settle)
        base = sum(procs.rss_kib(p) or 0 for p in pids)
        redis_pid = process.redis_pid() if system == "app" else None
        redis_rss = procs.rss_kib(redis_pid) if redis_pid else None
        result: dict[str, Any] = {
            "view": args.memory_view,
            "levels": {"0": {"rss_kib": base, "embedded_redis_rss_kib": redis_rss}},
        }
        rooms: list[LiveRoom] = []
        projectors: list[Screen] = []
        facilitators: list[Host] = []
        opened, error = 0, None
        async with self.opener(system, process.url) as open_room:
            try:
                for level in args.memory_levels[1:]:
                    self.say(f"memory: {system}, {level:,} idle sockets ({args.memory_view}s) …")
                    while opened < level and error is None:
                        size = min(args.memory_room_size, level - opened)
                        try:
                            if args.memory_view == "participant" and size >= 2:
                                rooms.append(await open_room(size))
                                opened += size
                            else:
                                more = await self.idle_projectors(system, process, size, projectors, facilitators)
                                opened, error = opened + more[0], more[1]
                        except Exception as failure:  # e.g. too many open files
                            error = f"{type(failure).__name__}: {failure}"
                    await asyncio.sleep(args.memory_settle)
                    rss = sum(procs.rss_kib(p) or 0 for p in pids)
                    result["levels"][str(level)] = {
                        "sockets": opened,
                        "rss_kib": rss,
                        "peak_rss_kib": sum(procs.rss_kib(p, "VmHWM") or 0 for p in pids),
                        "embedded_redis_rss_kib": procs.rss_kib(redis_pid) if redis_pid else None,
                        "kib_per_connection": round((rss - base) / opened, 1) if opened else None,
                        "client_rss_kib": procs.rss_kib(os.getpid()),
                    }
                    self.say(f"  {opened:,} sockets: RSS {rss / 1024:.1f} MiB")
                    if error:
                        result["stopped"] = {"sockets": opened, "error": error}
                        self.warnings.append(f"memory ({system}): stopped at {opened:,} sockets: {error}")
                        break
            finally:
                await asyncio.gather(*(r.close() for r in rooms), return_exceptions=True)
                await asyncio.gather(*(s.close() for s in projectors), return_exceptions=True)
                for fac in facilitators:
                    await fac.close()
        return result

    async def idle_projectors(
        self, system: str, process: Any, count: int, screens: list[Screen], facilitators: list[Host]
    ) -> tuple[int, str | None]:
        """`count` projector sockets of one new room, each until its first frame; how many opened, and why not."""
        ws = process.url.replace("http://", "ws://")
        if system == "relay":
            url, headers = f"{ws}/r/idle{len(facilitators)}-{len(screens)}/ws", {}
        else:
            fac = Host(process.url)
            facilitators.append(fac)
            response = await fac.http.post("/rooms", data={"title": "Idle"})
            assert response.status_code == 303, response.text
            fac.code = response.headers["location"].split("/r/")[1].split("/")[0]
            url = f"{ws}/r/{fac.code}/ws?view=projector"
            headers = {"Cookie": fac.cookie_header(), "Origin": process.url}
        limit, tracker = asyncio.Semaphore(64), Tracker()

        async def one() -> Screen:
            async with limit:
                screen = await Screen.open(url, headers, tracker, 0)
                await asyncio.wait_for(screen.first_frame, 120)
                return screen

        opened = await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)
        screens += [s for s in opened if isinstance(s, Screen)]
        errors = [f"{type(e).__name__}: {e}" for e in opened if not isinstance(e, Screen)]
        return count - len(errors), errors[0] if errors else None

    # --- the run ---------------------------------------------------------------------------------------------

    async def run(self) -> dict[str, Any]:
        args = self.args
        main = asyncio.current_task()
        assert main is not None
        # SIGTERM like Ctrl-C: cancel, so that every process started here is stopped on the way out.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main.cancel)
        limits = procs.raise_open_files()
        self.results["meta"] = meta = {
            "started": datetime.datetime.now().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "load_before": procs.load_average(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "commit": _git("rev-parse", "--short", "HEAD"),
            "open_files_limit": list(limits),
            "event_loop": "uvloop" if "uvloop" in sys.modules else "asyncio",
            "client_procs": args.client_procs,
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        }
        with contextlib.ExitStack() as stack:
            self.workers = [Worker(n, uvloop=not args.no_uvloop) for n in range(1, args.client_procs)]
            stack.callback(lambda: [w.stop() for w in self.workers])
            for worker in self.workers:
                worker.attach()
            if not args.embedded:
                self.redis = stack.enter_context(procs.own_redis(args.redis_server))
                meta["redis"] = f"own redis-server ({self.redis.version.split(' sha')[0]}, no persistence)"
            else:
                meta["redis"] = "the embedded Redis (append-only file, fsync always)"
            if "cluster" in args.systems:
                self.cluster = stack.enter_context(procs.own_cluster())
                meta["cluster"] = "own Redis Cluster: three primaries, no replicas, no persistence"
            for part, method in (
                ("latency", self.latency_and_redis),
                ("sustained", self.sustained),
                ("rooms", self.rooms),
                ("fill", self.fill),
            ):
                if part not in args.only and not (part == "latency" and "redis" in args.only):
                    continue
                try:
                    with contextlib.ExitStack() as systems_stack:  # fresh processes for every part
                        systems: dict[str, Any] = {}
                        for system in args.systems:
                            systems[system] = systems_stack.enter_context(self.start(system))
                        await method(systems)
                except Exception as error:  # a part that fails leaves the others
                    self.warnings.append(f"{part}: {type(error).__name__}: {error}")
                    self.say(f"{part} failed: {error!r}")
                gc.collect()
            if "memory" in args.only:
                memory = self.results.setdefault("memory", {})
                for system in args.systems:
                    try:
                        with self.start(system) as process:
                            memory[system] = await self.memory(system, process)
                    except Exception as error:
                        self.warnings.append(f"memory ({system}): {type(error).__name__}: {error}")
                        self.say(f"memory failed: {error!r}")
        meta["load_after"] = procs.load_average()
        self.results["warnings"] = self.warnings
        return self.results


def peak_rss(process: Any) -> int:
    """The server's peak RSS so far, KiB (every part starts fresh processes)."""
    return sum(procs.rss_kib(pid, "VmHWM") or 0 for pid in process.pids())


def _finite(value: Any) -> Any:
    """JSON without Infinity and NaN (a lost vote's latency): null instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _git(*command: str) -> str | None:
    try:
        return subprocess.run(["git", *command], capture_output=True, text=True, cwd=HERE).stdout.strip() or None
    except OSError:
        return None


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    bench = Bench(args)
    runner: Callable[[Awaitable[Any]], Any] = asyncio.run
    if not args.no_uvloop:
        with contextlib.suppress(ImportError):
            import uvloop

            runner = uvloop.run
    try:
        results = runner(bench.run())
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: every process it started is stopped; the figures so far follow", file=sys.stderr)
        results = bench.results
        results["warnings"] = [*bench.warnings, "interrupted: an incomplete run"]
        results.setdefault("meta", {})["load_after"] = procs.load_average()
        if "args" not in results["meta"]:
            return
    table = markdown(results)
    print()
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(_finite(results), indent=2, default=str) + "\n")
    print(f"JSON: {args.out}")
    if args.markdown:
        args.markdown.write_text(table)
        print(f"Markdown: {args.markdown}")


if __name__ == "__main__":
    main()
