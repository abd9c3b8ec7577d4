"""`workshop backup DIR` and `workshop restore DIR` end to end: real servers, each on an embedded Redis of its own
(so only this test's rooms are there), the real command in its own process."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from workshop.backup import LINKS

from .clients import Facilitator, Participant, Person, start_server
from .ideas_helpers import IdeaRoom

SECRET_KEY = "cookie-signing-key-shared-by-old-and-new-installation"


def workshop(*args: str | Path, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_") and k != "REDIS_URL"}
    environ.update(WORKSHOP_DATA_DIR=str(data_dir), **env)
    command = [sys.executable, "-m", "workshop", *map(str, args)]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


async def test_backup_writes_every_room_and_restore_brings_them_back(tmp_path: Path) -> None:
    backups = tmp_path / "backup"
    with start_server(tmp_path / "old", WORKSHOP_SECRET_KEY=SECRET_KEY) as old:
        async with Facilitator.open(old.url, "Werkstatt A") as a, Facilitator.open(old.url, "Werkstatt B") as b:
            item = await a.add_item("Wie hoch ist der Aufwand?")
            anna = await Participant.join(old.url, a.code, "Anna")
            await anna.vote(item, 1, "8", "Gut machbar")
            await a.reveal(item, 1)
            ideas = await IdeaRoom.open(b)
            bernd = await Participant.join(old.url, b.code, "Bernd")
            await ideas.write(bernd, "Dachflächen für Photovoltaik nutzen")
            originals = {}
            for fac in (a, b):
                archive = (await fac.http.get(f"/r/{fac.code}/export.json")).json()
                minutes = (await fac.http.get(f"/r/{fac.code}/export.md")).text
                originals[fac.code] = (archive, minutes)
            facilitators_browser, annas_browser = a.http.cookies, anna.http.cookies
            done = workshop("backup", backups, data_dir=tmp_path / "old")  # the running server's embedded Redis
            for person in (anna, bernd):
                await person.close()
    assert done.returncode == 0 and "2 room(s) backed up" in done.stdout, done.stdout + done.stderr
    files = {path.stem: path for path in backups.glob("*.json")}
    assert files.keys() == originals.keys()
    for code, path in files.items():
        assert json.loads(path.read_text()) == originals[code][0]  # the archive "Archiv (JSON)" downloads
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # names are in it

    # Into a new installation (no server running: the command starts the embedded Redis and stops it again).
    restored = workshop("restore", backups, data_dir=tmp_path / "new")
    assert restored.returncode == 0 and "2 room(s) restored with new codes" in restored.stdout, restored.stdout
    links = [line.split("\t") for line in (backups / LINKS).read_text().splitlines()]
    assert stat.S_IMODE((backups / LINKS).stat().st_mode) == 0o600
    assert links[0][2] not in restored.stdout  # the secret links are in the file only
    with start_server(tmp_path / "new") as new:
        for name, code, link in links:
            assert code not in originals
            facilitator = Person(new.url, code)
            assert (await facilitator.http.get(link)).status_code == 303  # the new facilitator link works
            minutes = (await facilitator.http.get(f"/r/{code}/export.md")).text
            assert minutes == originals[Path(name).stem][1]
            await facilitator.close()

    # With their codes: join links and, with the same signing key, the participants' browsers work again; the
    # facilitator comes back through the new link (the old link's browser is signed out, as after a new link).
    kept = workshop("restore", "--keep-codes", backups, data_dir=tmp_path / "kept")
    assert kept.returncode == 0 and "2 room(s) restored with their old codes" in kept.stdout, kept.stdout
    new_links = {
        code: link for _, code, link in (line.split("\t") for line in (backups / LINKS).read_text().splitlines())
    }
    with start_server(tmp_path / "kept", WORKSHOP_SECRET_KEY=SECRET_KEY) as again:
        annas_phone = Person(again.url, a.code)
        annas_phone.http.cookies = annas_browser
        assert "Anna" in (await annas_phone.http.get(f"/r/{a.code}")).text
        old_console = Person(again.url, a.code)
        old_console.http.cookies = facilitators_browser
        assert (await old_console.http.get(f"/r/{a.code}/facilitate")).status_code == 403
        assert (await old_console.http.get(new_links[a.code])).status_code == 303
        assert (await old_console.http.get(f"/r/{a.code}/export.md")).text == originals[a.code][1]
        for person in (annas_phone, old_console):
            await person.close()
        twice = workshop("restore", "--keep-codes", backups, data_dir=tmp_path / "kept")  # the live server's Redis
        assert twice.returncode == 0 and "0 room(s) restored" in twice.stdout
        assert twice.stdout.count("a room with this code is live: left as it is") == 2

    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "KXR7MPQH.json").write_text('{"schema": "something else"}')
    failed = workshop("restore", tmp_path / "broken", data_dir=tmp_path / "new")
    assert failed.returncode == 1 and "KXR7MPQH.json: not a workshop archive" in failed.stdout
