"""The room socket: pushes the live regions of a page, and a full snapshot on every (re)connect.

Commands arrive over HTTP; the socket only pushes. It reads one kind of message, ``{"type": "resync"}``, which a
phone sends when it comes back from the background; anything else gets a visible notice and the socket stays open.
Each connection has one pending region per id: a slow phone gets the newest state, never a growing queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import redis
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..domain import codes
from ..domain.errors import N_, ROOM_NOT_FOUND, DomainError
from ..domain.visibility import Actor, Claims, Viewer, actor_of, socket_viewer, still_allowed
from ..hub import Hub
from ..mirror import RawRoom
from ..store import Store
from . import untrusted
from .requests import actor_now, language, unknown_room
from .templating import Languages, Templates
from .views import Snapshot

log = logging.getLogger(__name__)

MESSAGES_PER_MINUTE = 120  # a phone sends a handful; a flood is closed
MESSAGE_MAX, MESSAGE_DEPTH = 1024, 4  # what a message may be to be read at all (a resync is 18 characters)
NOT_YOURS = N_("Diese Ansicht ist für dich nicht freigegeben.")
TOO_MANY_TABS = N_(
    "Dieser Workshop ist für dich schon in {most} Fenstern offen. Bitte eines schließen; dieses verbindet sich dann "
    "von selbst."
)
SIGNED_OUT = N_(
    "Dieses Gerät moderiert nicht mehr: Der Moderationslink wurde erneuert oder alle anderen Geräte wurden abgemeldet."
)
STORAGE_LOST = N_(
    "Der Server erreicht seinen Speicher gerade nicht. Was hier steht, ist vielleicht nicht aktuell; die Verbindung "
    "wird wiederhergestellt …"
)
CALM = frozenset({"people", "arrivals", "presence"})  # keys a phone shows only as counts
CALM_SECONDS = 0.5  # how long such news may wait for phones
PHONES = frozenset({"participant", "observer"})
HEARTBEAT_SECONDS = 20  # how often a process renews the presence of its open connections (they count for 60 s)


class Connection:
    def __init__(self, websocket: WebSocket, viewer: Viewer, claims: Claims, actor: Actor, lang: str) -> None:
        self.id = secrets.token_urlsafe(8)
        self.websocket = websocket
        self.viewer = viewer
        self.lang = lang  # the browser's language, chosen at the handshake
        self.claims = claims  # what the cookie said, and whom it made this socket's holder then
        self.actor = actor
        self.sent: dict[str, str] = {}
        self.keys: dict[str, object] = {}  # what this browser's personal regions showed, to skip unchanged ones
        self.pending: dict[str, str] = {}
        self.ready = asyncio.Event()
        self.closing = False  # the room is gone: say so, then close (1008: htmx does not retry)

    def offer(self, regions: dict[str, str]) -> None:
        """Queue the regions that differ from what this browser has."""
        for region, html in regions.items():
            if self.sent.get(region) != html:
                self.pending[region] = self.sent[region] = html
        if self.pending:
            self.ready.set()

    def push(self, region: str, html: str) -> None:
        self.pending[region] = html
        self.ready.set()

    async def write(self, timeout: float) -> None:
        """Send what is pending, newest state only, until closed. A send that cannot complete within `timeout`
        (the browser stopped reading: its buffers are full) ends the connection, with TimeoutError."""
        while True:
            await self.ready.wait()
            self.ready.clear()
            payload, self.pending = "".join(self.pending.values()), {}
            async with asyncio.timeout(timeout):
                await self.websocket.send_text(payload)
            if self.closing:
                await self.websocket.close(code=1008)
                return


class RoomFeed:
    """This process's sockets of one room, refreshed together after each change (changes coalesce). The room is
    this process's mirror of it (workshop/mirror.py): a change is replayed, not read back from Redis."""

    def __init__(self, code: str, store: Store, languages: Languages) -> None:
        self.code = code
        self.store = store
        self.languages = languages
        self.mirror = store.follow(code)
        self.connections: set[Connection] = set()
        self.changed = asyncio.Event()
        self.kept: dict[Any, str] = {}  # regions rendered for the last change that still hold (web/views.py)
        self._seen: tuple[int, dict[str, int]] = (0, {})  # the copy's reading and its writes, at the last round
        self._flush = False  # the phones' turn has come (see `_audience`)
        self._later: asyncio.TimerHandle | None = None
        self._aging: asyncio.TimerHandle | None = None  # when someone shown as connected stops counting
        self.task = asyncio.create_task(self._run())

    def heard(self, news: str) -> None:
        """The room changed (`news`: what its change published)."""
        self.mirror.hear(news)
        self.changed.set()

    async def _run(self) -> None:
        while True:
            await self.changed.wait()
            self.changed.clear()
            try:
                loaded = await self.store.load_with_links(self.code)
            except (redis.ConnectionError, redis.TimeoutError, OSError):
                log.warning("room feed: redis unreachable; retrying")
                self.mirror.stale = True
                await asyncio.sleep(1)
                self.changed.set()
                continue
            except Exception:  # a bug must not end the feed: this change is skipped, the next one is shown
                log.exception("room feed: could not load the room")
                self.mirror.stale = True
                continue
            if loaded is None:
                for conn in list(self.connections):
                    self._close(conn, ROOM_NOT_FOUND)
                continue
            room, links = loaded
            raw = self.mirror.raw  # what the room was built from, if it came from this process's copy of it
            from_copy = raw is not None and raw.rev == room.rev
            written = self._written_since(raw) if raw is not None and from_copy else None
            audience = self._audience(written)
            snapshot = Snapshot(room, self.languages, raw.version if raw is not None and from_copy else None, self.kept)
            for conn in audience:
                now = actor_of(conn.claims, links) if conn.claims.facilitating else conn.actor
                if not still_allowed(room, conn.viewer, now):
                    # A group facilitator whose group was deleted; or a console whose link was replaced since.
                    self._close(conn, SIGNED_OUT if still_allowed(room, conn.viewer, conn.actor) else NOT_YOURS)
                    continue
                try:
                    conn.offer(snapshot.regions(conn.viewer, conn.lang, conn.keys))
                except Exception:  # one view failing to render leaves the others, and the feed, running
                    log.exception("room feed: could not render a view")
            self.kept = snapshot.kept
            if written is None or "presence" in written or self._aging is None:  # else the due time is as it was
                self._age_later()

    def _age_later(self) -> None:
        """Show the room again when someone counted as connected stops counting with no change at all (a process
        that died without saying goodbye renews no one): its screens count right within the 60 s presence lasts."""
        if self._aging is not None:
            self._aging.cancel()
        due = self.store.presence_due(self.code)
        self._aging = None if due is None else asyncio.get_running_loop().call_later(due + 0.01, self._aged)

    def _aged(self) -> None:
        self._aging = None
        self.store.presence_ran_out(self.code)
        self.changed.set()

    def _written_since(self, raw: RawRoom) -> set[str] | None:
        """The keys written since the last round (None: not known, the room was read whole since)."""
        seen_read, seen = self._seen
        self._seen = (raw.read, dict(raw.written))
        if seen_read != raw.read:
            return None
        return {name for name, n in raw.written.items() if seen.get(name) != n}

    def _audience(self, written: set[str] | None) -> list[Connection]:
        """Who gets this round. A phone shows people only as a count: when nothing but who is in the room and who
        is connected changed (people joining, sockets arriving and leaving), phones that have their page get the
        news together, `CALM_SECONDS` later, so filling a room of 500 is not 500 × 500 pushes; the projector and
        the consoles get it at once. Nothing written at all (a socket arrived, a phone asked to resync): only
        screens that have nothing yet."""
        everyone = list(self.connections)
        if written is None or self._flush or (written and not written <= CALM):
            self._flush = False
            return everyone
        if written and self._later is None:
            self._later = asyncio.get_running_loop().call_later(CALM_SECONDS, self._phones_due)
        return [c for c in everyone if not c.sent or (written and c.viewer.kind not in PHONES)]

    def stop(self) -> None:
        self.task.cancel()
        for timer in (self._later, self._aging):
            if timer is not None:
                timer.cancel()

    def _phones_due(self) -> None:
        self._later = None
        self._flush = True
        self.changed.set()

    def _close(self, conn: Connection, message: str) -> None:
        """Say why, then close (1008: htmx does not retry)."""
        conn.closing = True
        templates = self.languages[conn.lang]
        conn.push("notice", templates.render("_notice.html", message=templates.gettext.gettext(message)))


