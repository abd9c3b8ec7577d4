"""A simulated phone: a browser reduced to what a person uses in a workshop. It joins through the join form, keeps
its signed cookie, opens the room socket as the phone page does, keeps the latest version of every region it was
sent, and submits the forms those regions hold, as htmx posts them. It has no way into the room but the one every
phone has."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ..web.sessions import COOKIE

# What Chromium sends with a same-origin htmx post under Referrer-Policy: no-referrer.
POST_HEADERS = {"HX-Request": "true", "Origin": "null", "Sec-Fetch-Site": "same-origin"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Gone(Exception):
    """The room is gone (deleted, or never there): the phone has nothing left to do."""


class Busy(Exception):
    """The server asks to come back later (a limit: 429 with Retry-After; or 503): after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _check(answer: httpx.Response) -> httpx.Response:
    if answer.status_code == 404:
        raise Gone
    if answer.status_code == 429:
        raise Busy(float(answer.headers.get("retry-after", "5")))
    if answer.status_code >= 500:
        raise Busy(2)
    return answer


@dataclass
class Button:
    name: str
    value: str
    disabled: bool = False
    pressed: bool = False


@dataclass
class Form:
    """A form as a person sees it: where it goes, what it carries already, and what can be typed, chosen, ticked."""

    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    buttons: list[Button] = field(default_factory=list)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select -> (value, label), in order
    selected: dict[str, str] = field(default_factory=dict)  # select -> the value it shows
    typed: dict[str, str] = field(default_factory=dict)  # text fields -> what they hold
    checks: dict[str, bool] = field(default_factory=dict)  # checkboxes -> ticked

    @property
    def path(self) -> str:
        """The command: the last part of /r/CODE/<path>."""
        return self.action.split("/", 3)[3] if self.action.count("/") >= 3 else self.action


@dataclass
class Region:
    """A top-level element with an id, as the htmx ws extension swaps it: its forms and its text."""

    forms: list[Form] = field(default_factory=list)
    text: str = ""


class _Regions(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.regions: dict[str, Region] = {}
        self._depth = 0
        self._region: str | None = None
        self._form: Form | None = None
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._depth == 0 and "id" in a:
            self._region = a["id"]
            self.regions[self._region] = Region()
        if tag not in _VOID:
            self._depth += 1
        if self._region is None:
            return
        if tag == "form":
            self._form = Form(a.get("action", ""))
            self.regions[self._region].forms.append(self._form)
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self._form.hidden[name] = a.get("value", "")
            elif kind == "checkbox":
                self._form.checks[name] = "checked" in a
            elif kind not in ("submit", "button", "file"):
                self._form.typed[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._form.typed[name] = ""
        elif tag == "button" and a.get("type", "submit") == "submit":
            pressed = a.get("aria-pressed") == "true"
            self._form.buttons.append(Button(name, a.get("value", ""), "disabled" in a, pressed))
        elif tag == "select" and name:
            self._select = name
            self._form.options[name] = []
        elif tag == "option" and self._select:
            self._option, self._label = (a.get("value", ""), "selected" in a), ""

    def handle_data(self, data: str) -> None:
        if self._region is not None:
            self.regions[self._region].text += data
        if self._option is not None:
            self._label += data

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "option" and self._option is not None and self._form is not None and self._select:
            value, chosen = self._option
            self._form.options[self._select].append((value, " ".join(self._label.split())))
            if chosen or self._select not in self._form.selected:
                self._form.selected[self._select] = value
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            self._region = None


def regions_of(html: str) -> dict[str, Region]:
    parser = _Regions()
    parser.feed(html)
    parser.close()
    return parser.regions


class Phone:
    """One person's browser in one room, against the app at `base` (its own address, as the process listens)."""

    def __init__(self, base: str, code: str) -> None:
        self.base = base.rstrip("/")
        self.code = code
        self.cookie = ""
        self.http = httpx.AsyncClient(base_url=self.base, timeout=15.0)
        self.regions: dict[str, Region] = {}
        self.news = asyncio.Event()  # set whenever a region arrives
        self.socket: ClientConnection | None = None

    async def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()
        await self.http.aclose()

    def _headers(self, extra: Mapping[str, str] = {}) -> dict[str, str]:
        return {**extra, "Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else dict(extra)

    async def join(self, name: str, org: str) -> None:
        """Through the join form, as someone who scanned the QR code: the cookie it sets is who this phone is."""
        page = _check(await self.http.get(f"/j/{self.code}"))
        forms = regions_of(f'<div id="page">{page.text}</div>')["page"].forms
        form = next((f for f in forms if f.action == f"/j/{self.code}"), None)
        if form is None or "pid" not in form.hidden:
            raise Gone
        data = {"pid": form.hidden["pid"], "name": name}
        if "org" in form.typed:
            data["org"] = org
        answer = _check(await self.http.post(f"/j/{self.code}", data=data, headers=POST_HEADERS))
        if answer.status_code != 303:  # refused (the room closed to joining, say): nothing to do here
            raise Gone
        for header in answer.headers.get_list("set-cookie"):
            if header.startswith(f"{COOKIE}="):
                self.cookie = header.split(";", 1)[0].split("=", 1)[1]
        if not self.cookie:
            raise Gone

    async def connect(self) -> None:
        """The phone page's socket; its first frame is the whole phone."""
        url = self.base.replace("http", "ws", 1) + f"/r/{self.code}/ws?view=participant"
        headers = self._headers({"Origin": self.base})
        self.socket = await connect(url, additional_headers=headers, max_size=4 * 2**20, open_timeout=15)

    async def listen(self) -> int:
        """Read frames until the socket closes; the close code (1006 if none came)."""
        assert self.socket is not None
        try:
            async for frame in self.socket:
                self._take(frame if isinstance(frame, str) else frame.decode())
        except ConnectionClosed:
            pass
        close = self.socket.close_code
        return 1006 if close is None else close

    def _take(self, html: str) -> None:
        self.regions.update(regions_of(html))
        self.news.set()

    async def post(self, form: Form, data: Mapping[str, str]) -> httpx.Response:
        """Submit a form with what was typed or chosen; the answer's regions (the asker's own) are taken like a
        frame."""
        answer = await self.http.post(form.action, data={**form.hidden, **data}, headers=self._headers(POST_HEADERS))
        if answer.status_code == 200 and answer.text:
            self._take(answer.text)
        return answer

    async def here(self) -> bool:
        """Whether the room still has this phone: not when its page is not found or sends it to the join form (a
        refusal for now, a 429 or a 503, leaves it here)."""
        page = await self.http.get(f"/r/{self.code}", headers=self._headers())
        return page.status_code not in (303, 404)

    def forms(self, region: str, path: str) -> list[Form]:
        found = self.regions.get(region)
        return [f for f in found.forms if f.path == path] if found else []

    def text(self, region: str) -> str:
        found = self.regions.get(region)
        return " ".join(found.text.split()) if found else ""
