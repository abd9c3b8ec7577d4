"""Screenshots for the README: a room with the content of a real workshop, in headless Chromium.

    python scripts/screenshots.py            # starts its own server (embedded Redis in a temporary folder)
    python scripts/screenshots.py --url http://127.0.0.1:8000

Writes docs/screenshots/*.png.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from demo_ideas import THEMES  # noqa: E402

from workshop.demo.example import GREEN_ROOFS, WORDS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
HX = {"HX-Request": "true"}

FIBONACCI_VOTES = [  # Arbeitsgruppe 2 – Vertiefung „Dachbegrünung in Innenstädten fördern“
    ("Katrin Hoffmann", "Stadt Bochum", "40", "Viele Dächer sind statisch nicht geprüft."),
    (
        "Murat Yilmaz",
        "Emschergenossenschaft",
        "100",
        "Das Anliegen ist identifiziert, muss zur Umsetzung aber immer wieder eingebracht werden.",
    ),
    ("Sabine Krüger", "Kreis Wesel", "20", "Förderprogramme gibt es schon, wir müssen sie nur bündeln."),
    ("Jonas Becker", "Regionalverband Ruhr", "40", ""),
    ("Aylin Demir", "Stadt Dortmund", "40", "Hoher Abstimmungsaufwand zwischen Stadtplanung und Klimaschutz."),
    ("Thomas Schulte", "Ruhrverband", "100", "Finanzierung über mehrere Haushaltsjahre ist ungeklärt."),
    ("Elena Wagner", "Stadt Essen", "20", ""),
]
QUALITATIVE_VOTES = [  # Arbeitsgruppe 1 – Machbarkeit Projekt-Clearingstelle
    (
        "Katrin Hoffmann",
        "Stadt Bochum",
        "Gering",
        "Es ist im Wesentlichen nur eine leichter zu lösende organisatorische Herausforderung.",
    ),
    (
        "Murat Yilmaz",
        "Emschergenossenschaft",
        "Mittel",
        "Erfolg hängt an einzelnen Personen / Fragen erreichen nicht die richtigen Expert*innen",
    ),
    (
        "Sabine Krüger",
        "Kreis Wesel",
        "Gering",
        "Braucht keine großen Personalressourcen und lässt sich leicht kommunizieren.",
    ),
    ("Jonas Becker", "Regionalverband Ruhr", "Hoch", "Hohe organisationskulturelle Herausforderung / Verstetigung"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve() -> Iterator[str]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "WORKSHOP_DATA_DIR": data}
        env.pop("REDIS_URL", None)
        proc = subprocess.Popen([sys.executable, "-m", "workshop", "serve", "--port", str(port)], env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(url + "/healthz").status_code == 200:
                        break
                time.sleep(0.05)
            yield url
        finally:
            proc.terminate()
            proc.wait()


PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
CONSOLE: dict[str, Any] = {"viewport": {"width": 1440, "height": 1000}}
PROJECTOR = {"width": 1920, "height": 1080}


def page_as(browser: Browser, client: httpx.Client, base: str, path: str, **options: Any) -> Page:
    """A page that carries the cookies of someone set up over HTTP: the same participant, now in a browser."""
    context = browser.new_context(**{"locale": "de-DE", **options})  # the screenshots show the German interface
    context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in client.cookies.jar])
    page = context.new_page()
    page.goto(base + path)
    return page


def join(base: str, code: str, name: str, org: str) -> httpx.Client:
    client = httpx.Client(base_url=base)
    pid = re.search(r'name="pid" value="([^"]+)"', client.get(f"/j/{code}").text)[1]  # type: ignore[index]
    client.post(f"/j/{code}", data={"pid": pid, "name": name, "org": org})
    return client


def current_item(facilitator: httpx.Client, code: str, group: str = "") -> tuple[str, str]:
    html = facilitator.get(f"/r/{code}/facilitate" + (f"?group={group}" if group else "")).text
    match = re.search(r'name="item" value="([^"]+)"><input type="hidden" name="round" value="(\d+)"', html)
    assert match, "no open round"
    return match[1], match[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--only", choices=["poker", "ideas", "groups", "polls", "rehearsal", "actions", "prepare"])
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        base = args.url or stack.enter_context(serve())
        if args.only in (None, "poker"):
            shoot(base)
        if args.only in (None, "ideas"):
            shoot_ideas(base)
        if args.only in (None, "groups"):
            shoot_groups(base)
        if args.only in (None, "polls"):
            shoot_polls(base)
        if args.only in (None, "rehearsal"):
            shoot_rehearsal(base)
        if args.only in (None, "actions"):
            shoot_actions(base)
        if args.only in (None, "prepare"):
            shoot_prepare(base)
        print(f"screenshots in {OUT}")


def shoot(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    fac = httpx.Client(base_url=base)
    r = fac.post("/rooms", data={"title": "Initiativen.Werk 2025 – Arbeitsgruppe 2", "ask_org": "on"})
    code = r.headers["location"].split("/r/")[1].split("/")[0]
    fac.post(
        f"/r/{code}/items",
        headers=HX,
        data={
            "question": "Wie hoch schätzt Ihr den Aufwand zur Begrünung einer Innenstadt ein?",
            "deck": "fibonacci",
            "start": "on",
        },
    )
    people = {name: join(base, code, name, org) for name, org, _, _ in FIBONACCI_VOTES}
    join(base, code, "Lena Vogt", "USB Bochum GmbH")  # still thinking
    item, rnd = current_item(fac, code)
    for name, _, card, reason in FIBONACCI_VOTES[:5]:
        people[name].post(
            f"/r/{code}/vote", headers=HX, data={"item": item, "round": rnd, "card": card, "reason": reason}
        )

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        projector = browser.new_page(locale="de-DE", viewport={"width": 1920, "height": 1080})
        projector.goto(f"{base}/r/{code}/projector")
        projector.wait_for_selector(".voters li.voted")
        projector.screenshot(path=OUT / "projector-voting.png")

        phone = page_as(browser, people["Jonas Becker"], base, f"/r/{code}", **PHONE)
        phone.wait_for_selector(".card.chosen")
        phone.screenshot(path=OUT / "phone-voting.png")

        for name, _, card, reason in FIBONACCI_VOTES[5:]:
            people[name].post(
                f"/r/{code}/vote", headers=HX, data={"item": item, "round": rnd, "card": card, "reason": reason}
            )
        fac.post(f"/r/{code}/reveal", headers=HX, data={"item": item, "round": rnd})
        projector.wait_for_selector(".results .chart")
        projector.screenshot(path=OUT / "projector-revealed.png")
        phone.wait_for_selector(".results .chart")
        phone.screenshot(path=OUT / "phone-revealed.png", full_page=True)

        fac.post(
            f"/r/{code}/items",
            headers=HX,
            data={
                "question": "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer organisationsübergreifenden "
                "Projekt-Clearing-Stelle ein?",
                "deck": "qualitative",
                "start": "on",
            },
        )
        item, rnd = current_item(fac, code)
        for name, _, card, reason in QUALITATIVE_VOTES:
            people[name].post(
                f"/r/{code}/vote", headers=HX, data={"item": item, "round": rnd, "card": card, "reason": reason}
            )
        fac.post(f"/r/{code}/reveal", headers=HX, data={"item": item, "round": rnd})
        projector.wait_for_selector(".consensus-apart")
        projector.screenshot(path=OUT / "projector-qualitative.png")

        console = page_as(browser, fac, base, f"/r/{code}/facilitate", **CONSOLE)
        console.wait_for_selector(".results .chart")
        console.screenshot(path=OUT / "facilitator.png", full_page=True)
        browser.close()


def shoot_ideas(base: str) -> None:
    """An idea collection with 80 cards in 8 themes, on the projector and a phone, clustered and dot-voted."""
    fac = httpx.Client(base_url=base)
    r = fac.post("/rooms", data={"title": "Initiativen.Werk 2025 – Ideen, Anliegen & Maßnahmen", "ask_org": "on"})
    code = r.headers["location"].split("/r/")[1].split("/")[0]
    fac.post(
        f"/r/{code}/ideas",
        headers=HX,
        data={
            "prompt": "Welche Ideen, Anliegen und Maßnahmen habt Ihr für eine bessere Zusammenarbeit?",
            "show": "org",
            "start": "on",
        },
    )
    activity = re.search(r'name="activity" value="([^"]+)"', fac.get(f"/r/{code}/facilitate").text)[1]  # type: ignore[index]
    people = [join(base, code, name, org) for name, org, _, _ in FIBONACCI_VOTES]
    for title in THEMES:
        fac.post(f"/r/{code}/themes", headers=HX, data={"activity": activity, "title": title})
    for n, text in enumerate(card for cards in THEMES.values() for card in cards):
        people[n % len(people)].post(f"/r/{code}/cards", headers=HX, data={"activity": activity, "text": text})
    console_html = BeautifulSoup(fac.get(f"/r/{code}/facilitate").text, "html.parser")
    theme_ids = {
        el.select_one(".theme-head h3").get_text(strip=True): el["data-theme"]
        for el in console_html.select("[data-theme]")
    }
    card_ids = {
        el.select_one(".idea-text").get_text(strip=True): el["data-card"] for el in console_html.select("[data-card]")
    }
    for title, cards in THEMES.items():
        for text in cards[:-1] if title == "Mobilität & Infrastruktur" else cards:  # one card stays without a theme
            fac.post(
                f"/r/{code}/cards/move",
                headers=HX,
                data={"activity": activity, "card": card_ids[text], "to": theme_ids[title]},
            )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        projector = browser.new_page(locale="de-DE", viewport={"width": 1920, "height": 1080})
        projector.goto(f"{base}/r/{code}/projector")
        projector.wait_for_selector(".stage-ideas .theme")
        projector.screenshot(path=OUT / "projector-ideas.png")

        fac.post(f"/r/{code}/dots/start", headers=HX, data={"activity": activity, "dots": "3", "on": "themes"})
        themes = list(theme_ids.values())
        for i, person in enumerate(people):
            for k in range(3 if i else 1):
                person.post(
                    f"/r/{code}/dots/add",
                    headers=HX,
                    data={"activity": activity, "target": themes[(i * 2 + k * 3) % 5]},
                )
        phone = page_as(browser, people[0], base, f"/r/{code}", **PHONE)
        phone.wait_for_selector(".my-dots")
        phone.locator(".my-dots").scroll_into_view_if_needed()
        phone.screenshot(path=OUT / "phone-dots.png")

        fac.post(f"/r/{code}/dots/close", headers=HX, data={"activity": activity})
        projector.wait_for_selector(".ranking")
        projector.screenshot(path=OUT / "projector-ideas-ranked.png")
        console = page_as(browser, fac, base, f"/r/{code}/facilitate", **CONSOLE)
        console.wait_for_selector(".ranking")
        console.screenshot(path=OUT / "facilitator-ideas.png")
        browser.close()


def _ids(html: str, attribute: str, label: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {el.select_one(label).get_text(strip=True): el[attribute] for el in soup.select(f"[{attribute}]")}


def _ok(response: httpx.Response) -> httpx.Response:
    assert response.status_code in (200, 204, 303), response.text
    return response


def shoot_groups(base: str) -> None:
    """Initiativen.Werk 2025 with two working groups: the overview, a filled "Vertiefung" board, a phone."""
    fac = httpx.Client(base_url=base)
    r = _ok(fac.post("/rooms", data={"title": "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit"}))
    code = r.headers["location"].split("/r/")[1].split("/")[0]
    console = fac.get(f"/r/{code}/facilitate").text
    first = re.search(r'name="group" value="([^"]+)"', console)[1]  # type: ignore[index]
    _ok(
        fac.post(
            f"/r/{code}/groups/rename",
            headers=HX,
            data={"group": first, "name": "Arbeitsgruppe 1 – Mehr übergreifende Strukturen"},
        )
    )
    _ok(
        fac.post(
            f"/r/{code}/groups",
            headers=HX,
            data={
                "name": "Arbeitsgruppe 2 – Partizipation & Demokratie stärken",
                "choose_group": "on",
            },  # people choose
        )
    )
    groups = _ids(fac.get(f"/r/{code}/facilitate").text, "data-group", "h3")
    second = next(g for name, g in groups.items() if name.startswith("Arbeitsgruppe 2"))
    people = {}
    for n, (name, org, _, _) in enumerate(FIBONACCI_VOTES + [("Lena Vogt", "USB Bochum GmbH", "", "")]):
        client = httpx.Client(base_url=base)
        pid = re.search(r'name="pid" value="([^"]+)"', client.get(f"/j/{code}").text)[1]  # type: ignore[index]
        group = second if n % 2 else first
        client.post(f"/j/{code}", data={"pid": pid, "name": name, "org": org, "group": group})
        people[name] = client
    # Group 2: a "Vertiefung" board, filled from the phones.
    _ok(
        fac.post(
            f"/r/{code}/boards",
            headers=HX,
            data={
                "group": second,
                "title": "Dachbegrünung in Innenstädten fördern",
                "template": "deep-dive",
                "start": "on",
            },
        )
    )
    board_html = fac.get(f"/r/{code}/facilitate?group={second}").text
    board = re.search(r'name="board" value="([^"]+)"', board_html)[1]  # type: ignore[index]
    sections = _ids(board_html, "data-section", ".dd-head h3")
    writers = [people[name] for n, name in enumerate(people) if n % 2]
    for n, (section, entries) in enumerate(GREEN_ROOFS.items()):
        for k, text in enumerate(entries):
            writer = writers[(n + k) % len(writers)]
            _ok(
                writer.post(
                    f"/r/{code}/entries", headers=HX, data={"board": board, "section": sections[section], "text": text}
                )
            )
    _ok(
        fac.post(
            f"/r/{code}/estimate/start",
            headers=HX,
            data={
                "board": board,
                "section": sections["Machbarkeit"],
                "question": "Wie hoch schätzt Ihr den Aufwand zur Begrünung einer Innenstadt ein?",
                "deck": "fibonacci",
            },
        )
    )
    item, rnd = current_item(fac, code, second)
    for n, (name, _, card, reason) in enumerate(FIBONACCI_VOTES):
        if n % 2:
            _ok(
                people[name].post(
                    f"/r/{code}/vote", headers=HX, data={"item": item, "round": rnd, "card": card, "reason": reason}
                )
            )
    _ok(fac.post(f"/r/{code}/reveal", headers=HX, data={"item": item, "round": rnd}))
    _ok(fac.post(f"/r/{code}/estimate/stop", headers=HX, data={"board": board}))
    _ok(fac.post(f"/r/{code}/timer", headers=HX, data={"group": second, "action": "start", "minutes": "15"}))
    # Group 1: an estimate running.
    _ok(
        fac.post(
            f"/r/{code}/items",
            headers=HX,
            data={
                "group": first,
                "question": "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer organisationsübergreifenden "
                "Projekt-Clearing-Stelle ein?",
                "deck": "qualitative",
                "start": "on",
            },
        )
    )
    _ok(fac.post(f"/r/{code}/timer", headers=HX, data={"group": first, "action": "start", "minutes": "8"}))
    item, rnd = current_item(fac, code, first)
    for name, _, card, reason in QUALITATIVE_VOTES[:1]:
        _ok(
            people[name].post(
                f"/r/{code}/vote", headers=HX, data={"item": item, "round": rnd, "card": card, "reason": reason}
            )
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        opened = [page_as(browser, client, base, f"/r/{code}", **PHONE) for client in people.values()]
        projector = browser.new_page(locale="de-DE", viewport={"width": 1920, "height": 1080})
        projector.goto(f"{base}/r/{code}/projector")
        projector.wait_for_selector(".overview .group-card")
        projector.wait_for_function("document.querySelector('.countdown').textContent.includes(':')")
        projector.screenshot(path=OUT / "projector-overview.png")
        group_projector = page_as(browser, fac, base, f"/r/{code}/projector?group={second}", viewport=PROJECTOR)
        group_projector.wait_for_selector(".dd-board")
        group_projector.screenshot(path=OUT / "projector-board.png")
        phone = opened[1]
        phone.wait_for_selector(".dd-board")
        phone.screenshot(path=OUT / "phone-board.png")
        main_console = page_as(browser, fac, base, f"/r/{code}/facilitate?group={second}", **CONSOLE)
        main_console.wait_for_selector(".overview")
        main_console.screenshot(path=OUT / "facilitator-groups.png", full_page=True)
        browser.close()


def _poll(fac: httpx.Client, code: str, **data: str) -> str:
    response = _ok(fac.post(f"/r/{code}/polls", headers=HX, data={"start": "on", **data}))
    return re.search(r'name="poll" value="([^"]+)"', response.text)[1]  # type: ignore[index]


def shoot_polls(base: str) -> None:
    """Polls: a satisfaction scale and a word cloud on the projector (1920×1080 and 1280×720), a mood check-in on
    phones (390 and 320 px wide)."""
    fac = httpx.Client(base_url=base)
    r = _ok(fac.post("/rooms", data={"title": "Initiativen.Werk 2025 – Abschluss"}))
    code = r.headers["location"].split("/r/")[1].split("/")[0]
    people = {name: join(base, code, name, org) for name, org, _, _ in FIBONACCI_VOTES}
    people["Lena Vogt"] = join(base, code, "Lena Vogt", "USB Bochum GmbH")
    scale = _poll(
        fac,
        code,
        question="Wie zufrieden seid Ihr mit der Zusammenarbeit über Organisationsgrenzen?",
        form="scale",
        scale="satisfaction",
    )
    for n, client in enumerate(people.values()):
        _ok(
            client.post(
                f"/r/{code}/polls/answer", headers=HX, data={"poll": scale, "choice": str((3, 4, 3, 2, 3, 1, 4, 3)[n])}
            )
        )
    _ok(fac.post(f"/r/{code}/polls/reveal", headers=HX, data={"poll": scale}))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        projector = browser.new_page(locale="de-DE", viewport=PROJECTOR)
        projector.goto(f"{base}/r/{code}/projector")
        projector.wait_for_selector(".poll-bars")
        projector.screenshot(path=OUT / "projector-poll-scale.png")
        small = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 720})
        small.goto(f"{base}/r/{code}/projector")
        small.wait_for_selector(".poll-bars")
        small.screenshot(path=OUT / "projector-poll-scale-720.png")

        words = _poll(fac, code, question="Was nehmt Ihr aus dem Tag mit?", form="words")
        for client, typed in zip(people.values(), WORDS, strict=True):
            _ok(client.post(f"/r/{code}/polls/answer", headers=HX, data={"poll": words, "text": typed}))
        _ok(fac.post(f"/r/{code}/polls/reveal", headers=HX, data={"poll": words}))
        projector.wait_for_selector(".cloud")
        projector.screenshot(path=OUT / "projector-poll-words.png")
        small.wait_for_selector(".cloud")
        small.screenshot(path=OUT / "projector-poll-words-720.png")

        mood = _poll(fac, code, question="", form="mood")
        phone = page_as(browser, people["Sabine Krüger"], base, f"/r/{code}", **PHONE)
        phone.wait_for_selector(".choices-mood")
        phone.locator("#mine").get_by_role("button", name="Zufrieden").tap()
        phone.wait_for_selector(".choice-button.chosen")
        phone.screenshot(path=OUT / "phone-poll-mood.png")
        narrow = page_as(
            browser, people["Jonas Becker"], base, f"/r/{code}", **{**PHONE, "viewport": {"width": 320, "height": 640}}
        )
        narrow.wait_for_selector(".choices-mood")
        narrow.screenshot(path=OUT / "phone-poll-mood-320.png", full_page=True)
        console = page_as(browser, fac, base, f"/r/{code}/facilitate", **CONSOLE)
        console.wait_for_selector("#stage .choices-mood, #stage .progress-text")
        console.screenshot(path=OUT / "facilitator-poll.png")
        browser.close()
    assert mood


@contextlib.contextmanager
def rehearse(pace: str) -> Iterator[tuple[str, str]]:
    """`workshop demo` in its own process (embedded Redis in a temporary folder): its address and the console link."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "WORKSHOP_DATA_DIR": data}
        env.pop("REDIS_URL", None)
        command = [sys.executable, "-m", "workshop", "demo", "--port", str(port), "--pace", pace]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                if "Console (open this):" in line:
                    yield f"http://127.0.0.1:{port}", line.split()[-1]
                    break
        finally:
            proc.terminate()
            proc.wait()


