"""Fan-out: one Redis subscription per process wakes this process's listeners when a room changes (on a Redis Cluster,
one per followed room, on the room's node: workshop/subscriptions.py).

Pub/sub is only a hint that something changed ("room X is at revision N"); the state itself is read from Redis.
A message lost while the subscription was down costs nothing: after every (re)subscribe all listeners are woken
to resync. redis-py's asyncio PubSub does not reconnect by itself (redis-py #2089), hence the supervising loop.
`subscribed` says whether the subscription is up right now (the readiness check, /readyz, reads it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator

import redis

from .redis_urls import Client
from .subscriptions import subscription_for

log = logging.getLogger(__name__)

Listener = Callable[[str], None]  # called with what the change published ("": catch up, something may be missed)
Watcher = Callable[[bool], None]  # told when the subscription goes (False) and when it is back (True)
RETRY_MOST = 0.5  # the longest wait between two tries to subscribe again: live again within a second of Redis


class Hub:
    def __init__(
        self,
        redis_client: Client,
        *,
        heard: Callable[[str], None] | None = None,
        lost: Callable[[], None] | None = None,
    ) -> None:
        self.redis = redis_client
        self._subscription = subscription_for(redis_client)
        self._heard = heard  # told of every change heard (metrics), before the room's listeners
        self._lost = lost  # told of every lost subscription (metrics)
        self._listeners: dict[str, list[Listener]] = {}
        self.subscribed = False  # set after each (re)subscribe, cleared when the subscription is lost
        self._watchers: list[Watcher] = []
        self._was_lost = False  # the subscription went, and the watchers were told

    @contextlib.contextmanager
    def listen(self, code: str, listener: Listener) -> Iterator[None]:
        """Call `listener` whenever room `code` changes, for as long as the block runs. The same listener may listen
        several times (each connection of a room wakes the room's one feed): it stays until its last block ends."""
        if code not in self._listeners:
            self._subscription.follow(code)
        self._listeners.setdefault(code, []).append(listener)
        try:
            yield
        finally:
            listeners = self._listeners.get(code, [])
            listeners.remove(listener)
            if not listeners:
                self._listeners.pop(code, None)
                self._subscription.unfollow(code)

    def wake(self, code: str, news: str = "") -> None:
        for listener in dict.fromkeys(self._listeners.get(code, ())):
            listener(news)

    def watch(self, watcher: Watcher) -> None:
        """Tell `watcher` when the subscription is lost (Redis gone: what the screens show may be behind) and when it
        is up again after that (each listener then catches up)."""
        self._watchers.append(watcher)

    def _tell(self, up: bool) -> None:
        if self._was_lost == up:  # a change of state, told once: a retry that fails again is no news
            self._was_lost = not up
            for watcher in self._watchers:
                watcher(up)

    def wake_all(self) -> None:
        for code in list(self._listeners):
            self.wake(code)

    async def run(self) -> None:
        """Subscribe and dispatch until cancelled, re-subscribing after every lost connection."""
        delay = 0.1
        while True:
            heard = self._subscription.heard()
            try:
                async for code, news in heard:
                    if news is not None:
                        if self._heard:
                            self._heard(code)
                        self.wake(code, news)
                    elif code:  # a room followed from now on (a cluster): what it missed, from Redis
                        self.wake(code)
                    else:  # confirmed: from now on no change goes unheard
                        self.subscribed = True
                        delay = 0.1
                        log.info("fan-out: subscribed to room changes")
                        self._tell(True)
                        self.wake_all()  # whatever was published while we were away: resync from Redis
            except (redis.RedisError, OSError) as error:  # any of them: a dead hub would leave every socket stale
                self.subscribed = False
                if self._lost:
                    self._lost()
                self._tell(False)
                log.warning("redis subscription lost (%s); retrying in %.1f s", type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MOST)
            finally:
                self.subscribed = False
                with contextlib.suppress(Exception):
                    await heard.aclose()
