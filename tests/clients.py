"""Test clients that behave like the browsers: cookies over HTTP, and the room socket like htmx's ws extension."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from bs4 import BeautifulSoup

HX = {"HX-Request": "true"}
# What Chromium sends on a same-origin form post under Referrer-Policy: no-referrer.
BROWSER_POST = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
WAIT = 10.0  # seconds; an upper bound for "soon", never a sleep
# The whole suite comes from one address (and other developers' runs share this Redis and 127.0.0.1): per-address
# limits this high never stop it. tests/test_limits.py starts its own servers with low limits and addresses of
# their own.
TEST_RATES = {"WORKSHOP_RATE_LIMITS": "lookups=100000/1m, rooms=100000/1m, restores=100000/1m, sockets=100000/1m"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    log: Path
    written: threading.Condition = field(default_factory=threading.Condition)  # notified after each output line

    def kill(self) -> None:
        """A hard kill of the app (SIGKILL), as a crash or an OOM would do it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, check: Callable[[str], bool], timeout: float = WAIT) -> str:
        """The output once `check(output)` holds (or after `timeout`): each line the server writes wakes the wait."""
        with self.written:
            self.written.wait_for(lambda: check(self.output()), timeout)
        return self.output()


@contextlib.contextmanager
def start_server(
    data_dir: Path,
    *,
    redis_url: str | None = None,
    port: int | None = None,
    command: list[str] | None = None,
    cwd: Path | None = None,
    args: tuple[str, ...] = ("serve",),
    **env: str,
) -> Iterator[Server]:
    """`workshop serve` in its own process; embedded Redis in data_dir unless redis_url is given. `command` runs
    another `workshop` (an installed one: its console script), in `cwd`; `args` another subcommand (`demo …`).

    Ready when uvicorn says it is running: it binds the port after the lifespan started, which waits for Redis.
    """
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    environ = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_ROOM_TTL": "1h", **TEST_RATES, **env}
    environ.pop("REDIS_URL", None)
    if redis_url:
        environ["REDIS_URL"] = redis_url
    log = data_dir / f"app-{port}.log"
    process = subprocess.Popen(
        [*(command or [sys.executable, "-m", "workshop"]), *args, "--port", str(port)],
        env=environ,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    ready = threading.Event()
    server = Server(f"http://127.0.0.1:{port}", process, data_dir, log)
    copier = threading.Thread(target=_copy_output, args=(process, log, ready, server.written), daemon=True)
    copier.start()
    try:
        if not ready.wait(timeout=30) or process.poll() is not None:
            raise RuntimeError(f"server did not start:\n{server.output()}")
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        copier.join(timeout=5)


def _copy_output(
    process: subprocess.Popen[bytes], log: Path, ready: threading.Event, written: threading.Condition
) -> None:
    assert process.stdout is not None
    with process.stdout, log.open("ab") as out:
        for line in process.stdout:
            with written:
                out.write(line)
                out.flush()
                written.notify_all()
            if b"Uvicorn running on" in line:  # logged once the port is bound, after the lifespan started
                ready.set()
    ready.set()  # the process ended: let the waiter see it


def regions_of(html: str) -> dict[str, str]:
    """The top-level elements with an id, as the htmx ws extension swaps them."""
    soup = BeautifulSoup(html, "html.parser")
    return {el["id"]: str(el) for el in soup.find_all(True, recursive=False) if el.get("id")}


def swap(shown: dict[str, str], html: str) -> None:
    """Swap a frame's (or an htmx answer's) regions into what a page shows, as static/app.js does: a region of an
    older revision of the room (data-r) than the one shown is ignored."""
    for region, fresh in regions_of(html).items():
        if _revision(fresh) >= _revision(shown.get(region, "")):
            shown[region] = fresh


def _revision(html: str) -> int:
    found = re.search(r'data-r="(\d+)"', html[:400])
    return int(found[1]) if found else -1


def text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


@dataclass
class Socket:
    """A live connection to the room socket; keeps the latest version of every region it was sent."""

    ws: Any
    view: str = ""  # participant, facilitator, projector, observer (with its query: "facilitator&group=…")
    regions: dict[str, str] = field(default_factory=dict)
    frames: list[str] = field(default_factory=list)

    async def until(self, check: Callable[[dict[str, str]], bool], timeout: float = WAIT) -> dict[str, str]:
        """Read frames until `check(regions)` holds: what a user would wait for on screen."""
        async with asyncio.timeout(timeout):
            while not check(self.regions):
                frame = await self.ws.recv()
                self.frames.append(frame)
                swap(self.regions, frame)
        return self.regions

    def region_text(self, region: str) -> str:
        return text(self.regions.get(region, ""))

    async def send(self, message: str | bytes) -> None:
        await self.ws.send(message)


async def _like_a_browser(request: httpx.Request) -> None:
    """Posts carry what Chromium sends on a same-origin form post, unless a test sets its own."""
    if request.method == "POST" and "origin" not in request.headers and "sec-fetch-site" not in request.headers:
        request.headers.update(BROWSER_POST)


class Person:
    """A browser: a cookie jar for HTTP, and sockets opened with its cookies and the app's Origin."""

    def __init__(self, base: str, code: str = "", *, address: str | None = None) -> None:
        self.base = base
        self.code = code
        # A client address of its own, as a proxy names it (the app trusts X-Forwarded-For from 127.0.0.1).
        self.forwarded = {"X-Forwarded-For": address} if address else {}
        self.http = httpx.AsyncClient(
            base_url=base, timeout=WAIT, headers=self.forwarded, event_hooks={"request": [_like_a_browser]}
        )
        self.sockets: list[Socket] = []

    async def close(self) -> None:
        for s in self.sockets:
            await s.ws.close()
        await self.http.aclose()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies.jar)

    async def connect(self, view: str, origin: str | None = None) -> Socket:
        url = self.base.replace("http://", "ws://") + f"/r/{self.code}/ws?view={view}"
        # A browser reads every frame; unbounded buffering lets a test read only what it waits for.
        headers = {"Cookie": self.cookie_header(), "Origin": origin or self.base, **self.forwarded}
        ws = await websockets.connect(url, max_queue=None, additional_headers=headers)
        sock = Socket(ws, view)
        self.sockets.append(sock)
        return sock

    async def post(self, path: str, **data: Any) -> httpx.Response:
        """An htmx post; its answer's regions are swapped into the page it came from, as htmx does: what this
        browser's phone or console socket shows includes them (the socket does not send again what the answer
        brought); a projector is another page."""
        response = await self.http.post(f"/r/{self.code}{path}", data={k: str(v) for k, v in data.items()}, headers=HX)
        if response.status_code == 200 and response.headers.get("content-type", "").startswith("text/html"):
            for sock in self.sockets:
                if sock.view.startswith(("participant", "facilitator")):
                    swap(sock.regions, response.text)
        return response

    async def page(self, path: str = "") -> str:
        response = await self.http.get(f"/r/{self.code}{path}")
        response.raise_for_status()
        return response.text


