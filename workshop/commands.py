"""How a command runs: read the room, check the rule, hand Redis one conditional change, and if someone else was
faster, look again.

Every command is an async function `(call, **fields)`. Most build a *plan*: a pure function from the room as it is
now to the `Change` the rule allows (or None: nothing left to do, say because another tab did it first), raising a
`DomainError` that names the reason when the rule says no. `Call.change` runs the plan on a fresh snapshot; when a
precondition no longer holds at write time (a race), it runs the plan again on the new state, where the rule names
the reason, or the change goes through. Transport-free: the HTTP layer builds the `Call` with the actor from the
signed cookie and reads the command's fields from the form as its `Command` record says.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .change import Change, Rejected
from .domain.errors import N_, ROOM_NOT_FOUND, Conflict, Invalid, NotFound
from .domain.rooms import Room
from .domain.visibility import Actor

if TYPE_CHECKING:
    from .store import Store

ATTEMPTS = 4  # a plan that lost this many races in a row gives up with a clear message
CHANGED = N_("Der Workshop hat sich inzwischen verändert. Bitte noch einmal versuchen.")
INCOMPLETE = N_("Die Anfrage ist unvollständig. Bitte die Seite neu laden.")

Plan = Callable[[Room], Change | None]


@dataclass(frozen=True)
class Call:
    """One request to change a room: the store, who asks (from the signed cookie), the room, and the interface
    language, for texts a command writes into the room (a board template's section titles, a default theme)."""

    store: Store
    actor: Actor
    code: str
    translate: Callable[[str], str] = str
    once: str = ""  # the key the asker's form made for this action (a retry sends the same), if any

    async def room(self, *, everything: bool = False, fresh: bool = False) -> Room:
        room = await self.store.load(self.code, everything=everything, fresh=fresh)
        if room is None:
            raise NotFound(ROOM_NOT_FOUND)
        return room

    async def change(
        self, plan: Plan, *, conflict: str = CHANGED, everything: bool = False, once: bool = False
    ) -> Room:
        """Run `plan` on the room as it is now and apply its change; on a lost race, again on the fresh state.
        Returns the room the applied plan saw (or that needed no change), numbered with the revision the change
        made (the answer to the asker is newer than whatever was pushed before it). With `once` (a command that creates
        something), the change carries the asker's key: a retry of the same action (a lost answer, a second tap, a
        form sent again after the connection came back) finds it done and creates nothing twice."""
        for attempt in range(ATTEMPTS):
            room = await self.room(everything=everything, fresh=attempt > 0)  # after a lost race: Redis itself
            change = plan(room)
            if change is None:
                return room
            if once and self.once:
                change = replace(change, once=f"{self.actor.pid or '-'}:{self.once}")
            try:
                rev = await self.store.apply(self.code, change)
            except Rejected:
                continue
            return replace(room, rev=rev) if rev else room
        raise Conflict(conflict)


@dataclass(frozen=True)
class Said:
    """A command's answer that tells the asker something besides the change (what an imported list added and left
    out), already in the asker's language; the console shows it as a notice."""

    text: str


def new_id() -> str:
    return secrets.token_urlsafe(6)


# -- form fields ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """How one keyword argument of a command is read from the posted form."""

    read: Callable[[Mapping[str, str], str], Any]
    form: str = ""  # the form field's name, if it differs from the argument's


def text(form: str = "", default: str = "") -> Field:
    return Field(lambda data, name: data.get(name, default), form)


def optional(form: str = "") -> Field:
    """A text that may be left out: None when empty."""
    return Field(lambda data, name: data.get(name) or None, form)


def flag(form: str = "") -> Field:
    """A checkbox: present or not."""
    return Field(lambda data, name: name in data, form)


def number(form: str = "", default: int | None = None) -> Field:
    def read(data: Mapping[str, str], name: str) -> int:
        value = data.get(name) or ("" if default is None else str(default))
        try:
            return int(value)
        except ValueError:
            raise Invalid(INCOMPLETE) from None

    return Field(read, form)


@dataclass(frozen=True)
class Command:
    """Something people can do, posted to /r/CODE/<path>: the function, and how its arguments come from the form.
    `answer`: the regions its htmx answer carries (default: all of the asker's)."""

    run: Callable[..., Awaitable[object]]
    fields: Mapping[str, Field] = field(default_factory=dict)
    answer: tuple[str, ...] = ()

    async def __call__(self, call: Call, form: Mapping[str, str]) -> object:
        return await self.run(call, **{name: f.read(form, f.form or name) for name, f in self.fields.items()})


def command(run: Callable[..., Awaitable[object]], *, answer: tuple[str, ...] = (), **fields: Field) -> Command:
    return Command(run, fields, answer)
