"""Rehearsal rooms ("Probelauf"): `workshop demo` and the start page's button open the example workshop with
simulated people, who act through phones of their own (HTTP and the room socket, with their own cookies) on whatever
the console puts on screen. Real server processes, real sockets; the people act a hundred times faster than humans
(`--pace 0.01`), so a whole agenda takes seconds."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from secrets import token_hex

import pytest
from bs4 import BeautifulSoup

from workshop.demo import cast
from workshop.store import Store

from .clients import WAIT, Facilitator, Person, Server, Socket, start_server, text

PEOPLE = 5
MARK = " · simuliert"


@pytest.fixture(scope="module")
def demo(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`workshop demo` with five quick people; this process may run two rehearsals at once."""
    args = ("demo", "--pace", "0.01", "--people", str(PEOPLE))
    with start_server(
        tmp_path_factory.mktemp("demo"), redis_url=redis_url, args=args, WORKSHOP_REHEARSALS="2"
    ) as running:
        yield running
    assert "Traceback" not in running.output()


def console_link(server: Server) -> str:
    output = server.wait_for_output(lambda out: "Console (open this):" in out)
    found = re.search(r"Console \(open this\):\s+(\S+)", output)
    assert found, output
    return found[1]


async def open_console(server: Server, path: str) -> tuple[Facilitator, Socket]:
    """The facilitator's browser on a link or a redirect to a console, and the console's socket."""
    code = path.split("/r/")[1].split("/")[0]
    fac = Facilitator(server.url, code)
    answer = await fac.http.get(path.replace(server.url, ""))
    assert answer.status_code == 303 and answer.headers["location"] == f"/r/{code}/facilitate"
    return fac, await fac.connect("facilitator")


