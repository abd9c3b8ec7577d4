"""What a REDIS_URL names: one Redis (redis://, rediss://, unix://, read by redis-py itself), a Redis Cluster
(redis+cluster://host:port,host:port…) or a primary watched by Redis Sentinel
(redis+sentinel://host:port,host:port…/service_name).

redis-py owns the schemes redis, rediss and unix; a cluster and a sentinel setup are other kinds of server with other
clients, so they get schemes of their own in the "+" style of git+ssh or postgresql+psycopg: the URL says which client
the app uses, and a cluster node given as redis:// is never mistaken for a single Redis (it would answer MOVED). Both
take several seed addresses separated by commas: one of them answering is enough to find the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.connection import parse_url as parse_single

CLUSTER = ("redis+cluster", "rediss+cluster")
SENTINEL = ("redis+sentinel", "rediss+sentinel")
EXAMPLES = (
    "redis://host:6379/0, rediss://host:6380/0, unix:///path/to/redis.sock, "
    "redis+cluster://host1:6379,host2:6379 or redis+sentinel://host1:26379,host2:26379/mymaster"
)


@dataclass(frozen=True)
class Cluster:
    """A Redis Cluster: some of its nodes (the client learns the others and the slots from them)."""

    nodes: tuple[tuple[str, int], ...]
    username: str | None = None
    password: str | None = None
    ssl: bool = False


@dataclass(frozen=True)
class Sentinels:
    """The sentinels that know the primary of `service`, and how to talk to that primary."""

    nodes: tuple[tuple[str, int], ...]
    service: str
    db: int = 0
    username: str | None = None
    password: str | None = None  # the primary's and its replicas'
    sentinel_password: str | None = None  # the sentinels' own, if they ask for one
    ssl: bool = False


Target = str | Cluster | Sentinels  # a plain URL stays a string: redis-py reads it
Client = aioredis.Redis | RedisCluster  # the client the app gets (sentinels: a Redis client of their primary)


def parse(url: str) -> Target:
    """What `url` names; ValueError (saying what is wrong) if it is none of the forms above."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in CLUSTER + SENTINEL:
        parsed = parse_single(url)  # type: ignore[no-untyped-call]
        if url.startswith("unix:") and not parsed.get("path"):
            raise ValueError("no socket path")
        return url
    parts = urlsplit(url)
    userinfo, _, hosts = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    nodes = tuple(_address(host, 26379 if scheme in SENTINEL else 6379) for host in hosts.split(",") if host.strip())
    if not nodes:
        raise ValueError("no host:port")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    common: dict[str, Any] = {
        "username": unquote(username) or None,
        "password": unquote(password) or query.get("password") or None,
        "ssl": scheme.startswith("rediss"),
    }
    if scheme in CLUSTER:
        if parts.path.strip("/"):
            raise ValueError("a cluster has only database 0: leave the path out")
        return Cluster(nodes, **common)
    service, _, db = parts.path.strip("/").partition("/")
    if not service:
        raise ValueError("no service name: add the primary's name as the sentinels know it, e.g. /mymaster")
    if db and not db.isdigit():
        raise ValueError(f"not a database number: {db!r}")
    return Sentinels(
        nodes, unquote(service), int(db or 0), sentinel_password=query.get("sentinel_password") or None, **common
    )


def _address(text: str, default_port: int) -> tuple[str, int]:
    host, colon, port = text.strip().rpartition(":")
    if not colon:
        host, port = port, str(default_port)
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not a host:port: {text.strip()!r}")
    return host, int(port)
