"""`workshop backup DIR` and `workshop restore DIR`: every live room as a JSON archive (the schema of "Archiv
(JSON)", workshop/archive.py), one file per room, and back.

A room's file is named after its code (KXR7MPQH.json; the archive itself carries no code). Restoring gives each room
a new code and a new facilitator link, like an upload on the start page; with `keep_codes` a room gets its old code
back (and is left alone if a room with that code is live), so join links, QR codes and the participants' cookies of
that room work again where the cookie-signing key is the same. Facilitator links are secrets and never archived: the
new ones go to DIR/restored-links.txt (readable by its owner only), not to the terminal or a log; a browser that
facilitated through the old link is signed out, as after a new link (workshop/links.py).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import room_commands
from .archive import from_archive, to_archive
from .domain import codes
from .domain.errors import DomainError
from .keys import room_key
from .store import Store

LINKS = "restored-links.txt"


def _private_dir(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def _write_private(path: Path, text: str) -> None:
    """Written whole or not at all (a temporary file renamed), readable by its owner only: archives hold names."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    temporary.replace(path)


async def live_codes(store: Store) -> list[str]:
    """The codes of every room in this Redis (each room has one `workshop:{CODE}:room` hash)."""
    found = set()
    async for key in store.redis.scan_iter(match=room_key("*", "room"), count=500):
        code = codes.normalize(str(key).split("{", 1)[1].split("}", 1)[0])
        if code:
            found.add(code)
    return sorted(found)


async def backup(store: Store, directory: Path) -> list[Path]:
    """Every live room with everything in it, as DIR/<CODE>.json; the files written."""
    _private_dir(directory)
    written = []
    for code in await live_codes(store):
        room = await store.load(code, everything=True)
        if room is None:  # expired or deleted since the scan
            continue
        path = directory / f"{code}.json"
        _write_private(path, json.dumps(to_archive(room), ensure_ascii=False, indent=1))
        written.append(path)
    return written


@dataclass
class Restored:
    rooms: list[tuple[str, str, str]] = field(default_factory=list)  # (file, code, facilitator token)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why): live already, nothing wrong
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why): not an archive this version reads


async def restore(store: Store, directory: Path, *, keep_codes: bool = False, public_url: str = "") -> Restored:
    """Every DIR/*.json archive as a room; the new facilitator links go to DIR/restored-links.txt."""
    result = Restored()
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            result.failed.append((path.name, f"not readable as JSON ({type(error).__name__})"))
            continue
        try:
            if keep_codes:
                code = codes.normalize(path.stem)
                if code is None:
                    result.failed.append((path.name, "its name is not a room code (keep the files' names)"))
                    continue
                room, token = from_archive(data, code), codes.new_secret()
                try:
                    await store.restore(room, token)
                except FileExistsError:
                    result.skipped.append((path.name, "a room with this code is live: left as it is"))
                    continue
            else:
                room, token = await room_commands.restore_room(store, functools.partial(from_archive, data))
        except DomainError:
            result.failed.append((path.name, "not a workshop archive this version reads"))
            continue
        result.rooms.append((path.name, room.code, token))
    if result.rooms:
        lines = [f"{name}\t{code}\t{public_url}/r/{code}/facilitate/{token}\n" for name, code, token in result.rooms]
        _write_private(directory / LINKS, "".join(lines))
    return result
