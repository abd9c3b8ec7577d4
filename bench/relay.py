"""The floor for bench.compare: a bare WebSocket relay, no rendering, no Redis, no HTTP.

    python -m bench.relay [--host 127.0.0.1] [--port 8765]

It keeps rooms of sockets (the room is the request path, e.g. ``/r/ABCD/ws``). A socket that arrives gets one
small frame with the room's current count (its "snapshot"); when any socket of a room sends a message, the room's
count goes up by one and a small frame with the new count is broadcast to every socket of the room, the sender
included. Frames look like the app's stage region as far as the benchmark reads them
(``<p class="progress-text"><strong>k</strong> von N``), so the same client code checks both.

This is a lower bound, not the same protocol: a "vote" here is a message over the voter's own socket (no HTTP
request, no cookie, no checks, no storage, no rounds), the frame is a few dozen bytes instead of rendered HTML, and
nothing else (presence, headcount) is pushed. Whatever the app does on top of this is what the ratios measure.
It prints "relay listening on ws://HOST:PORT" once it accepts connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import signal

from websockets.asyncio.server import ServerConnection, broadcast, serve


class Room:
    __slots__ = ("sockets", "count")

    def __init__(self) -> None:
        self.sockets: set[ServerConnection] = set()
        self.count = 0


ROOMS: dict[str, Room] = {}


def frame(room: Room) -> str:
    voters = max(len(room.sockets) - 1, 0)  # like the app: the projector does not vote
    return f'<section id="stage"><p class="progress-text"><strong>{room.count}</strong> von {voters}</p></section>'


async def handler(ws: ServerConnection) -> None:
    path = ws.request.path if ws.request else "/"
    room = ROOMS.get(path)
    if room is None:
        room = ROOMS[path] = Room()
    room.sockets.add(ws)
    try:
        await ws.send(frame(room))
        async for _message in ws:
            room.count += 1
            broadcast(room.sockets, frame(room))
    finally:
        room.sockets.discard(ws)
        if not room.sockets:
            ROOMS.pop(path, None)


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def main(host: str, port: int) -> None:
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    # No compression (the app has none either); pings like uvicorn's, every 20 s.
    async with serve(handler, host, port, compression=None, max_size=64 * 1024, ping_interval=20):
        print(f"relay listening on ws://{host}:{port} (open files: {raise_open_files()})", flush=True)
        await stop


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-uvloop", action="store_true", help="plain asyncio (default: uvloop if installed)")
    args = parser.parse_args()
    if not args.no_uvloop:
        with contextlib.suppress(ImportError):
            import uvloop

            uvloop.run(main(args.host, args.port))
            return
    asyncio.run(main(args.host, args.port))


if __name__ == "__main__":
    cli()