def until_count(page: Page, selector: str, count: int, seconds: float = 60) -> None:
    """Until the page shows `count` of these (a string predicate would need 'unsafe-eval', which the CSP forbids)."""
    deadline = time.monotonic() + seconds
    while page.locator(selector).count() < count:
        assert time.monotonic() < deadline, f"{selector}: {page.locator(selector).count()} of {count}"
        page.wait_for_timeout(200)


def shoot_rehearsal(base: str) -> None:
    """The start page with "Probelauf starten" (projector-sized and on a phone), and a rehearsal in full swing: its
    console and projector while the simulated people write and sort cards, after they voted on the first question."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        start = browser.new_page(locale="de-DE", viewport=PROJECTOR)
        start.goto(base + "/")
        start.screenshot(path=OUT / "start.png")
        phone = browser.new_context(**PHONE, locale="de-DE").new_page()
        phone.goto(base + "/")
        phone.screenshot(path=OUT / "phone-start.png", full_page=True)
        browser.close()
    with rehearse("0.15") as (demo, link), sync_playwright() as pw:
        fac = httpx.Client(base_url=demo)
        code = link.split("/r/")[1].split("/")[0]
        fac.get(link.replace(demo, ""))
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        console = page_as(browser, fac, demo, f"/r/{code}/facilitate", **CONSOLE, locale="de-DE")
        projector = page_as(browser, fac, demo, f"/r/{code}/projector", viewport=PROJECTOR, locale="de-DE")
        until_count(console, "#people li.online", 12)
        agenda = fac.get(f"/r/{code}/facilitate").text.split('id="agenda"')[1]
        steps = list(dict.fromkeys(re.findall(r'name="item" value="([^"]+)"', agenda)))  # each item's forms, in order
        _ok(fac.post(f"/r/{code}/current", headers=HX, data={"item": steps[0]}))
        until_count(projector, ".voters li.voted", 12)
        item, rnd = current_item(fac, code)
        _ok(fac.post(f"/r/{code}/reveal", headers=HX, data={"item": item, "round": rnd}))
        projector.wait_for_selector(".reasons")
        projector.screenshot(path=OUT / "rehearsal-projector-revealed.png")
        _ok(fac.post(f"/r/{code}/current", headers=HX, data={"item": steps[1]}))
        until_count(projector, ".theme [data-card]", 10)
        projector.screenshot(path=OUT / "rehearsal-projector.png")
        console.screenshot(path=OUT / "rehearsal-console.png", full_page=True)
        browser.close()


ACTIONS = [  # (section, what, who, by when, done)
    ("Herausforderung", "Fördermöglichkeiten für Dachbegrünung recherchieren", "Lena Vogt", "2026-09-30", False),
    ("Zwischenziele", "Gespräch mit den Klimaschutzmanagements der drei Kommunen führen", "Aylin Demir", "", True),
    (
        "Zwischenziele",
        "Liste der städtischen Dächer mit Statik-Gutachten anlegen",
        "Thomas Schulte",
        "2026-11-15",
        False,
    ),
]


def shoot_actions(base: str) -> None:
    """A "Vertiefung" board with the action items the group agreed on: the console (1920×1080) and a phone."""
    fac = httpx.Client(base_url=base)
    r = _ok(fac.post("/rooms", data={"title": "Initiativen.Werk 2025 – Arbeitsgruppe 2", "ask_org": "on"}))
    code = r.headers["location"].split("/r/")[1].split("/")[0]
    people = [join(base, code, name, org) for name, org, _, _ in FIBONACCI_VOTES[4:6]]
    people.append(join(base, code, "Lena Vogt", "USB Bochum GmbH"))
    _ok(
        fac.post(
            f"/r/{code}/boards",
            headers=HX,
            data={"title": "Dachbegrünung in Innenstädten fördern", "template": "deep-dive", "start": "on"},
        )
    )
    console = fac.get(f"/r/{code}/facilitate").text
    board = re.search(r'name="board" value="([^"]+)"', console)[1]  # type: ignore[index]
    sections = _ids(console, "data-section", "h3")
    for n, (title, entries) in enumerate(GREEN_ROOFS.items()):
        for entry in entries:
            author = people[n % len(people)]
            _ok(
                author.post(
                    f"/r/{code}/entries", headers=HX, data={"board": board, "section": sections[title], "text": entry}
                )
            )
    for title, what, who, due, done in ACTIONS:
        data = {"activity": board, "place": sections[title], "text": what, "owner": who, "due": due}
        _ok(fac.post(f"/r/{code}/actions", headers=HX, data=data))
        if done:
            soup = BeautifulSoup(fac.get(f"/r/{code}/facilitate").text, "html.parser")
            action = next(li["data-action"] for li in soup.select(".action-item") if what in li.get_text())
            _ok(
                fac.post(f"/r/{code}/actions/done", headers=HX, data={"activity": board, "action": action, "done": "1"})
            )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        console_page = page_as(browser, fac, base, f"/r/{code}/facilitate", viewport=PROJECTOR, locale="de-DE")
        console_page.wait_for_selector(".action-item")
        console_page.locator(f'[data-section="{sections["Zwischenziele"]}"] .action-add summary').click()
        console_page.screenshot(path=OUT / "facilitator-actions.png")
        console_page.locator(
            f'[data-section="{sections["Zwischenziele"]}"] .action-add summary'
        ).click()  # closed again
        console_page.locator(".export-menu summary").click()
        console_page.screenshot(path=OUT / "facilitator-results-menu.png")
        phone = page_as(browser, people[2], base, f"/r/{code}", **PHONE, locale="de-DE")
        phone.wait_for_selector(".action-item")
        phone.screenshot(path=OUT / "phone-actions.png", full_page=True)
        minutes = page_as(
            browser, fac, base, f"/r/{code}/minutes", viewport={"width": 1280, "height": 900}, locale="de-DE"
        )
        minutes.screenshot(path=OUT / "minutes-print-view.png")


def shoot_prepare(base: str) -> None:
    """The start page's templates (projector-sized, 1280×720, on a phone and at 320 px); the console of a room opened
    from "Initiativen.Markt" with a list of cards pasted, before and after people were dealt to its groups; and a
    phone whose person was just dealt to a group, when its group's timer ran out."""
    small: dict[str, Any] = {**PHONE, "viewport": {"width": 320, "height": 640}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking"])
        for name, options in [
            ("start-templates.png", {"viewport": PROJECTOR}),
            ("start-templates-720.png", {"viewport": {"width": 1280, "height": 720}}),
            ("phone-start-templates.png", PHONE),
            ("phone-start-templates-320.png", small),
        ]:
            start = browser.new_context(**options, locale="de-DE").new_page()
            start.goto(base + "/")
            start.locator("#templates-title").scroll_into_view_if_needed()
            start.evaluate("document.getElementById('templates-title').scrollIntoView()")
            start.screenshot(path=OUT / name)

        fac = httpx.Client(base_url=base)
        opened = fac.post("/templates", data={"template": "initiativen-markt", "title": "Initiativen.Markt 2026"})
        code = opened.headers["location"].split("/r/")[1].split("/")[0]
        fac.get(opened.headers["location"])
        page = fac.get(f"/r/{code}/facilitate").text
        group = re.search(r'name="group" value="([^"]+)"', page)[1]  # type: ignore[index]
        cards = "\n".join(card for theme in list(THEMES.values())[:2] for card in theme[:3])
        files = {"file": ("", b"", "text/csv")}
        data = {"prompt": "Ideen aus der Umfrage vorab", "listing": cards, "group": group, "show": "none"}
        _ok(fac.post(f"/r/{code}/ideas", headers=HX, data=data, files=files))
        for size, suffix in [(PROJECTOR, ""), ({"width": 1280, "height": 720}, "-720")]:
            console = page_as(browser, fac, base, f"/r/{code}/facilitate", viewport=size, locale="de-DE")
            console.screenshot(path=OUT / f"facilitator-prepared{suffix}.png")
            console.context.close()

        people = [join(base, code, name, org) for name, org, *_ in FIBONACCI_VOTES[:5]]
        phones = [
            page_as(browser, person, base, f"/r/{code}", **PHONE, locale="de-DE", reduced_motion="reduce")
            for person in people
        ]
        console = page_as(browser, fac, base, f"/r/{code}/facilitate", viewport=PROJECTOR, locale="de-DE")
        until_count(console, "#people li.online", 5)
        _ok(fac.post(f"/r/{code}/people/shuffle", headers=HX, data={"by": "groups", "number": "2", "once": "shot"}))
        deadline = time.monotonic() + 30
        while len(moved := [phone for phone in phones if phone.locator("#group.moved").count()]) < 2:  # to group 2
            assert time.monotonic() < deadline, "nobody was dealt to the second group"
            phones[0].wait_for_timeout(200)
        console.reload()
        console.screenshot(path=OUT / "facilitator-prepared-dealt.png", full_page=True)
        moved[1].set_viewport_size(small["viewport"])
        for phone, name in zip(moved, ("phone-timer-end.png", "phone-timer-end-320.png"), strict=False):
            group = phone.locator("#group").get_attribute("data-group")  # the phone's group, from its region
            _ok(fac.post(f"/r/{code}/timer", headers=HX, data={"group": group, "action": "stop"}))
            _ok(fac.post(f"/r/{code}/timer", headers=HX, data={"group": group, "action": "start", "minutes": "0:01"}))
            phone.wait_for_selector("#timer.timer-over")
            phone.screenshot(path=OUT / name)
        projector = page_as(
            browser, fac, base, f"/r/{code}/projector?group={group}", viewport=PROJECTOR, locale="de-DE"
        )
        projector.wait_for_selector("#timer .countdown")
        _ok(fac.post(f"/r/{code}/timer", headers=HX, data={"group": group, "action": "stop"}))
        _ok(fac.post(f"/r/{code}/timer", headers=HX, data={"group": group, "action": "start", "minutes": "0:01"}))
        projector.wait_for_selector("#timer.timer-over")
        projector.wait_for_timeout(2500)  # the band's three pulses are over
        projector.screenshot(path=OUT / "projector-timer-end.png")
        more: list[Page] = []
        for page in more:
            page.context.close()
        browser.close()


if __name__ == "__main__":
    main()
