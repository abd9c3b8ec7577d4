"""A browser that stops reading is let go, busy room or not, against a real server and real clients: a socket that
never reads after its handshake, and a phone whose process is frozen (SIGSTOP). The server runs with a short
WORKSHOP_SOCKET_TIMEOUT (2 s) so the test waits seconds, not a minute; other people vote all the while, so pushes to
the stuck browser never stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from bs4 import BeautifulSoup

from .clients import Facilitator, Participant, Socket, start_server
from .test_boards import BoardRoom

TIMEOUT = "2s"


def shown_online(panel: str, name: str) -> bool:
    """The console's people panel shows `name` as connected."""
    for li in BeautifulSoup(panel, "html.parser").select("#people li"):
        if li.select_one(".person-name") and li.select_one(".person-name").get_text() == name:  # type: ignore[union-attr]
            return "online" in (li.get("class") or [])
    return False


@contextlib.asynccontextmanager
async def busy_room(tmp_path: Path, redis_url: str) -> AsyncIterator[tuple[str, Facilitator, Socket, Participant]]:
    """A server, a room with a board on screen, its console, and Bernd writing long entries one after another: every
    phone is pushed the growing board each time, megabytes within seconds, more than a stuck browser's buffers
    take."""
    with start_server(tmp_path / "data", redis_url=redis_url, WORKSHOP_SOCKET_TIMEOUT=TIMEOUT) as server:
        async with Facilitator.open(server.url, "Hängende Verbindungen") as fac:
            board = await BoardRoom.open(fac, "Sammlung", template="custom", sections="Ideen")
            section = await board.section("Ideen")
            console = await fac.connect("facilitator")
            bernd = await Participant.join(server.url, fac.code, "Bernd")
            await bernd.arrive()

            async def keep_voting() -> None:
                for n in range(10_000):
                    entry = f"Beitrag {n}: " + "Dachflächen für Photovoltaik nutzen. " * 7
                    await bernd.post("/entries", board=board.board, section=section, text=entry[:280])
                    await asyncio.sleep(0.01)

            voting = asyncio.create_task(keep_voting())
            try:
                yield server.url, fac, console, await Participant.join(server.url, fac.code, "Anna")
            finally:
                voting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await voting
                await bernd.close()


def handshake(base: str, anna: Participant) -> socket.socket:
    """Anna's phone socket, opened by hand: after the handshake it never reads again."""
    host, port = base.removeprefix("http://").split(":")
    raw = socket.create_connection((host, int(port)))
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # full soon: the server's sends back up
    request = (
        f"GET /r/{anna.code}/ws?view=participant HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {base}\r\nCookie: {anna.cookie_header()}\r\n\r\n"
    )
    raw.sendall(request.encode())
    return raw


async def test_a_socket_that_never_reads_is_let_go_in_a_busy_room(tmp_path: Path, redis_url: str) -> None:
    async with busy_room(tmp_path, redis_url) as (base, _, console, anna):
        raw = handshake(base, anna)
        try:
            await console.until(lambda r: shown_online(r.get("people", ""), "Anna"), timeout=10)
            # Anna's browser reads nothing from now on, and answers no ping: the server lets her go.
            await console.until(lambda r: not shown_online(r.get("people", ""), "Anna"), timeout=20)
        finally:
            raw.close()
            await anna.close()


PHONE = """
import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1], additional_headers={"Cookie": sys.argv[2], "Origin": sys.argv[3]},
                                  max_queue=None) as ws:
        print("open", flush=True)
        async for _ in ws:
            pass
asyncio.run(main())
"""


async def test_a_frozen_phone_is_let_go_in_a_busy_room(tmp_path: Path, redis_url: str) -> None:
    async with busy_room(tmp_path, redis_url) as (base, _, console, anna):
        url = base.replace("http://", "ws://") + f"/r/{anna.code}/ws?view=participant"
        phone = subprocess.Popen(
            [sys.executable, "-c", PHONE, url, anna.cookie_header(), base], stdout=subprocess.PIPE, text=True
        )
        try:
            assert phone.stdout is not None and phone.stdout.readline().strip() == "open"
            await console.until(lambda r: shown_online(r.get("people", ""), "Anna"), timeout=10)
            os.kill(phone.pid, signal.SIGSTOP)  # the phone's browser hangs: it reads and answers nothing
            await console.until(lambda r: not shown_online(r.get("people", ""), "Anna"), timeout=20)
        finally:
            os.kill(phone.pid, signal.SIGKILL)
            phone.wait()
            if phone.stdout is not None:
                phone.stdout.close()
            await anna.close()