class Participant(Person):
    name: str

    @classmethod
    async def join(
        cls, base: str, code: str, name: str = "", org: str = "", observer: bool = False, *, address: str | None = None
    ) -> Participant:
        person = cls(base, code, address=address)
        form = await person.http.get(f"/j/{code}")
        form.raise_for_status()
        pid = re.search(r'name="pid" value="([^"]+)"', form.text)
        assert pid, form.text
        data = {"pid": pid[1], "name": name, "org": org}
        if observer:
            data["observer"] = "on"
        response = await person.http.post(f"/j/{code}", data=data)
        assert response.status_code == 303, response.text
        person.name = name
        return person

    async def arrive(self) -> Socket:
        """Open the phone: its socket, connected and shown as such (its first frame says so already)."""
        phone = await self.connect("participant")
        await phone.until(lambda r: "stage" in r)
        return phone

    async def vote(self, item: str, round_: int, card: str, reason: str = "") -> httpx.Response:
        return await self.post("/vote", item=item, round=round_, card=card, reason=reason)


class Facilitator(Person):
    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls, base: str, title: str, *, address: str | None = None, **options: str
    ) -> AsyncIterator[Facilitator]:
        fac = cls(base, address=address)
        response = await fac.http.post("/rooms", data={"title": title, **options})
        assert response.status_code == 303, response.text
        fac.code = response.headers["location"].split("/r/")[1].split("/")[0]
        try:
            yield fac
        finally:
            await fac.close()

    async def add_item(self, question: str, deck: str = "fibonacci", cards: str = "", start: bool = True) -> str:
        data = {"question": question, "deck": deck, "cards": cards}
        if start:
            data["start"] = "on"
        response = await self.post("/items", **data)
        assert response.status_code == 200, response.text
        return self.current(response.text)[0]

    def current(self, html: str) -> tuple[str, int]:
        """The open item and round, as the facilitator's reveal (or re-vote) button carries them."""
        soup = BeautifulSoup(html, "html.parser")
        form = soup.select_one("#stage form")
        assert form is not None, "no item on stage"
        return form.select_one("[name=item]")["value"], int(form.select_one("[name=round]")["value"])

    async def reveal(self, item: str, round_: int) -> httpx.Response:
        return await self.post("/reveal", item=item, round=round_)

    async def new_round(self, item: str, round_: int) -> httpx.Response:
        return await self.post("/round", item=item, round=round_)


def resync() -> str:
    return json.dumps({"type": "resync"})
