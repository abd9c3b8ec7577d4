"""Rehearsal rooms ("Probelauf"): the example workshop with simulated people, so that one facilitator can try the
console and the projector alone before the day.

A rehearsal is a room restored from the example's archive (initiativen-werk-2025.json: its agenda, nothing in it
yet), titled "Probelauf: …", and a task in the process that opened it, which runs its simulated people
(people.py), each with a phone of their own that reaches the room over HTTP and its socket like any phone
(phone.py). The room ends after a few hours: the task deletes it (its screens are told at once), and its keys carry
that end as their expiry (`ENDS` in the room's hash, which the store's change script applies to every key), so a
process that stops does not leave it behind for WORKSHOP_ROOM_TTL. A process runs WORKSHOP_REHEARSALS at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis

from .. import room_commands
from .. import store as changes
from ..archive import from_archive
from ..change import Change
from ..domain.errors import N_, DomainError, TooMany
from ..domain.rooms import Room
from ..keys import room_key
from ..store import ENDS, Store
from . import cast
from .people import Person, Script
from .phone import Phone

log = logging.getLogger(__name__)

ARCHIVE = Path(__file__).with_name("initiativen-werk-2025.json")
LASTS = 3 * 3600.0  # seconds a rehearsal room lives
PEOPLE = 12
PEOPLE_MAX = len(cast.NAMES)
GRACE_MS = 60_000  # the keys outlive the task's own deletion by this much, in case it comes late
TITLE = N_("Probelauf: {title}")
BUSY = N_(
    "Auf diesem Server laufen gerade {most} Probeläufe, mehr gehen nicht gleichzeitig. Bitte in ein paar Minuten "
    "noch einmal versuchen – oder einen echten Raum eröffnen."
)
_REDIS = (redis.ConnectionError, redis.TimeoutError, OSError)


@dataclass(frozen=True)
class Plan:
    """How a process's rehearsals run: how many simulated people, at which pace (1: a human one; 0.1: ten times as
    fast), and for how many seconds."""

    people: int = PEOPLE
    pace: float = 1.0
    lasts: float = LASTS


class Rehearsals:
    """The rehearsals this process runs."""

    def __init__(
        self,
        store: Store,
        *,
        most: int,
        plan: Plan | None = None,
        translator: Callable[[str], Callable[[str], str]] = lambda language: str,
    ) -> None:
        self.store = store
        self.most = most
        self.translator = translator  # a language -> its gettext
        self.plan = plan or Plan()
        self.running: dict[str, asyncio.Task[None]] = {}
        self._opening = 0

    async def open(self, here: str, *, language: str = "") -> tuple[Room, str]:
        """A new rehearsal room in `language` (its title, the mark of its simulated names, its projector; "": the
        installation's), and the secret of its facilitator link; its people reach the app at `here` (this process's
        own address). TooMany while this process runs as many as it may."""
        translate = self.translator(language)
        if len(self.running) + self._opening >= self.most:
            raise TooMany(BUSY, retry_after=600, most=self.most)
        self._opening += 1
        try:
            archive = json.loads(ARCHIVE.read_text(encoding="utf-8"))
            archive["title"] = translate(TITLE).format(title=archive["title"])
            archive["created"] = datetime.date.today().isoformat()
            room, token = await room_commands.restore_room(self.store, lambda code: from_archive(archive, code))
            lasts = min(self.plan.lasts, self.store.ttl_ms / 1000)
            ending = int((time.time() + lasts) * 1000) + GRACE_MS
            ends = Change.of([("HSET", room_key(room.code, "room"), ENDS, ending)])
            if language:
                ends += changes.set_language(room.code, language)
            await self.store.apply(room.code, ends)
        finally:
            self._opening -= 1
        task = asyncio.create_task(self._run(room.code, here, lasts, translate(cast.MARK)))
        self.running[room.code] = task
        task.add_done_callback(lambda _: self.running.pop(room.code, None))
        return room, token

    async def close(self) -> None:
        """Stop every rehearsal of this process (it stops): its people leave; its room ends with its keys."""
        tasks = list(self.running.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, code: str, here: str, lasts: float, mark: str) -> None:
        plan, rng = self.plan, random.Random()
        script = Script(rng)
        people = [
            Person(
                Phone(here, code),
                f"{name} · {mark}",
                cast.ORGANISATIONS[n % len(cast.ORGANISATIONS)],
                script,
                plan.pace,
                arrival=1 + 2.5 * n + rng.uniform(0, 2),
                rng=random.Random(rng.random()),
                cards_to_write=rng.choice((1, 2, 2)),
                entries_to_write=rng.choice((1, 2)),
            )
            for n, name in enumerate(rng.sample(cast.NAMES, min(plan.people, PEOPLE_MAX)))
        ]
        try:
            async with asyncio.timeout(lasts):
                await asyncio.gather(*(person.live() for person in people))
                if await self._exists(code):  # everyone left early (the server out of reach): it still ends on time
                    await asyncio.Event().wait()
        except TimeoutError:
            with contextlib.suppress(*_REDIS, DomainError):
                await self.store.delete_room(code)

    async def _exists(self, code: str) -> bool:
        try:
            return await self.store.exists(code)
        except _REDIS:
            return True


async def ends(store: Store, code: str) -> int | None:
    """When a rehearsal room ends (ms since the epoch, the task's own deletion), or None for any other room."""
    raw = await store.redis.hget(room_key(code, "room"), ENDS)
    return int(raw) - GRACE_MS if raw else None
