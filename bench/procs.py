"""The processes a comparison runs: its own redis-server, the app (`workshop serve`), the relay; and what is read
from them (resident memory, Redis INFO)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from tests.clients import Server, free_port, start_server
from tests.redis_servers import cluster


def raise_open_files() -> tuple[int, int]:
    """Soft limit of open files up to the hard limit; children (app, relay, redis) inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard or hard == resource.RLIM_INFINITY:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def rss_kib(pid: int, field: str = "VmRSS") -> int | None:
    """Resident set size of a process (VmRSS; VmHWM: its peak so far), KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


@dataclass
class OwnRedis:
    """A redis-server of the bench's own, on a free loopback port, no persistence."""

    port: int
    process: subprocess.Popen[bytes]
    binary: str
    version: str

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def address(self) -> tuple[str, int] | str:
        return ("127.0.0.1", self.port)


@contextlib.contextmanager
def own_redis(binary: str | None = None) -> Iterator[OwnRedis]:
    binary = binary or shutil.which("redis-server")
    if not binary:
        raise SystemExit("no redis-server on PATH: give --redis-server, or --embedded")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-redis-") as folder:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", folder, "--maxclients", "10000", "--loglevel", "warning"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    if redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping():
                        break
                except (redis.ConnectionError, redis.TimeoutError, OSError):
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{binary} did not start on port {port}")
                time.sleep(0.05)
            yield OwnRedis(port, process, binary, version)
        finally:
            _stop(process)


@dataclass
class OwnCluster:
    """A Redis Cluster of the bench's own: three primaries on free loopback ports, no persistence."""

    url: str
    pids: list[int]
    address: tuple[str, int]  # one primary's (a cluster has no one INFO)


@contextlib.contextmanager
def own_cluster() -> Iterator[OwnCluster]:
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as folder, cluster(Path(folder)) as running:
        first = running.nodes[0]
        yield OwnCluster(running.url, [n.process.pid for n in running.nodes], ("127.0.0.1", first.port))


@dataclass
class App:
    """One or more `workshop serve` processes on one Redis."""

    servers: list[Server]
    redis_address: tuple[str, int] | str  # where INFO is read: host and port, or the embedded server's socket
    embedded: bool

    @property
    def url(self) -> str:
        return self.servers[0].url

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.servers]

    def redis_pid(self) -> int | None:
        """The embedded redis-server's process (its pidfile), for its memory."""
        if not self.embedded:
            return None
        try:
            return int((self.servers[0].data_dir / "redis.pid").read_text().strip())
        except (OSError, ValueError):
            return None


@contextlib.contextmanager
def app_processes(redis_server: OwnRedis | OwnCluster | None, processes: int = 1) -> Iterator[App]:
    """`workshop serve` as tests.clients starts it: on our redis-server or cluster, or (None) with its embedded
    Redis."""
    # Every client of the bench comes from 127.0.0.1: the per-address limits (workshop/limits.py) would count them
    # as one stranger, so they are lifted here; a real crowd comes from many addresses (or behind one NAT: README).
    unlimited = "lookups=1000000/1m, rooms=1000000/1h, restores=1000/1h, sockets=1000000/1m"
    env = {"WORKSHOP_LANGUAGE": "de", "WORKSHOP_ROOM_TTL": "2h", "WORKSHOP_RATE_LIMITS": unlimited}
    with tempfile.TemporaryDirectory(prefix="bench-app-") as data, contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(start_server(Path(data), redis_url=redis_server.url if redis_server else None, **env))
            for _ in range(processes)
        ]
        address: tuple[str, int] | str = redis_server.address if redis_server else str(Path(data) / "redis.sock")
        yield App(servers, address, embedded=redis_server is None)


@dataclass
class Relay:
    url: str
    process: subprocess.Popen[bytes]

    def pids(self) -> list[int]:
        return [self.process.pid]


@contextlib.contextmanager
def relay_process(uvloop: bool = True) -> Iterator[Relay]:
    port = free_port()
    command = [sys.executable, "-m", "bench.relay", "--port", str(port)] + ([] if uvloop else ["--no-uvloop"])
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent
    )
    ready = threading.Event()
    lines: list[bytes] = []

    def copy() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if b"relay listening" in line:
                ready.set()
        ready.set()

    reader = threading.Thread(target=copy, daemon=True)
    reader.start()
    try:
        if not ready.wait(30) or process.poll() is not None:
            raise RuntimeError("relay did not start:\n" + b"".join(lines).decode(errors="replace"))
        yield Relay(f"http://127.0.0.1:{port}", process)
    finally:
        _stop(process)
        reader.join(timeout=5)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisInfo:
    """INFO over a raw RESP connection of our own, so the bytes of our own replies are known exactly and can be
    taken out of the server's byte counters."""

    def __init__(self, address: tuple[str, int] | str) -> None:
        self.address = address
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> RedisInfo:
        if isinstance(self.address, str):
            self.reader, self.writer = await asyncio.open_unix_connection(self.address)
        else:
            self.reader, self.writer = await asyncio.open_connection(*self.address)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.writer:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()

    async def info(self, section: str) -> tuple[dict[str, str], int]:
        """The section as a dict, and how many bytes the reply took on the wire."""
        assert self.reader and self.writer
        self.writer.write(f"*2\r\n$4\r\nINFO\r\n${len(section)}\r\n{section}\r\n".encode())
        await self.writer.drain()
        header = await self.reader.readline()
        if not header.startswith(b"$"):
            raise RuntimeError(f"unexpected INFO reply: {header!r}")
        body = await self.reader.readexactly(int(header[1:]) + 2)
        fields = {}
        for line in body.decode().splitlines():
            if ":" in line and not line.startswith("#"):
                key, _, value = line.partition(":")
                fields[key] = value
        return fields, len(header) + len(body)

    async def snapshot(self) -> Snapshot:
        commands, commands_bytes = await self.info("commandstats")
        stats, stats_bytes = await self.info("stats")
        calls = {}
        for key, value in commands.items():
            if key.startswith("cmdstat_"):
                parts = dict(p.split("=", 1) for p in value.split(","))
                calls[key.removeprefix("cmdstat_")] = int(parts["calls"])
        return Snapshot(
            calls=calls,
            out_bytes=int(stats["total_net_output_bytes"]),
            in_bytes=int(stats["total_net_input_bytes"]),
            commands_reply=commands_bytes,
            stats_reply=stats_bytes,
        )


@dataclass
class Snapshot:
    calls: dict[str, int]
    out_bytes: int
    in_bytes: int
    commands_reply: int  # our INFO commandstats reply
    stats_reply: int  # our INFO stats reply

    def since(self, before: Snapshot) -> tuple[dict[str, int], int, int]:
        """Commands (ours left out), bytes Redis wrote and bytes it read between two snapshots.

        The counters in `before` were read before its stats reply was written, and those in `self` after our
        commandstats request and reply: both replies, and our two requests, are ours, not the app's."""
        calls = {
            name: n - before.calls.get(name, 0)
            for name, n in self.calls.items()
            if name != "info" and n != before.calls.get(name, 0)
        }
        out = self.out_bytes - before.out_bytes - before.stats_reply - self.commands_reply
        ours_in = len("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n") + len("*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n")
        return calls, out, self.in_bytes - before.in_bytes - ours_in
