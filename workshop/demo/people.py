"""Simulated people: each looks at their phone, and when it offers something to do (a card to choose, a card to
write, dots to place, a board to fill, a poll to answer), they think for a while and do it, as a person would: at a
human pace, one thing at a time, and only what their phone offers right now. What they say comes from the example
workshop (cast.py); a room's people share one script, so nobody writes the same card twice.

`pace` scales every pause: 1 is a human pace (seconds to tens of seconds), 0.02 runs a whole agenda in seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from websockets.exceptions import InvalidHandshake

from . import cast
from .phone import Busy, Form, Gone, Phone

log = logging.getLogger(__name__)
T = TypeVar("T")

QUALITATIVE = {"Gering", "Mittel", "Hoch"}
NOT_A_VALUE = {"?", "Kaffeepause"}
PATIENCE = 60.0  # seconds a person keeps trying to reach a server that does not answer, then gives up
OFFSETS = ((-2, 0.07), (-1, 0.23), (0, 0.4), (1, 0.23), (2, 0.07))  # a first round: around the room's middle
AGAIN = ((-1, 0.2), (0, 0.6), (1, 0.2))  # a later round: closer together


@dataclass
class Move:
    key: str  # done once it succeeded: "vote:<item>:<round>", "card:<activity>:<n>", "sort:<card>", …
    think: float  # seconds, at a human pace
    form: Form
    data: dict[str, str]  # what is typed or chosen in the form
    theme: str = ""  # a card's: the theme it belongs to


class Script:
    """What a room's simulated people have left to say, shared among them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cards = [(theme, text) for theme, texts in cast.CARDS.items() for text in texts]
        rng.shuffle(self.cards)
        self.words = list(cast.WORDS)
        rng.shuffle(self.words)
        self._reasons: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._middles: dict[str, int] = {}
        self._favourites: dict[str, dict[str, float]] = {}
        self._entries: dict[str, dict[str, list[str]]] = {}

    def card(self) -> tuple[str, str] | None:
        return self.cards.pop() if self.cards else None

    def word(self) -> str | None:
        return self.words.pop() if self.words else None

    def vote(self, rng: random.Random, item: str, round_: str, cards: list[str]) -> tuple[str, str]:
        """A card from the deck, near where the room leans, and (usually) why."""
        reasons = self._reasons.setdefault((item, round_), {})
        if QUALITATIVE <= set(cards):
            choice = rng.choices(list(cast.LEANING), weights=list(cast.LEANING.values()))[0]
            pool = reasons.setdefault(choice, rng.sample(cast.REASONS[choice], len(cast.REASONS[choice])))
            return choice, pool.pop() if pool else ""
        values = [c for c in cards if c not in NOT_A_VALUE] or cards
        middle = self._middles.setdefault(item, rng.randrange(len(values) // 3, max(1, 2 * len(values) // 3 + 1)))
        offsets = OFFSETS if round_ == "1" else AGAIN
        offset = rng.choices([o for o, _ in offsets], weights=[w for _, w in offsets])[0]
        chosen = min(len(values) - 1, max(0, middle + offset))
        side = "middle" if chosen == middle else "low" if chosen < middle else "high"
        pool = reasons.setdefault(side, rng.sample(cast.NUMBER_REASONS[side], len(cast.NUMBER_REASONS[side])))
        return values[chosen], pool.pop() if pool and rng.random() < 0.8 else ""

    def favourite(self, rng: random.Random, activity: str, targets: list[str]) -> str:
        """Where a dot goes: each target has a popularity of its own in this room, so the result has a winner."""
        liked = self._favourites.setdefault(activity, {})
        for target in targets:
            liked.setdefault(target, self.rng.paretovariate(1.2))
        return rng.choices(targets, weights=[liked[t] for t in targets])[0]

    def entry(self, rng: random.Random, board: str, about: str, sections: list[tuple[str, str]]) -> tuple[str, str]:
        """A section of the board and a line for it, from the example's boards (none left: ("", ""))."""
        if board not in self._entries:
            green = any(word in about.casefold() for word in cast.GREEN_WORDS)
            first, second = (cast.GREEN_ROOFS, cast.CROSS_CUTTING) if green else (cast.CROSS_CUTTING, cast.GREEN_ROOFS)
            pools: dict[str, list[str]] = {}
            for _, title in sections:
                lines = first.get(title) or second.get(title) or []
                pools[title] = rng.sample(lines, len(lines))
            self._entries[board] = pools
        pools = self._entries[board]
        open_sections = [(sid, title) for sid, title in sections if pools.get(title)]
        if not open_sections:
            return "", ""
        sid, title = rng.choices(open_sections, weights=[len(pools[t]) for _, t in open_sections])[0]
        return sid, pools[title].pop()


@dataclass
class Person:
    """One simulated participant with a phone of their own."""

    phone: Phone
    name: str
    org: str
    script: Script
    pace: float
    arrival: float  # seconds after the room opened, at a human pace
    rng: random.Random
    cards_to_write: int = 2
    entries_to_write: int = 2
    done: set[str] = field(default_factory=set)
    failed: Counter[str] = field(default_factory=Counter)
    planned: dict[str, Move] = field(default_factory=dict)
    count: Counter[str] = field(default_factory=Counter)  # "card:<activity>", "dot:<activity>", "entry:<board>"
    themes: dict[str, str] = field(default_factory=dict)  # my card's id -> the theme it belongs to

    async def live(self) -> None:
        """Arrive, then follow the phone until the room is gone (or the server, for longer than PATIENCE)."""
        try:
            await self.pause(self.arrival)
            await self._patiently(lambda: self.phone.join(self.name, self.org))
            wait = 1.0
            while True:
                await self._patiently(self.phone.connect)
                opened = time.monotonic()
                reader = asyncio.create_task(self.phone.listen())
                try:
                    await self._follow(reader)
                finally:
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await reader
                if not await self._patiently(self.phone.here):
                    return
                # A dropped socket comes back a moment later; one refused at once (a limit: too many sockets from
                # this address, or tabs of this person) waits twice as long each time, up to a minute.
                wait = 1.0 if time.monotonic() - opened > 10 else min(wait * 2, 60.0)
                await asyncio.sleep(wait * (1 + self.rng.random()))
        except Gone:
            return
        except Exception:  # a person's mistake ends that person, never the rehearsal or the process
            log.exception("rehearsal: a simulated person stopped")
        finally:
            await self.phone.close()

    async def pause(self, seconds: float) -> None:
        await asyncio.sleep(max(0.01, seconds * self.pace))

    async def _patiently(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """Again after a pause while the server cannot be reached (starting, restarting; Gone after PATIENCE), or
        asks to wait (a limit)."""
        waited, delay = 0.0, 0.2
        while True:
            try:
                return await attempt()
            except Busy as busy:  # a limit, or Redis away for a moment: as long as the server asks
                await asyncio.sleep(min(600.0, busy.seconds))
            except (httpx.TransportError, OSError, TimeoutError, InvalidHandshake) as error:
                if waited > PATIENCE:
                    raise Gone from error
                await asyncio.sleep(delay)
                waited, delay = waited + delay, min(delay * 2, 5.0)

    async def _follow(self, reader: asyncio.Task[int]) -> None:
        """Do what the phone offers, one thing at a time, until its socket closes."""
        while not reader.done():
            move = self.decide()
            if move is None:
                self.phone.news.clear()
                news = asyncio.create_task(self.phone.news.wait())
                await asyncio.wait([news, reader], return_when=asyncio.FIRST_COMPLETED)
                news.cancel()
                continue
            await self.pause(move.think)
            if self.decide() is move:  # still offered, as it was (else: look again)
                await self._do(move)

    async def _do(self, move: Move) -> None:
        mine_before = self._my_cards()
        answer = await self._patiently(lambda: self.phone.post(move.form, move.data))
        if answer.status_code == 200:
            self.done.add(move.key)
            self.count[move.key.rsplit(":", 1)[0]] += 1
            for card in self._my_cards() - mine_before:  # the card just written: sorted later, by its theme
                self.themes[card] = move.theme
        elif answer.status_code == 429:  # a limit: wait as long as the server asks
            await asyncio.sleep(min(600, int(answer.headers.get("retry-after", "5"))))
        elif answer.status_code == 404 and not await self._patiently(self.phone.here):
            raise Gone
        else:  # refused (the round moved on, a dot spent meanwhile): look again; refused twice, let it be
            self.failed[move.key] += 1
            if self.failed[move.key] >= 2:
                self.done.add(move.key)
            if answer.status_code >= 500:
                await asyncio.sleep(2)

    def _my_cards(self) -> set[str]:
        return {f.hidden.get("card", "") for f in self.phone.forms("mine", "cards/delete")}

    # -- what to do next -------------------------------------------------------------------------------------------

    def decide(self) -> Move | None:
        """The first thing the phone offers that this person has not done; the same move while it stands."""
        return next(self._offered(), None)

    def _plan(self, key: str, form: Form, think: float, choose: Callable[[], Move | None]) -> Iterator[Move]:
        """The move for `key`: as planned before (on the form as it is now), or chosen now (choices are made once:
        a line taken from the script is not taken twice)."""
        if key in self.done:
            return
        known = self.planned.get(key)
        if known is None:
            chosen = choose()
            if chosen is None:
                self.done.add(key)
                return
            known = self.planned[key] = Move(key, think, form, chosen.data, chosen.theme)
        elif known.form != form:
            known = self.planned[key] = Move(key, known.think, form, known.data, known.theme)
        yield known

    def _offered(self) -> Iterator[Move]:
        phone = self.phone
        for form in phone.forms("mine", "vote"):
            yield from self._vote(form)
        for form in phone.forms("mine", "polls/answer"):
            yield from self._answer(form)
        yield from self._dot(phone.forms("mine", "dots/add"))
        for form in phone.forms("mine", "cards"):
            yield from self._card(form)
        yield from self._sort(phone.forms("stage", "cards/move"))
        for form in phone.forms("mine", "entries"):
            yield from self._entry(form, phone.text("mine"))

    def _vote(self, form: Form) -> Iterator[Move]:
        item, round_ = form.hidden.get("item", ""), form.hidden.get("round", "")
        cards = [b.value for b in form.buttons if b.name == "card" and not b.disabled]
        if not cards or any(b.pressed for b in form.buttons):
            return  # voted already (this phone shows the chosen card)

        def choose() -> Move:
            card, reason = self.script.vote(self.rng, item, round_, cards)
            return Move("", 0, form, {"card": card, "reason": reason})

        yield from self._plan(f"vote:{item}:{round_}", form, self.rng.uniform(4, 20), choose)

    def _answer(self, form: Form) -> Iterator[Move]:
        if any(b.pressed for b in form.buttons) or any(form.checks.values()) or form.typed.get("text"):
            return  # answered already
        choices = [b.value for b in form.buttons if b.name == "choice"]

        def choose() -> Move | None:
            if "text" in form.typed:
                word = self.script.word()
                return Move("", 0, form, {"text": word}) if word else None
            if form.checks:
                ticked = self.rng.sample(sorted(form.checks), min(len(form.checks), self.rng.choice((1, 1, 2))))
                return Move("", 0, form, {name: "on" for name in ticked})
            if not choices:
                return None
            lean = 0.6 * (len(choices) - 1)  # a scale or the faces: a little to the good side
            weights = [1 + 2 * (1 - abs(n - lean) / len(choices)) for n in range(len(choices))]
            return Move("", 0, form, {"choice": self.rng.choices(choices, weights=weights)[0]})

        yield from self._plan(f"poll:{form.hidden.get('poll', '')}", form, self.rng.uniform(3, 12), choose)

    def _dot(self, forms: list[Form]) -> Iterator[Move]:
        open_targets = {f.hidden.get("target", ""): f for f in forms if any(not b.disabled for b in f.buttons)}
        if not open_targets:
            return  # none left, or no dot vote
        activity = next(iter(open_targets.values())).hidden.get("activity", "")
        placed = self.count[f"dot:{activity}"]
        key = f"dot:{activity}:{placed}"
        known = self.planned.get(key)
        if known is not None and known.form.hidden.get("target") not in open_targets:
            del self.planned[key]  # that one closed meanwhile: choose again
            known = None
        if known is not None:
            form = open_targets[known.form.hidden.get("target", "")]
        else:
            form = open_targets[self.script.favourite(self.rng, activity, [*open_targets])]
        think = self.rng.uniform(4, 12) if not placed else self.rng.uniform(3, 9)
        yield from self._plan(key, form, think, lambda: Move("", 0, form, {}))

    def _card(self, form: Form) -> Iterator[Move]:
        activity = form.hidden.get("activity", "")
        written = self.count[f"card:{activity}"]
        if written >= self.cards_to_write:
            return

        def choose() -> Move | None:
            line = self.script.card()
            return Move("", 0, form, {"text": line[1], "once": secrets.token_hex(12)}, line[0]) if line else None

        think = self.rng.uniform(8, 25) if not written else self.rng.uniform(20, 50)
        yield from self._plan(f"card:{activity}:{written}", form, think, choose)

    def _sort(self, forms: list[Form]) -> Iterator[Move]:
        """My cards into the theme they belong to, where participants may sort and that theme is there (by its
        title); anything else is left to the facilitator."""
        for form in forms:
            card = form.hidden.get("card", "")
            theme = self.themes.get(card, "").casefold()
            target = next((v for v, label in form.options.get("to", []) if theme and label.casefold() == theme), None)
            if target is None or form.selected.get("to") == target:
                continue
            yield from self._plan(f"sort:{card}", form, self.rng.uniform(10, 30), self._to(form, target))

    @staticmethod
    def _to(form: Form, target: str) -> Callable[[], Move]:
        return lambda: Move("", 0, form, {"to": target})

    def _entry(self, form: Form, about: str) -> Iterator[Move]:
        board = form.hidden.get("board", "")
        written = self.count[f"entry:{board}"]
        if written >= self.entries_to_write:
            return

        def choose() -> Move | None:
            section, text = self.script.entry(self.rng, board, about, form.options.get("section", []))
            typed = {"section": section, "text": text, "once": secrets.token_hex(12)}
            return Move("", 0, form, typed) if text else None

        think = self.rng.uniform(10, 30) if not written else self.rng.uniform(20, 45)
        yield from self._plan(f"entry:{board}:{written}", form, think, choose)
