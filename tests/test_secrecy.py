"""No hidden vote value leaves the server before the reveal: not to phones, not to the projector, not to the console.

The deck's cards are unique marker strings, so a plain substring search over every byte sent has no false positives.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from .clients import Facilitator, text
from .conftest import People

MARKERS = ["VQ7x1", "VQ7x2", "VQ7x3"]
REASON = "RZ9-geheim"


def leaked(html: str) -> set[str]:
    """Markers anywhere in the HTML (text or attributes) except the deck's own cards, which every phone shows."""
    soup = BeautifulSoup(html, "html.parser")
    for control in soup.select("button[name=card], option"):
        control.decompose()
    rest = str(soup)
    return {m for m in MARKERS if m in rest}


async def test_hidden_votes_never_leave_the_server(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    console = await facilitator.connect("facilitator")
    voters = [await people.join(name) for name in ("Anna", "Bernd", "Cem")]
    watcher = await people.join("Dora", observer=True)
    phones = [await v.connect("participant") for v in voters]
    observer = await watcher.connect("observer")
    item = await facilitator.add_item("Geheime Schätzung", deck="custom", cards=", ".join(MARKERS))

    sent_over_http: list[str] = []
    for voter, card in zip(voters, MARKERS, strict=True):
        response = await voter.vote(item, 1, card, reason=f"{REASON} {card}")
        assert response.status_code == 200
        sent_over_http.append(response.text)
    await projector.until(lambda r: "3 von 3" in text(r.get("stage", "")))
    await console.until(lambda r: "3 von 3" in text(r.get("stage", "")))
    for phone in (*phones, observer):
        await phone.until(lambda r: "3 von 3" in text(r.get("stage", "")))
    # Pages as a reload would fetch them (the reconnect snapshot over HTTP), for every kind of viewer.
    pages = [
        await facilitator.page("/projector"),
        await facilitator.page("/facilitate"),
        *[await v.page() for v in voters],
        await watcher.page(),
    ]

    for frame in projector.frames + console.frames + observer.frames:
        assert leaked(frame) == set()
    for phone, card in zip(phones, MARKERS, strict=True):
        # A phone sees its own vote only (it comes with the answer to its post, and is not pushed again).
        assert set().union(*(leaked(frame) for frame in phone.frames)) <= {card}, "a phone sees its own vote only"
    for page in (pages[0], pages[1], pages[-1]):
        assert leaked(page) == set()
    for page, response, card in zip(pages[2:5], sent_over_http, MARKERS, strict=True):
        assert leaked(page) == {card} and leaked(response) == {card}

    await facilitator.reveal(item, 1)
    await projector.until(lambda r: "chart" in r["stage"])
    for card in MARKERS:
        assert f"{REASON} {card}" in projector.region_text("stage")


async def test_the_projector_never_gets_the_values_in_the_stage_region(
    facilitator: Facilitator, people: People
) -> None:
    """Stricter, for the public screen: before the reveal its live regions carry no marker at all."""
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna")
    item = await facilitator.add_item("Geheime Schätzung", deck="custom", cards=", ".join(MARKERS))
    await anna.vote(item, 1, MARKERS[1], reason=REASON)
    await projector.until(lambda r: "1 von 1" in text(r.get("stage", "")))
    assert all(m not in frame for frame in projector.frames for m in MARKERS)
    assert all(REASON not in frame for frame in projector.frames)
