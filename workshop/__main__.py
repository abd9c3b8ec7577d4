"""`workshop serve`: the one way to start the app, locally and on a platform (see Procfile).

Before uvicorn starts, every setting is checked (a wrong one stops with exit code 2 and one line that says what to
fix) and a REDIS_URL must answer a PING; then the start page's address, the data directory and the Redis in use are
printed, so a first run shows where to go.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import sys
import textwrap
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import uvicorn

from . import __version__
from .app import create_app
from .backup import LINKS, backup, restore
from .config import DOCUMENTED, SettingError, Settings, parse_duration, without_password
from .connection import check_answers, open_redis
from .demo.rehearsals import LASTS, PEOPLE, PEOPLE_MAX, Plan, Rehearsals
from .kinds import KINDS
from .logs import json_line, log_config
from .store import Store

REDIS_TIMEOUT = 3.0  # seconds for the one PING of REDIS_URL before serving
WS_MAX_BYTES = 64 * 1024  # a socket message above this closes with 1009


def settings_help() -> str:
    """Every setting with its default and meaning, from config.DOCUMENTED (the README's table is checked too)."""
    lines = ["settings (environment variables, or a .env file in the working directory):"]
    for name, (default, meaning) in DOCUMENTED.items():
        lines.append(f"  {name} (default: {default})")
        lines += textwrap.wrap(meaning, width=96, initial_indent="      ", subsequent_indent="      ")
    lines.append("  FORWARDED_ALLOW_IPS (default: 127.0.0.1)")
    lines.append("      uvicorn's own: the proxies whose X-Forwarded-* headers are trusted.")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    def formatted(prog: str) -> argparse.HelpFormatter:
        return argparse.RawDescriptionHelpFormatter(prog, max_help_position=28, width=100)

    main = argparse.ArgumentParser(
        prog="workshop",
        description="Real-time workshops from projector to phones: estimates, idea cards, dot votes, boards.",
        epilog=settings_help() + "\n\nStart with `workshop serve`, then open http://127.0.0.1:8000/ in a browser; "
        "or with `workshop demo`,\nfor a rehearsal room with simulated people.",
        formatter_class=formatted,
    )
    main.add_argument("--version", action="version", version=f"workshop {__version__}")
    commands = main.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the app (embedded Redis unless REDIS_URL is set)",
        description="Serve the app. Without REDIS_URL it starts an embedded Redis that keeps its data in\n"
        "WORKSHOP_DATA_DIR. Open the address it prints: the start page opens a room and its facilitator console.",
        epilog=settings_help(),
        formatter_class=formatted,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every network interface, "
        "for phones on the same network or behind a proxy)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--reload", action="store_true", help="restart when the code changes, for development (default: off)"
    )
    demo = commands.add_parser(
        "demo",
        help="serve, with a rehearsal room: the example workshop and simulated people (open the printed link)",
        description='Serve like `workshop serve`, and open a rehearsal room ("Probelauf"): the agenda of a real\n'
        "workshop (Initiativen.Werk 2025) and simulated people who join, vote with justifications, write and\n"
        "sort cards, place dots and fill the board at a human pace, reacting to what the console puts on screen.\n"
        "Open the printed console link, and the projector in a second window. The room deletes itself after\n"
        '--lasts (or when the console deletes it); the start page\'s "Probelauf starten" opens more.',
        epilog=settings_help(),
        formatter_class=formatted,
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    demo.add_argument(
        "--people",
        type=people,
        default=PEOPLE,
        help=f"how many simulated people (1 to {PEOPLE_MAX}, default: {PEOPLE})",
    )
    demo.add_argument(
        "--pace",
        type=pace,
        default=1.0,
        help="how fast they act: 1 is a human pace, 0.2 five times as fast (default: 1)",
    )
    demo.add_argument(
        "--lasts",
        type=duration,
        default=LASTS,
        help="how long the room lives: 3h, 90m, 45s (default: 3h; at most WORKSHOP_ROOM_TTL)",
    )
    backup = commands.add_parser(
        "backup",
        help="write every live room to DIR as a JSON archive, one file per room",
        description="Write every live room (in REDIS_URL's Redis, or the embedded one of WORKSHOP_DATA_DIR,\n"
        "running or not) to DIR as a JSON archive named after its code, readable by its owner only.\n"
        "Facilitator links and the votes of rounds not yet revealed are never archived. Use a new DIR for\n"
        "each backup.",
        formatter_class=formatted,
    )
    backup.add_argument("directory", metavar="DIR", help="where the archives go (created if missing)")
    restore = commands.add_parser(
        "restore",
        help="restore every archive in DIR as a room (new codes unless --keep-codes)",
        description="Restore every DIR/*.json archive as a room, with a new code and a new facilitator link each\n"
        f"(written to DIR/{LINKS}, readable by its owner only, never printed).",
        formatter_class=formatted,
    )
    restore.add_argument("directory", metavar="DIR", help="a directory written by `workshop backup`")
    restore.add_argument(
        "--keep-codes",
        action="store_true",
        help="give each room its old code back (from the file's name); a live room with that code is left alone",
    )
    return main


def people(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= PEOPLE_MAX:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 1 to {PEOPLE_MAX}")
    return int(text)


def pace(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0.001 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a pace: use e.g. 1 (human), 0.2 (five times as fast)")
    return value


def duration(text: str) -> float:
    try:
        seconds = parse_duration(text)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration: use e.g. 3h, 90m, 45s")
    return seconds


def stop(message: str) -> NoReturn:
    print(f"workshop: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def start_page(host: str, port: int) -> str:
    """The address to open in a browser on this machine."""
    if host in ("0.0.0.0", ""):
        return f"http://127.0.0.1:{port}/"
    if host == "::":
        return f"http://[::1]:{port}/"
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"http://[{host}]:{port}/"
    except ValueError:
        pass  # a name
    return f"http://{host}:{port}/"


def preflight(settings: Settings) -> tuple[str, str]:
    """Check what can be checked before serving; what to say on the way in: the Redis, the data directory."""
    if settings.redis_url:
        shown = without_password(settings.redis_url)
        problem = check_answers(settings.redis_url, timeout=REDIS_TIMEOUT)
        if problem:
            stop(f"REDIS_URL {shown} {problem}")
        redis_line = f"{shown} (REDIS_URL)"
        data_line = f"{settings.data_dir.resolve()} (not used: the data lives in that Redis)"
    else:
        data_dir = settings.data_dir.resolve()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            stop(f"WORKSHOP_DATA_DIR {data_dir} cannot be created ({error.strerror}): choose a directory you may write")
        redis_line = "embedded (its append-only file, socket and log are in the data directory)"
        data_line = str(data_dir)
    return redis_line, data_line


def backup_or_restore(args: argparse.Namespace, settings: Settings) -> None:
    """`workshop backup DIR` and `workshop restore DIR`, against the Redis `workshop serve` would use."""
    directory = Path(args.directory)

    async def run() -> None:
        async with open_redis(settings) as client:
            store = Store(client, settings.room_ttl, KINDS)
            if args.command == "backup":
                written = await backup(store, directory)
                print(f"workshop: {len(written)} room(s) backed up to {directory.resolve()}", flush=True)
                return
            if not directory.is_dir():
                stop(f"{directory} is not a directory: give the one `workshop backup` wrote")
            result = await restore(store, directory, keep_codes=args.keep_codes, public_url=settings.public_url or "")
            how = "with their old codes" if args.keep_codes else "with new codes"
            print(f"workshop: {len(result.rooms)} room(s) restored {how}", flush=True)
            if result.rooms:
                print(f"  Their new facilitator links: {(directory / LINKS).resolve()}", flush=True)
            for name, why in result.skipped + result.failed:
                print(f"  {name}: {why}", flush=True)
            if result.failed:
                raise SystemExit(1)

    asyncio.run(run())


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_environ()
    except SettingError as error:
        stop(str(error))
    if args.command in ("backup", "restore"):
        preflight(settings)
        backup_or_restore(args, settings)
        return
    redis_line, data_line = preflight(settings)
    url = start_page(args.host, args.port)
    listening = " (listening on every interface)" if args.host in ("0.0.0.0", "::", "") else ""
    if settings.log_format == "json":  # every line of the output is one JSON object
        summary = dict(version=__version__, url=url, redis=redis_line, data_directory=data_line)
        print(json_line(event="start", message=f"workshop {__version__}: open {url}", **summary), flush=True)
    else:
        print(f"workshop {__version__}: open {url}{listening}", f"  Redis:          {redis_line}", sep="\n")
        print(f"  Data directory: {data_line}", flush=True)
        if settings.public_url:
            print(f"  Join links:     {settings.public_url} (WORKSHOP_PUBLIC_URL)", flush=True)
        if args.command == "serve":
            print(f"  First run: open {url}, open a room there, and you are on its facilitator console.", flush=True)
    if args.command == "demo":
        settings = replace(settings, rehearsals=max(1, settings.rehearsals))
        plan = Plan(people=args.people, pace=args.pace, lasts=args.lasts)
        app = create_app(settings, rehearsal=plan, on_start=rehearsal(settings, url, args.host))
        uvicorn.run(app, host=args.host, port=args.port, **_serving(settings))
        return
    uvicorn.run(
        "workshop.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        **_serving(settings),
    )


def _serving(settings: Settings) -> dict[str, Any]:
    """uvicorn's options, the same for `serve` and `demo`."""
    return dict(
        access_log=settings.access_log,  # off by default; where on, room codes are redacted like everywhere
        log_config=log_config(settings.log_format),
        proxy_headers=True,  # trusts X-Forwarded-* only from FORWARDED_ALLOW_IPS (uvicorn's, default 127.0.0.1)
        ws_max_size=WS_MAX_BYTES,
        ws_per_message_deflate=False,
        ws_ping_interval=settings.socket_timeout,  # a browser that does not answer a ping in time is let go
        ws_ping_timeout=settings.socket_timeout,
        timeout_graceful_shutdown=5,
    )


def rehearsal(settings: Settings, url: str, host: str) -> Callable[[Rehearsals], Awaitable[None]]:
    """What `workshop demo` does once the app has started: open a rehearsal room and say where its console is. Its
    people reach the app at the address it listens on (this machine's, for every interface)."""

    async def open_one(rehearsals: Rehearsals) -> None:
        room, token = await rehearsals.open(url.rstrip("/"), language=settings.language)
        shown = (settings.public_url or url).rstrip("/")
        console, projector = f"{shown}/r/{room.code}/facilitate/{token}", f"{shown}/r/{room.code}/projector"
        minutes = round(min(rehearsals.plan.lasts, settings.room_ttl) / 60)
        people = rehearsals.plan.people
        if settings.log_format == "json":
            line = json_line(event="rehearsal", message=f"rehearsal room: open {console}", console=console)
            print(line, flush=True)
            return
        print(f"  Rehearsal room (Probelauf) with {people} simulated people, deleted in {minutes} minutes:", flush=True)
        print(f"    Console (open this):  {console}", flush=True)
        print(f"    Projector:            {projector}", flush=True)

    return open_one


if __name__ == "__main__":
    main()
