"""How a process hears that a room changed: the pub/sub mechanics under the hub (workshop/hub.py).

One Redis (or sentinels' primary): one pattern subscription to every room's channel (PSUBSCRIBE), so a process hears
every room and keeps those it follows. A Redis Cluster: sharded pub/sub (Redis 7): a room's change script publishes
with SPUBLISH to the node that holds the room's slot only, and the process SSUBSCRIBEs to each room it follows, on that
node, from the first listener of the room to the last. A node that gives a room's slot away ends those subscriptions
itself (an unasked SUNSUBSCRIBE): the room is subscribed again on its new node, and its listeners catch up.

Both yield what they hear as (code, news): a change of room `code` (news: what its script published), or a
subscription confirmed (news None; code "": every room wanted when the connection was made). From a confirmation on,
no change of those rooms goes unheard; what happened before is read from Redis (the hub wakes their listeners).
Both end with an error when a connection is lost; the hub starts them again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from typing import Any, Protocol

import redis
import redis.asyncio as aioredis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from .keys import EVENTS_PATTERN, code_of_channel, events_channel
from .redis_urls import Client

Heard = tuple[str, str | None]


class Subscription(Protocol):
    def follow(self, code: str) -> None: ...  # the process follows room `code` from now on
    def unfollow(self, code: str) -> None: ...  # … no longer
    def heard(self) -> AsyncGenerator[Heard, None]: ...  # one connection's life: what it hears, until it is lost


def subscription_for(client: Client) -> Subscription:
    return ShardedSubscriptions(client) if isinstance(client, RedisCluster) else PatternSubscription(client)


class PatternSubscription:
    """One Redis: every room's channel through one pattern; following a room needs nothing more."""

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client

    def follow(self, code: str) -> None:
        pass

    def unfollow(self, code: str) -> None:
        pass

    async def heard(self) -> AsyncGenerator[Heard, None]:
        pubsub = self.client.pubsub()
        try:
            await pubsub.psubscribe(EVENTS_PATTERN)
            async for message in pubsub.listen():
                if message["type"] == "pmessage":
                    yield code_of_channel(message["channel"]), str(message["data"])
                elif message["type"] == "psubscribe":
                    yield "", None
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]


class ShardedSubscriptions:
    """A Redis Cluster: each followed room's channel on the node of its slot (SSUBSCRIBE), one connection per node."""

    def __init__(self, cluster: RedisCluster) -> None:
        self.cluster = cluster
        self.wanted: set[str] = set()  # the rooms followed, kept across connections
        self._inbox: asyncio.Queue[tuple[str, str, Any]] | None = None  # while a connection lives

    def follow(self, code: str) -> None:
        self.wanted.add(code)
        if self._inbox is not None:
            self._inbox.put_nowait(("follow", code, None))

    def unfollow(self, code: str) -> None:
        self.wanted.discard(code)
        if self._inbox is not None:
            self._inbox.put_nowait(("unfollow", code, None))

    async def heard(self) -> AsyncGenerator[Heard, None]:
        inbox: asyncio.Queue[tuple[str, str, Any]] = asyncio.Queue()
        nodes = _Nodes(self.cluster, inbox)
        on: dict[str, str] = {}  # room -> the node its SSUBSCRIBE went to
        try:
            await self.cluster.nodes_manager.initialize()  # the slots as they are now (a node may have failed over)
            self._inbox = inbox
            waiting = set(self.wanted)  # confirmations before "every room": ""
            for code in waiting:
                on[code] = await nodes.subscribe(code)
            if not waiting:
                yield "", None
            while True:
                what, name, data = await inbox.get()
                if what == "error":
                    raise data
                if what == "follow" and name in self.wanted and name not in on:
                    on[name] = await nodes.subscribe(name)
                elif what == "unfollow" and name not in self.wanted and name in on:
                    await nodes.unsubscribe(name, on.pop(name))
                    if name in waiting:
                        waiting.discard(name)
                        if not waiting:
                            yield "", None
                elif what == "message" and data["type"] == "smessage":
                    yield code_of_channel(data["channel"]), str(data["data"])
                elif what == "message" and data["type"] == "ssubscribe":
                    code = code_of_channel(data["channel"])
                    if code in waiting:
                        waiting.discard(code)
                        if not waiting:
                            yield "", None
                    elif code in self.wanted:
                        yield code, None
                elif what == "message" and data["type"] == "sunsubscribe":
                    code = code_of_channel(data["channel"])
                    if code in self.wanted and on.get(code) == name:  # not asked for: the slot went to another node
                        await self.cluster.nodes_manager.initialize()
                        on[code] = await nodes.subscribe(code)  # its confirmation wakes the room's listeners
        finally:
            self._inbox = None
            await nodes.close()


class _Nodes:
    """A pub/sub connection to each node that holds a followed room, each read by a task of its own into `inbox`."""

    def __init__(self, cluster: RedisCluster, inbox: asyncio.Queue[tuple[str, str, Any]]) -> None:
        self.cluster = cluster
        self.inbox = inbox
        self.pubsubs: dict[str, aioredis.client.PubSub] = {}
        self.readers: list[asyncio.Task[None]] = []

    async def subscribe(self, code: str) -> str:
        """SSUBSCRIBE to the room's channel on the node of its slot; that node's name."""
        channel = events_channel(code)
        node = self.cluster.get_node_from_key(channel)
        if node is None:  # the slot is between nodes: start again once the cluster says where it is
            raise redis.ConnectionError(f"no node serves the slot of {channel}")
        pubsub = self.pubsubs.get(node.name)
        if pubsub is None:
            pubsub = self.pubsubs[node.name] = _pubsub(node)
            await pubsub.ssubscribe(channel)  # connects; the reader starts on the open connection
            self.readers.append(asyncio.create_task(self._read(node.name, pubsub)))
        else:
            await pubsub.ssubscribe(channel)
        return str(node.name)

    async def unsubscribe(self, code: str, node: str) -> None:
        pubsub = self.pubsubs.get(node)
        if pubsub is not None:
            await pubsub.sunsubscribe(events_channel(code))

    async def _read(self, node: str, pubsub: aioredis.client.PubSub) -> None:
        try:
            while True:
                message = await pubsub.get_message(timeout=None)
                if message is not None:
                    self.inbox.put_nowait(("message", node, message))
        except Exception as error:  # the connection is lost: the whole subscription starts again
            self.inbox.put_nowait(("error", node, error))

    async def close(self) -> None:
        for reader in self.readers:
            reader.cancel()
        for reader in self.readers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
        for pubsub in self.pubsubs.values():
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            with contextlib.suppress(Exception):
                await pubsub.connection_pool.aclose()


def _pubsub(node: ClusterNode) -> aioredis.client.PubSub:
    """A pub/sub connection of its own to one node, with the cluster client's settings (password, TLS) but no
    retries of its own: a lost connection ends the subscription, which then starts again whole."""
    settings = {**node.connection_kwargs, "retry": Retry(NoBackoff(), 0)}
    for own in ("retry_on_error", "host", "port"):
        settings.pop(own, None)
    pool = aioredis.ConnectionPool(connection_class=node.connection_class, host=node.host, port=node.port, **settings)
    return aioredis.Redis(connection_pool=pool).pubsub()
