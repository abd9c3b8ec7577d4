"""Reading an idea board the way a person reads it: which cards are in which theme, in which order."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from .clients import Facilitator, Participant


def board(html: str) -> dict[str, list[str]]:
    """Theme title (or "" for the loose cards) -> card texts in order, from a page or a #stage region."""
    soup = BeautifulSoup(html, "html.parser")
    places: dict[str, list[str]] = {}
    for theme in soup.select("section.theme:not(.new-theme)"):
        title = theme.select_one(".theme-head h3").get_text(strip=True)
        places[title] = [c.select_one(".idea-text").get_text(strip=True) for c in theme.select("li.idea-card")]
    loose = soup.select_one("section.loose")
    places[""] = (
        [c.select_one(".idea-text").get_text(strip=True) for c in loose.select("li.idea-card")] if loose else []
    )
    return places


def ids(html: str, attribute: str) -> dict[str, str]:
    """Visible text -> id, for cards (data-card) or themes (data-theme)."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for el in soup.select(f"[{attribute}]"):
        label = el.select_one(".idea-text" if attribute == "data-card" else ".theme-head h3")
        if label is not None:
            found[label.get_text(strip=True)] = el[attribute]
    return found


class IdeaRoom:
    """The facilitator's idea collection, with the ids a test needs to act on it."""

    def __init__(self, fac: Facilitator, activity: str) -> None:
        self.fac = fac
        self.activity = activity

    @classmethod
    async def open(cls, fac: Facilitator, prompt: str = "Ideen, Anliegen & Maßnahmen", **options: str) -> IdeaRoom:
        response = await fac.post("/ideas", prompt=prompt, start="on", **options)
        assert response.status_code == 200, response.text
        match = re.search(r'name="activity" value="([^"]+)"', await fac.page("/facilitate"))
        assert match
        return cls(fac, match[1])

    async def console(self) -> str:
        return await self.fac.page("/facilitate")

    async def theme(self, title: str) -> str:
        response = await self.fac.post("/themes", activity=self.activity, title=title)
        assert response.status_code == 200, response.text
        return ids(await self.console(), "data-theme")[title]

    async def card_id(self, text: str) -> str:
        return ids(await self.console(), "data-card")[text]

    async def write(self, person: Participant, text: str, **options: str) -> None:
        response = await person.post("/cards", activity=self.activity, text=text, **options)
        assert response.status_code == 200, response.text

    async def move(self, text: str, to: str, before: str = "") -> int:
        response = await self.fac.post(
            "/cards/move", activity=self.activity, card=await self.card_id(text), to=to, before=before
        )
        return response.status_code