def agenda(html: str) -> dict[str, str]:
    """The console's agenda: title -> the id its "Zeigen" button shows."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        li.select_one(".agenda-q").get_text(): li.select_one("input[name=item]")["value"]
        for li in soup.select("#agenda li")
    }


def stage(regions: dict[str, str]) -> BeautifulSoup:
    return BeautifulSoup(regions.get("stage", ""), "html.parser")


def dots_on_themes(regions: dict[str, str]) -> int:
    return sum(int(el.get_text().strip("● ")) for el in stage(regions).select(".theme .dot-count"))


async def test_simulated_people_go_through_a_whole_agenda_with_the_console(demo: Server) -> None:
    fac, console = await open_console(demo, console_link(demo))
    try:
        page = await fac.page("/facilitate")
        assert "Probelauf: so geht es" in text(page) and "(mit „· simuliert“ im Namen)" in text(page)
        steps = list(agenda(page).values())
        assert list(agenda(page)) == [
            "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer organisationsübergreifenden Projekt-Clearing-"
            "Stelle ein?",
            "Ideen, Anliegen & Maßnahmen: Was wollt Ihr organisationsübergreifend gemeinsam anpacken?",
            "Dachbegrünung in Innenstädten fördern",
            "Wie geht Ihr heute raus?",
        ]
        # They arrive by themselves, each on a phone of their own, marked as simulated.
        await console.until(lambda r: f"{PEOPLE} von {PEOPLE} verbunden" in text(r.get("people", "")))
        names = [el.get_text() for el in BeautifulSoup(console.regions["people"], "html.parser").select(".person-name")]
        assert len(names) == PEOPLE and all(name.endswith(MARK) for name in names), names

        # The estimate: nothing happens until it is on screen; then everyone votes, with a justification.
        await fac.post("/current", item=steps[0])
        await console.until(lambda r: f"{PEOPLE} von {PEOPLE} haben abgestimmt" in text(r["stage"]))
        item, round_ = fac.current(console.regions["stage"])
        await fac.reveal(item, round_)
        await console.until(lambda r: "reason-group" in r["stage"])
        chart = text(str(stage(console.regions).select_one(".results")))
        assert sum(int(n) for n in re.findall(r"(\d+) (?:Gering|Mittel|Hoch)", chart)) == PEOPLE, chart
        who = [el.get_text() for el in stage(console.regions).select(".reason-group .who")]
        assert len(who) >= PEOPLE - 1 and all(name.endswith(MARK) for name in who), who

        # The idea collection: they write cards and sort them into the prepared themes themselves.
        await fac.post("/current", item=steps[1])

        def written_and_sorted(regions: dict[str, str]) -> bool:
            board = stage(regions)
            return len(board.select("[data-card]")) >= PEOPLE and not board.select(".loose [data-card]")

        await console.until(written_and_sorted)
        authors = [el.get_text() for el in stage(console.regions).select("[data-card] .author")]
        assert authors and all(name.endswith(MARK) for name in authors), authors

        # The dot vote: three dots each, on the themes.
        await fac.post("/dots/start", activity=steps[1], dots="3", on="themes")
        await console.until(lambda r: dots_on_themes(r) == 3 * PEOPLE)
        await fac.post("/dots/close", activity=steps[1])

        # The board: entries from the example's "Vertiefung", then a quick estimate in "Machbarkeit".
        await fac.post("/current", item=steps[2])
        await console.until(lambda r: len(stage(r).select(".dd-entry")) >= PEOPLE)
        sections = {
            el.select_one(".dd-head h3").get_text(): el["data-section"]
            for el in stage(console.regions).select("[data-section]")
        }
        question = "Wie hoch schätzt Ihr den Aufwand zur Begrünung einer Innenstadt ein?"
        await fac.post(
            "/estimate/start", board=steps[2], section=sections["Machbarkeit"], question=question, deck="fibonacci"
        )
        await console.until(lambda r: f"{PEOPLE} von {PEOPLE} haben abgestimmt" in text(r["stage"]))
        item, round_ = fac.current(console.regions["stage"])
        await fac.reveal(item, round_)
        await console.until(lambda r: "dd-estimate" in r["stage"] or "results" in r["stage"])

        minutes = (await fac.http.get(f"/r/{fac.code}/export.md")).text
    finally:
        await fac.close()
    assert minutes.startswith("# Probelauf: Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit\n")
    named = re.findall(r"^- \*\*\w+\*\* – .+ \((.+)\)$", minutes, flags=re.M)  # justifications: (name)
    named += re.findall(r"^- .+ – (\S+ \S+\. · \S+)$", minutes, flags=re.M)  # cards: – name
    assert len(named) >= 2 * PEOPLE - 1 and all(name.endswith(MARK) for name in named), named
    cards = minutes.split("## 2. Ideensammlung")[1].split("## 3.")[0]
    assert sum(int(n) for n in re.findall(r"^### .+ \((\d+) Punkte?\)$", cards, flags=re.M)) == 3 * PEOPLE
    board = minutes.split("## 3. Vertiefung: Dachbegrünung in Innenstädten fördern")[1]
    assert len(re.findall(r"^- ", board.split("Schnellabschätzung:")[0], flags=re.M)) >= PEOPLE
    example = {line for lines in (*cast.GREEN_ROOFS.values(), *cast.CROSS_CUTTING.values()) for line in lines}
    entries = re.findall(r"^- (.+)$", board.split("Schnellabschätzung:")[0], flags=re.M)
    assert set(entries) <= example, set(entries) - example  # what people of the network wrote on the day
    quick = board.split("Schnellabschätzung:")[1]
    assert sum(int(n) for n in re.findall(r"^\| [\d?]+ \| (\d+) \|$", quick, flags=re.M)) == PEOPLE, quick


async def open_from_the_start_page(browser: Facilitator) -> int:
    """Press "Probelauf starten": the status, and this browser on the new room's console (if it opened)."""
    start = BeautifulSoup((await browser.http.get("/")).text, "html.parser")
    button = start.select_one('form[action="/rehearsals"] button')
    assert button is not None and button.get_text() == "Probelauf starten"
    answer = await browser.http.post("/rehearsals")
    if answer.status_code == 303:
        browser.code = answer.headers["location"].split("/r/")[1].split("/")[0]
        assert answer.headers["location"] == f"/r/{browser.code}/facilitate"
    return answer.status_code