class Feeds:
    def __init__(self, store: Store, hub: Hub, languages: Languages) -> None:
        self.store = store
        self.hub = hub
        self.languages = languages
        self._feeds: dict[str, RoomFeed] = {}
        hub.watch(self._storage)

    def _storage(self, up: bool) -> None:
        """Redis went away (every screen here says so: what it shows may be behind), or is back (the notice goes;
        the hub has every room catch up)."""
        notices: dict[str, str] = {}  # rendered once per language
        for feed in self._feeds.values():
            for conn in feed.connections:
                if conn.lang not in notices:
                    templates = self.languages[conn.lang]
                    message = "" if up else templates.gettext.gettext(STORAGE_LOST)
                    notices[conn.lang] = templates.render("_notice.html", message=message)
                conn.push("notice", notices[conn.lang])

    def delivered(self, code: str, pid: str, regions: dict[str, str]) -> None:
        """A person's browser was just answered with these regions (an htmx post): their sockets here count them as
        sent, so the change that follows does not send the same again."""
        feed = self._feeds.get(code)
        for conn in feed.connections if feed else ():
            if conn.viewer.pid == pid:
                conn.sent.update(regions)

    async def heartbeat(self) -> None:
        """Keep the presence of this process's open connections alive in Redis, until cancelled."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for code, feed in list(self._feeds.items()):
                present = [f"{c.id}|{c.viewer.pid}" for c in feed.connections if c.viewer.pid]
                try:
                    await self.store.still_here(code, present)
                except (redis.ConnectionError, redis.TimeoutError, OSError, DomainError):
                    log.warning("presence: could not renew a room's connections")

    @contextlib.asynccontextmanager
    async def attach(self, code: str, conn: Connection) -> AsyncIterator[RoomFeed]:
        feed = self._feeds.get(code)
        if feed is None:
            feed = self._feeds[code] = RoomFeed(code, self.store, self.languages)
        feed.connections.add(conn)
        try:
            with self.hub.listen(code, feed.heard):
                feed.changed.set()  # the new connection's snapshot; the others get only what differs
                yield feed
        finally:
            feed.connections.discard(conn)
            if not feed.connections and self._feeds.get(code) is feed:
                del self._feeds[code]
                feed.stop()
                self.store.unfollow(code)


async def room_socket(websocket: WebSocket) -> None:
    state = websocket.app.state
    lang = language(websocket)
    templates: Templates = state.languages[lang]
    code = codes.normalize(websocket.path_params["code"]) or ""
    await websocket.accept()  # accepted first, so that what follows can be said (closed unaccepted, it reads "403")
    claims = state.cookies.read(websocket).claims(code)
    try:
        room = await state.store.load(code) if code else None
        actor = await actor_now(state.store, code, claims)
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        await websocket.send_text(templates.render("_notice.html", message=templates.gettext.gettext(STORAGE_LOST)))
        await websocket.close(code=1013)  # try again later: the browser reconnects by itself
        return
    if room is None:
        unknown_room(websocket)
    group = websocket.query_params.get("group", "")
    viewer = socket_viewer(room, actor, websocket.query_params.get("view", ""), group) if room else None
    if viewer is None:
        message = ROOM_NOT_FOUND if room is None else NOT_YOURS
        await websocket.send_text(templates.render("_notice.html", message=templates.gettext.gettext(message)))
        await websocket.close(code=1008)  # policy: htmx does not retry
        return
    conn = Connection(websocket, viewer, claims, actor, lang)
    if viewer.pid and not await _arrive(state, code, conn, viewer.pid):
        most = state.settings.sockets_per_person
        text = templates.gettext.gettext(TOO_MANY_TABS).format(most=most)
        await websocket.send_text(templates.render("_notice.html", message=text))
        await websocket.close(code=1013)  # try again later: in when another tab has closed
        return
    try:
        async with state.feeds.attach(code, conn) as feed:
            # Either side ending ends the connection: the browser leaving, or a send that fails (it left, uvicorn
            # gave up on it after an unanswered ping) or cannot complete (it stopped reading). So a frozen phone is
            # let go in a busy room too, where pushes keep the writer going and nothing is ever received.
            writer = asyncio.create_task(conn.write(state.settings.socket_timeout))
            reader = asyncio.create_task(_receive(websocket, conn, feed, templates))
            try:
                await asyncio.wait((writer, reader), return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (writer, reader):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                if writer.done() and not writer.cancelled() and isinstance(writer.exception(), TimeoutError):
                    log.info("room socket: let go of a browser that stopped reading")
    finally:
        if viewer.pid:  # gone (a deleted room, or Redis away: the entry runs out by itself)
            with contextlib.suppress(redis.ConnectionError, redis.TimeoutError, OSError, DomainError):
                await state.store.leave(code, conn.id, viewer.pid)


async def _arrive(state: Any, code: str, conn: Connection, pid: str) -> bool:
    """A person is here: the projector and the console show them as connected. False if they have as many sockets
    in this room open already as one person may (on any process)."""
    with contextlib.suppress(redis.ConnectionError, redis.TimeoutError, OSError, DomainError):
        return bool(await state.store.arrive(code, conn.id, pid, most=state.settings.sockets_per_person))
    return True  # presence is kept as well as Redis allows


async def _receive(websocket: WebSocket, conn: Connection, feed: RoomFeed, templates: Templates) -> None:
    window_start, count = time.monotonic(), 0
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            count += 1
            if time.monotonic() - window_start > 60:
                window_start, count = time.monotonic(), 1
            if count > MESSAGES_PER_MINUTE:
                await websocket.close(code=1008)
                return
            if _is_resync(message.get("text")):
                conn.sent.clear()
                conn.keys.clear()
                feed.changed.set()
            else:
                text = templates.gettext.gettext(N_("Diese Nachricht hat der Server nicht verstanden."))
                conn.push("notice", templates.render("_notice.html", message=text))


def _is_resync(text: str | None) -> bool:
    """A resync is `{"type": "resync"}`: anything long or nested is something else, and is not parsed."""
    if not text or len(text) > MESSAGE_MAX:
        return False
    try:
        data = untrusted.loads(text, max_depth=MESSAGE_DEPTH)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("type") == "resync"
