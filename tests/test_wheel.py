"""The wheel is the product: built from the sdist as an index would, installed into a fresh venv outside the
checkout, served from another directory with the embedded Redis, and used like a workshop uses it.

One test, on purpose: building and installing take most of its time (about half a minute).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from workshop.prepared import BUILT_IN

from .clients import Facilitator, Participant, start_server, text

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()}


def _run(*command: str | Path, cwd: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=environ, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


async def test_the_wheel_installs_and_serves_a_workshop_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=tmp_path)  # sdist, then the wheel from it
    (wheel,) = dist.glob("workshop-*.whl")
    (sdist,) = dist.glob("workshop-*.tar.gz")

    catalogues = {p.relative_to(ROOT).as_posix() for p in (ROOT / "workshop" / "locales").glob("*/LC_MESSAGES/*.po")}
    assert catalogues, "no translations in the checkout"
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    for name in _files("templates") | _files("static"):
        assert f"workshop/{name}" in in_wheel, name  # every template, stylesheet, script and vendored library
    assert any(re.fullmatch(r"workshop/static/vendor/htmx-[\d.]+\.min\.js", n) for n in in_wheel)
    assert {n for n in in_wheel if n.endswith(".mo")} == {c.removesuffix(".po") + ".mo" for c in catalogues}
    assert not any(n.endswith((".po", ".pot")) for n in in_wheel)  # so the English run below reads the .mo
    assert "workshop/demo/initiativen-werk-2025.json" in in_wheel  # the rehearsal room's agenda
    assert {f"workshop/prepared/{t.name}.json" for t in BUILT_IN} <= in_wheel  # the start page's templates
    with tarfile.open(sdist) as archive:
        in_sdist = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert _files("templates") | _files("static") | catalogues | {"hatch_build.py"} <= in_sdist

    venv, elsewhere = tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run(sys.executable, "-m", "venv", venv, cwd=elsewhere)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=elsewhere)
    installed = subprocess.run(
        [venv / "bin" / "python", "-c", "import workshop; print(workshop.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(str(venv)), installed  # the wheel's package, not the checkout's

    with start_server(
        elsewhere / "workshop-data", command=[str(venv / "bin" / "workshop")], cwd=elsewhere, WORKSHOP_LANGUAGE="en"
    ) as server:
        async with Facilitator.open(server.url, "Wheel smoke test") as fac:
            assert (await fac.http.get("/static/vendor/htmx-2.0.11.min.js")).status_code == 200
            start = (await fac.http.get("/")).text
            assert 'href="/static/poll.css' in start  # a kind's own stylesheet, found in the installed package
            assert (await fac.http.get("/static/poll.css")).status_code == 200
            item = await fac.add_item("Does the wheel work?")
            anna = await Participant.join(server.url, fac.code, "Anna")
            bernd = await Participant.join(server.url, fac.code, "Bernd")
            try:
                phone = await anna.connect("participant")
                await phone.until(lambda r: "Does the wheel work?" in text(r.get("stage", "")))
                assert (await bernd.vote(item, 1, "8")).status_code == 200
                await phone.until(lambda r: "1 of 2 has voted" in text(r["stage"]))  # English: from the .mo
                export = await fac.http.get(f"/r/{fac.code}/export.md")
                assert export.status_code == 200 and "Does the wheel work?" in export.text
                # A rehearsal: the example workshop's agenda, read from the installed package, and its guide in English.
                rehearsal = await fac.http.post("/rehearsals")
                assert rehearsal.status_code == 303, rehearsal.text
                console = text((await fac.http.get(rehearsal.headers["location"])).text)
                assert "Rehearsal: how it works" in console and "Dachbegrünung in Innenstädten fördern" in console
                # A built-in template, read from the installed package, offered in English.
                assert "Start from a template" in start and "Retrospective" in start
                prepared = await fac.http.post("/templates", data={"template": "retrospektive"})
                assert prepared.status_code == 303, prepared.text
                assert "Schaut zurück" in (await fac.http.get(prepared.headers["location"])).text
            finally:
                await anna.close()
                await bernd.close()
    assert "Traceback" not in server.output()