async def test_the_start_page_opens_one_and_refuses_one_too_many_politely(demo: Server) -> None:
    fac, latecomer = Facilitator(demo.url), Facilitator(demo.url)
    try:
        assert await open_from_the_start_page(fac) == 303
        page = await fac.page("/facilitate")
        assert "Probelauf: so geht es" in text(page) and len(agenda(page)) == 4
        console = await fac.connect("facilitator")
        await console.until(lambda r: f"{PEOPLE} von {PEOPLE} verbunden" in text(r.get("people", "")))

        # `workshop demo`'s own room and this one: as many as WORKSHOP_REHEARSALS allows. One more is refused, with
        # a sentence that says why and what to do.
        refused = await latecomer.http.post("/rehearsals")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "Auf diesem Server laufen gerade 2 Probeläufe, mehr gehen nicht gleichzeitig" in text(refused.text)

        # Deleting the room ends its simulated people, and with them the rehearsal: there is room for one again.
        assert (await fac.post("/delete", confirm=fac.code)).status_code == 204
        async with asyncio.timeout(WAIT):
            while await open_from_the_start_page(latecomer) != 303:
                await asyncio.sleep(0.05)  # nothing to wait for but trying: the people leave within moments
        assert (await latecomer.post("/delete", confirm=latecomer.code)).status_code == 204
    finally:
        await fac.close()
        await latecomer.close()


async def test_a_rehearsal_room_ends_by_itself_and_its_keys_expire_with_it(
    redis_url: str, tmp_path: Path, store: Store
) -> None:
    """`--lasts 3s`: the task deletes it after three seconds (the console is told); until then every key of the room
    expires by then too (plus a minute's grace), not after WORKSHOP_ROOM_TTL (an hour here), should the process
    stop before."""
    args = ("demo", "--pace", "0.02", "--people", "2", "--lasts", "3s")
    with start_server(tmp_path / "data", redis_url=redis_url, args=args) as server:
        fac, console = await open_console(server, console_link(server))
        try:
            await console.until(lambda r: "2 von 2 verbunden" in text(r.get("people", "")))
            keys = await store.keys_of(fac.code)
            assert len(keys) > 5
            left = [await store.redis.pttl(key) for key in keys]
            assert all(0 < ms <= 64_000 for ms in left), dict(zip(keys, left, strict=True))
            await console.until(lambda r: "Kein Workshop mit diesem Code" in text(r.get("notice", "")))
            assert await store.keys_of(fac.code) == []
        finally:
            await fac.close()
    assert "Traceback" not in server.output()


async def test_simulated_people_wait_out_a_limit_and_come_in_after(redis_url: str, tmp_path: Path) -> None:
    """The simulated phones come from the server's own address and obey its limits like any phone: refused (429),
    they wait as long as the answer says, and come in after."""
    # A key of its own: the counters of this address (127.0.0.1, shared with every other test) are its own too.
    limits = {"WORKSHOP_RATE_LIMITS": "lookups=1/3s", "WORKSHOP_ACCESS_LOG": "true", "WORKSHOP_SECRET_KEY": token_hex()}
    args = ("demo", "--people", "1", "--pace", "0.5")  # the first person comes half a second or more after the start
    with start_server(tmp_path / "data", redis_url=redis_url, args=args, **limits) as server:
        link = console_link(server)
        stranger = Person(server.url)  # the same address as the simulated phones
        assert (await stranger.http.get("/join?code=AAAAAAAA")).status_code == 404
        assert (await stranger.http.get("/join?code=AAAAAAAB")).status_code == 429  # now every lookup waits
        code = link.split("/r/")[1].split("/")[0]
        fac = Facilitator(server.url, code, address="203.0.113.7")  # the facilitator's own address
        try:
            assert (await fac.http.get(link.replace(server.url, ""))).status_code == 303
            console = await fac.connect("facilitator")
            await console.until(lambda r: "1 von 1 verbunden" in text(r.get("people", "")))
        finally:
            await fac.close()
            await stranger.close()
        refused, came = '"GET /j/… HTTP/1.1" 429', '"POST /j/… HTTP/1.1" 303'  # codes are cut from log lines
        output = server.wait_for_output(lambda out: came in out)  # the log's copier may lag behind the socket
        assert refused in output and came in output and output.index(refused) < output.index(came)
    assert "Traceback" not in server.output()


def test_workshop_demo_explains_itself() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "workshop", "demo", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for option in ("--people", "--pace", "--lasts", "--host", "--port"):
        assert option in shown
    refused = subprocess.run([sys.executable, "-m", "workshop", "demo", "--pace", "0"], capture_output=True, text=True)
    assert refused.returncode == 2 and "is not a pace" in refused.stderr
