"""Random assignment: the main facilitator deals the participants who are here to groups, by a number of groups or
by a group size; missing groups are made, observers and people not here stay, each moved phone shows its group."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup

from .clients import Facilitator, Socket, text
from .conftest import People


def people_by_group(console: str) -> dict[str, list[str]]:
    """The console's people panel as it reads: group heading -> names."""
    page = BeautifulSoup(console, "html.parser")
    return {
        (block.h3.get_text(strip=True) if block.h3 else ""): [
            n.get_text(strip=True) for n in block.select(".person-name")
        ]
        for block in page.select("#people .people-group")
    }


async def test_participants_here_are_dealt_at_random_into_the_number_of_groups_asked_for(
    facilitator: Facilitator, people: People
) -> None:
    names = [f"Person {n}" for n in range(1, 8)]
    crowd = [await people.join(name) for name in names]
    phones: list[Socket] = [await person.arrive() for person in crowd]
    watcher = await people.join("Beobachterin", observer=True)
    await (await watcher.connect("observer")).until(lambda r: "stage" in r)
    await people.join("Nicht da")  # joined, but no phone open

    response = await facilitator.post("/people/shuffle", by="groups", number="3", once="deal-1")
    assert response.status_code == 200, text(response.text)
    shown = people_by_group(await facilitator.page("/facilitate"))
    assert list(shown) == ["Arbeitsgruppe 1", "Arbeitsgruppe 2", "Arbeitsgruppe 3"]
    sizes = Counter({group: len([n for n in members if n in names]) for group, members in shown.items()})
    assert sorted(sizes.values()) == [2, 2, 3]
    assert "Beobachterin" in shown["Arbeitsgruppe 1"] and "Nicht da" in shown["Arbeitsgruppe 1"]

    for person, phone in zip(crowd, phones, strict=True):
        group = next(g for g, members in shown.items() if person.name in members)
        await phone.until(lambda r, g=group: f"Deine Gruppe: {g}" in text(r.get("group", "")))

    await facilitator.post("/people/shuffle", by="size", number="2", once="deal-2")
    shown = people_by_group(await facilitator.page("/facilitate"))
    assert len(shown) == 4  # 7 people in pairs: 2, 2, 2, 1
    assert sorted(len([n for n in m if n in names]) for m in shown.values()) == [1, 2, 2, 2]


async def test_only_the_main_facilitator_deals_and_bad_numbers_are_refused(
    facilitator: Facilitator, people: People
) -> None:
    anna = await people.join("Anna")
    await anna.arrive()
    refused = await anna.post("/people/shuffle", by="groups", number="2")
    assert refused.status_code == 403
    bad = await facilitator.post("/people/shuffle", by="groups", number="0")
    assert bad.status_code == 422 and "Bitte eine Zahl von 1 bis 500 eingeben." in text(bad.text)
    assert list(people_by_group(await facilitator.page("/facilitate"))) == [""]  # still one group, nobody moved
