"""Working groups: each group runs its own agenda and timer; people see their group only and act in it only."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from pathlib import Path

import httpx
from bs4 import BeautifulSoup, Tag

from workshop.store import Store

from .clients import Facilitator, Participant, Person, Server, Socket, start_server, text
from .conftest import People

OTHER_GROUP = "Das gehört zu einer anderen Arbeitsgruppe."
FACILITATOR_ONLY = "Das darf nur die Moderation."
NO_SUCH_GROUP = "Diese Arbeitsgruppe gibt es in diesem Workshop nicht."
BAD_DURATION = "Bitte eine Dauer in Minuten eingeben, z. B. 5 oder 2:30."
DURATION_RANGE = "Der Timer läuft zwischen einer Sekunde und 180 Minuten."
MOBILITY = "AG Mobilität"
CLIMATE = "AG Klimaschutz"
FIVE_MINUTES = 5 * 60_000


# -- reading pages as people read them --------------------------------------------------------------------------


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def now_ms() -> int:
    return int(time.time() * 1000)


async def group_ids(fac: Person) -> list[str]:
    """The room's groups in order: the overview's cards (several groups), else the console forms' hidden field."""
    page = soup(await fac.page("/facilitate"))
    cards = [str(card["data-group"]) for card in page.select("#groups [data-group]")]
    if cards:
        return cards
    field = page.select_one("input[name=group]")
    assert field is not None
    return [str(field["value"])]


async def group_names(fac: Person) -> list[str]:
    page = soup(await fac.page("/facilitate"))
    return [card.h3.get_text(strip=True) for card in page.select("#groups [data-group]") if card.h3]


async def add_group(fac: Facilitator, name: str, *, choose: bool = True) -> str:
    """A new group, as the console's form adds it; `choose` ticks "participants choose their group" there (off by
    default in a new room: the tests of choosing and switching tick it when they set up their groups)."""
    before = set(await group_ids(fac))
    response = await fac.post("/groups", name=name, **({"choose_group": "on"} if choose else {}))
    assert response.status_code == 200, response.text
    (added,) = set(await group_ids(fac)) - before
    return added


async def two_groups(fac: Facilitator) -> tuple[str, str]:
    """The room's first group renamed to AG Mobilität, and a second one, AG Klimaschutz."""
    (first,) = await group_ids(fac)
    assert (await fac.post("/groups/rename", group=first, name=MOBILITY)).status_code == 200
    return first, await add_group(fac, CLIMATE)


async def console(fac: Person, group: str) -> BeautifulSoup:
    return soup(await fac.page(f"/facilitate?group={group}"))


async def on_stage(fac: Person, group: str) -> str:
    """The id of the activity on a group's screens, as the console's forms carry it."""
    field = (await console(fac, group)).select_one("#stage [name=item], #stage [name=activity], #stage [name=board]")
    assert field is not None, "nothing on stage"
    return str(field["value"])


async def in_agenda(fac: Person, group: str, title: str) -> str:
    """The id of an activity that is not on screen, from its "Zeigen" button in the group's agenda."""
    for line in (await console(fac, group)).select("#agenda li"):
        if line.select_one(".agenda-q").get_text(strip=True) == title:
            return str(line.select_one("form[action$='/current'] [name=item]")["value"])
    raise AssertionError(f"{title!r} is not in the agenda")


async def ask(fac: Person, group: str, question: str, *, start: bool = True) -> str:
    """An estimation question on a group's agenda, as the console's form posts it; its id."""
    data = {"question": question, "deck": "fibonacci", "group": group}
    response = await fac.post("/items", **data, **({"start": "on"} if start else {}))
    assert response.status_code == 200, response.text
    return await on_stage(fac, group) if start else await in_agenda(fac, group, question)


async def add_board(fac: Person, group: str, title: str) -> tuple[str, str]:
    """A deep-dive board on a group's screens: its id and the id of its first section."""
    response = await fac.post("/boards", title=title, template="deep-dive", start="on", group=group)
    assert response.status_code == 200, response.text
    page = await console(fac, group)
    board = page.select_one("#stage [name=board]")
    section = page.select_one("#stage [data-section]")
    assert board is not None and section is not None
    return str(board["value"]), str(section["data-section"])


async def enter(base: str, code: str, name: str, group: str = "") -> Participant:
    """Join through the join form, choosing a group like the radio buttons do."""
    person = Participant(base, code)
    form = await person.http.get(f"/j/{code}")
    form.raise_for_status()
    pid = re.search(r'name="pid" value="([^"]+)"', form.text)
    assert pid, form.text
    data = {"pid": pid[1], "name": name, "org": "", **({"group": group} if group else {})}
    response = await person.http.post(f"/j/{code}", data=data)
    assert response.status_code == 303, response.text
    person.name = name
    return person


async def join(people: People, name: str, group: str = "") -> Participant:
    person = await enter(people.facilitator.base, people.facilitator.code, name, group)
    people.joined.append(person)
    return person


async def group_lead(fac: Facilitator, people: People, group: str) -> Participant:
    """Another device that opened the group's own facilitator link (shown once on the main console)."""
    made = await fac.post("/groups/link", group=group)
    assert made.status_code == 204 and made.headers["hx-redirect"] == f"/r/{fac.code}/facilitate?group={group}"
    link = (await console(fac, group)).select_one("[aria-labelledby=group-secret-title] input.link")
    assert link is not None, "the group's link is shown on the console"
    lead = Participant(fac.base, fac.code)
    people.joined.append(lead)
    opened = await lead.http.get(str(link["value"]).replace(fac.base, ""))
    assert opened.status_code == 303 and opened.headers["location"] == f"/r/{fac.code}/facilitate?group={group}"
    return lead


async def person_id(fac: Facilitator, name: str) -> str:
    """A participant's id, as the main console's "assign to a group" list names them."""
    options = soup(await fac.page("/facilitate")).select("#move-who option")
    return next(str(o["value"]) for o in options if o.get_text(strip=True) == name)


def people_by_group(region: str) -> dict[str, dict[str, str]]:
    """The people panel as it reads: group heading -> name -> "online" or "offline"."""
    shown: dict[str, dict[str, str]] = {}
    for block in soup(region).select(".people-group"):
        heading = block.h3.get_text(strip=True) if block.h3 else ""
        shown[heading] = {
            li.select_one(".person-name").get_text(strip=True): " ".join(li.get("class", []))
            for li in block.select("li")
        }
    return shown


def countdown(html: str) -> Tag | None:
    return soup(html).select_one(".countdown")


def running_end(regions: dict[str, str]) -> int | None:
    clock = countdown(regions.get("timer", ""))
    return int(str(clock["data-end"])) if clock is not None and clock["data-state"] == "running" else None


def paused_text(regions: dict[str, str]) -> str | None:
    clock = countdown(regions.get("timer", ""))
    return clock.get_text(strip=True) if clock is not None and clock["data-state"] == "paused" else None


def seconds(shown: str) -> int:
    minutes, secs = shown.split(":")
    return int(minutes) * 60 + int(secs)


def never_saw(screen: Socket, *secrets: str) -> None:
    for frame in screen.frames:
        for secret in secrets:
            assert secret not in frame, f"{secret!r} reached a screen of another group"


# -- a group's activities are its own -----------------------------------------------------------------------------


async def test_a_participant_cannot_touch_another_groups_activities(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    mallory = await join(people, "Mallory", mobility)
    bernd = await join(people, "Bernd", climate)
    phone = await mallory.connect("participant")
    await phone.until(lambda r: MOBILITY in text(r.get("group", "")))
    question = "Wie hoch schätzt Ihr den Aufwand für eine kommunale Wärmeplanung ein?"
    prompt = "Welche Ideen habt Ihr für klimafreundliche Beschaffung?"
    title = "Klimaneutrale Verwaltung 2030"
    card, entry = "Ökostrom für alle Verwaltungsgebäude", "Förderprogramm für Gründächer"  # Bernd's
    smuggled_card, smuggled_entry = "Freie Dachflächen für Photovoltaik nutzen", "Dachbegrünung fördern"  # Mallory's

    # An estimate of the other group: her vote is refused and counts nowhere.
    item = await ask(facilitator, climate, question)
    refused = await mallory.vote(item, 1, "8", "Eingeschmuggelt")
    assert refused.status_code == 403 and OTHER_GROUP in text(refused.text)
    assert (await bernd.vote(item, 1, "5")).status_code == 200
    assert (await facilitator.reveal(item, 1)).status_code == 200
    results = (await console(facilitator, climate)).select_one("#stage")
    figures = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in results.select(".stats > div")}
    assert figures["Minimum"] == figures["Maximum"] == "5"  # Bernd's vote alone
    assert "Eingeschmuggelt" not in text(str(results))

    # An idea collection of the other group: no card from outside.
    assert (await facilitator.post("/ideas", prompt=prompt, start="on", group=climate)).status_code == 200
    ideas = await on_stage(facilitator, climate)
    refused = await mallory.post("/cards", activity=ideas, text=smuggled_card)
    assert refused.status_code == 403 and OTHER_GROUP in text(refused.text)
    assert (await bernd.post("/cards", activity=ideas, text=card)).status_code == 200
    stage = text(str((await console(facilitator, climate)).select_one("#stage")))
    assert card in stage and smuggled_card not in stage and "1 Karte" in stage

    # A board of the other group: no entry from outside.
    board, section = await add_board(facilitator, climate, title)
    refused = await mallory.post("/entries", board=board, section=section, text=smuggled_entry)
    assert refused.status_code == 403 and OTHER_GROUP in text(refused.text)
    assert (await bernd.post("/entries", board=board, section=section, text=entry)).status_code == 200
    stage = text(str((await console(facilitator, climate)).select_one("#stage")))
    assert entry in stage and smuggled_entry not in stage and "1 Beitrag" in stage

    # Her phone got the latest of her own group (so everything before it) and nothing of the other group.
    await ask(facilitator, mobility, "Wie viele Carsharing-Stellplätze braucht das Quartier?")
    await phone.until(lambda r: "Carsharing-Stellplätze" in text(r.get("stage", "")))
    never_saw(phone, question, prompt, title, card, entry)
    own_page = await mallory.page()
    assert not any(secret in own_page for secret in (question, prompt, title, card, entry))
    export = await mallory.http.get(f"/r/{facilitator.code}/export.md?group={climate}")
    assert export.status_code == 403


async def test_phones_follow_their_own_groups_current_activity(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    await ask(facilitator, mobility, "Wie hoch ist der Aufwand für ein Radwegekonzept?")
    later = await ask(facilitator, mobility, "Wie hoch ist der Aufwand für Mobilstationen?", start=False)
    await ask(facilitator, climate, "Wie hoch ist der Aufwand für ein Wärmekataster?")
    anna = await join(people, "Anna", mobility)
    bernd = await join(people, "Bernd", climate)
    anna_phone = await anna.connect("participant")
    bernd_phone = await bernd.connect("participant")
    await anna_phone.until(lambda r: "Radwegekonzept" in text(r.get("stage", "")))
    await bernd_phone.until(lambda r: "Wärmekataster" in text(r.get("stage", "")))
    assert "Wärmekataster" not in anna_phone.region_text("stage")
    assert "Radwegekonzept" not in bernd_phone.region_text("stage")

    assert (await facilitator.post("/current", item=later)).status_code == 200
    await anna_phone.until(lambda r: "Mobilstationen" in text(r["stage"]))

    # Something Bernd does see, after the change: by then anything the change sent him has arrived.
    await join(people, "Cem", climate)
    await bernd_phone.until(lambda r: "2 Personen" in text(r["headcount"]))
    assert "Wärmekataster" in bernd_phone.region_text("stage")
    never_saw(bernd_phone, "Mobilstationen", "Radwegekonzept")


# -- who may run a group ------------------------------------------------------------------------------------------


async def test_a_group_facilitator_runs_their_group_only(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    await ask(facilitator, mobility, "Wie hoch ist der Aufwand für ein Parkraumkonzept?")
    waiting = await ask(facilitator, mobility, "Wie hoch ist der Aufwand für Lastenräder?", start=False)
    bernd = await join(people, "Bernd", climate)
    bernd_id = await person_id(facilitator, "Bernd")
    lead = await group_lead(facilitator, people, climate)

    # Their own group: add a question, reveal it, start the timer.
    added = await lead.post(
        "/items", question="Wie hoch ist der Aufwand für Solarpflicht?", deck="fibonacci", start="on", group=climate
    )
    assert added.status_code == 200, added.text
    item = await on_stage(lead, climate)
    assert (await bernd.vote(item, 1, "13")).status_code == 200
    assert (await lead.post("/reveal", item=item, round=1)).status_code == 200
    assert (await lead.post("/timer", group=climate, action="start", minutes="10")).status_code == 200
    own = await console(lead, climate)
    assert "chart" in str(own.select_one("#stage")) and own.select_one("#timer .countdown-running") is not None

    # The other group and the room as a whole are the main facilitator's.
    before = await console(facilitator, mobility)
    refusals = {
        "/items": {"question": "Eingeschleuste Frage", "deck": "fibonacci", "start": "on", "group": mobility},
        "/current": {"item": waiting},
        "/timer": {"group": mobility, "action": "start", "minutes": "5"},
        "/groups": {"name": "AG Schattenhaushalt"},
        "/groups/rename": {"group": climate, "name": "AG Umbenannt"},
        "/groups/project": {"group": climate},
        "/groups/link": {"group": climate},
        "/options": {"auto_reveal": "on"},
        "/people/move": {"person": bernd_id, "group": mobility},
        "/delete": {"confirm": facilitator.code},
    }
    for path, form in refusals.items():
        response = await lead.post(path, **form)
        assert response.status_code == 403, (path, response.status_code)
        assert FACILITATOR_ONLY in text(response.text), path
    after = await console(facilitator, mobility)
    for region in ("#stage", "#agenda", "#timer", "#groups", "#people"):
        assert str(after.select_one(region)) == str(before.select_one(region)), region
    assert "Eingeschleuste Frage" not in str(after)
    assert after.select_one("input[name=choose_group][checked]") is not None  # the options are as they were
    assert after.select_one("input[name=auto_reveal][checked]") is None
    assert "Solarpflicht" in text(await bernd.page())  # Bernd is still in his group

    # A group facilitator's console is their group's, whatever they ask for; its socket too.
    assert "Parkraumkonzept" not in await lead.page(f"/facilitate?group={mobility}")
    other = await lead.connect(f"facilitator&group={mobility}")
    await other.until(lambda r: "notice" in r)
    assert "nicht freigegeben" in other.region_text("notice")

    # The main facilitator acts in every group.
    assert (await facilitator.post("/current", item=waiting)).status_code == 200
    assert (await facilitator.post("/timer", group=climate, action="pause")).status_code == 200
    await ask(facilitator, climate, "Wie hoch ist der Aufwand für Fernwärme?", start=False)  # now on its agenda
    main_projector = await facilitator.connect("projector")
    assert (await facilitator.post("/groups/project", group=climate)).status_code == 200
    await main_projector.until(lambda r: "Solarpflicht" in text(r.get("stage", "")))
    assert "Lastenräder" in text(str((await console(facilitator, mobility)).select_one("#stage")))


async def test_moving_people_between_groups(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    await ask(facilitator, mobility, "Wie hoch ist der Aufwand für Quartiersgaragen?")
    await ask(facilitator, climate, "Wie hoch ist der Aufwand für Balkonkraftwerke?")
    anna = await join(people, "Anna", mobility)
    mallory = await join(people, "Mallory", mobility)
    phone = await anna.connect("participant")
    await phone.until(lambda r: "Quartiersgaragen" in text(r.get("stage", "")))
    anna_id = await person_id(facilitator, "Anna")

    refused = await mallory.post("/people/move", person=anna_id, group=climate)
    assert refused.status_code == 403 and FACILITATOR_ONLY in text(refused.text)
    panel = str(soup(await facilitator.page("/facilitate")).select_one("#people"))
    assert "Anna" in people_by_group(panel)[MOBILITY]

    # The main facilitator moves her: her phone switches at once.
    assert (await facilitator.post("/people/move", person=anna_id, group=climate)).status_code == 200
    await phone.until(lambda r: "Balkonkraftwerke" in text(r["stage"]) and CLIMATE in text(r["group"]))

    # While people may choose, she switches back herself.
    assert (await anna.post("/group", group=mobility)).status_code == 200
    await phone.until(lambda r: "Quartiersgaragen" in text(r["stage"]) and MOBILITY in text(r["group"]))

    # The facilitator takes the choice away: the switch is gone from her phone, and a posted switch is refused.
    assert (await facilitator.post("/options")).status_code == 200
    await phone.until(lambda r: "Gruppe wechseln" not in text(r["group"]))
    refused = await anna.post("/group", group=climate)
    assert refused.status_code == 403 and "Die Gruppen teilt gerade die Moderation ein." in text(refused.text)
    assert "Quartiersgaragen" in text(await anna.page())
    panel = str(soup(await facilitator.page("/facilitate")).select_one("#people"))
    assert set(people_by_group(panel)[MOBILITY]) == {"Anna", "Mallory"} and not people_by_group(panel)[CLIMATE]


async def test_joining_into_a_group(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    await ask(facilitator, mobility, "Wie hoch ist der Aufwand für Fahrradstraßen?")
    await ask(facilitator, climate, "Wie hoch ist der Aufwand für Hitzeschutzpläne?")
    code = facilitator.code

    def checked(html: str) -> dict[str, bool]:
        return {str(r["value"]): r.has_attr("checked") for r in soup(html).select("input[type=radio][name=group]")}

    visitor = Participant(facilitator.base, code)
    people.joined.append(visitor)
    assert checked((await visitor.http.get(f"/j/{code}")).text) == {mobility: True, climate: False}
    form = await visitor.http.get(f"/j/{code}?group={climate}")  # the join link of the group's projector
    assert checked(form.text) == {mobility: False, climate: True}

    dora = await join(people, "Dora", climate)
    phone = await dora.connect("participant")
    await phone.until(lambda r: "Hitzeschutzpläne" in text(r.get("stage", "")) and CLIMATE in text(r["group"]))

    # An unknown group: a clear answer, and nobody joined.
    stranger = Participant(facilitator.base, code)
    people.joined.append(stranger)
    pid = re.search(r'name="pid" value="([^"]+)"', form.text)
    assert pid
    response = await stranger.http.post(
        f"/j/{code}", data={"pid": pid[1], "name": "Egon", "org": "", "group": "gibt-es-nicht"}
    )
    assert response.status_code == 404 and NO_SUCH_GROUP in text(response.text)
    assert (await stranger.http.get(f"/r/{code}")).headers.get("location") == f"/j/{code}"
    panel = people_by_group(str(soup(await facilitator.page("/facilitate")).select_one("#people")))
    assert panel[MOBILITY] == {} and set(panel[CLIMATE]) == {"Dora"}


# -- a group's timer ------------------------------------------------------------------------------------------------


async def test_a_groups_timer_reaches_every_screen_of_that_group(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    bernd = await join(people, "Bernd", climate)
    anna = await join(people, "Anna", mobility)
    screens = [
        await facilitator.connect(f"projector&group={climate}"),
        await bernd.connect("participant"),
        await facilitator.connect(f"facilitator&group={climate}"),
    ]
    elsewhere = await anna.connect("participant")
    for screen in (*screens, elsewhere):
        await screen.until(lambda r: "timer" in r)

    before = now_ms()
    assert (await facilitator.post("/timer", group=climate, action="start", minutes="5")).status_code == 200
    after = now_ms()
    ends = set()
    for screen in screens:
        await screen.until(lambda r: running_end(r) is not None)
        ends.add(running_end(screen.regions))
    (end,) = ends  # the server's end time, the same on every screen
    assert before + FIVE_MINUTES - 1000 <= end <= after + FIVE_MINUTES + 1000

    # The other group's phone: nothing runs (checked after a change it does see).
    assert (await facilitator.post("/groups/rename", group=mobility, name="AG Verkehrswende")).status_code == 200
    await elsewhere.until(lambda r: "AG Verkehrswende" in text(r["group"]))
    assert countdown(elsewhere.regions["timer"]) is None
    assert not any('data-state="running"' in frame for frame in elsewhere.frames)

    # A phone that comes back gets the same end time.
    again = await bernd.connect("participant")
    await again.until(lambda r: running_end(r) is not None)
    assert running_end(again.regions) == end

    assert (await facilitator.post("/timer", group=climate, action="pause")).status_code == 200
    shown = set()
    for screen in screens:
        await screen.until(lambda r: paused_text(r) is not None)
        shown.add(paused_text(screen.regions))
    (left,) = shown
    assert re.fullmatch(r"\d+:\d\d", left) and 4 * 60 + 30 <= seconds(left) <= 5 * 60
    assert "angehalten" in screens[1].region_text("timer")
    returning = await bernd.connect("participant")
    await returning.until(lambda r: paused_text(r) is not None)
    assert paused_text(returning.regions) == left


async def test_the_timer_refuses_bad_durations_and_participants(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    anna = await join(people, "Anna", climate)
    assert (await facilitator.post("/timer", group=climate, action="start", minutes="2:30")).status_code == 200
    timer = str((await console(facilitator, climate)).select_one("#timer"))
    end = running_end({"timer": timer})
    assert end is not None

    for typed, message in (("abc", BAD_DURATION), ("0", DURATION_RANGE), ("999", DURATION_RANGE), ("", BAD_DURATION)):
        response = await facilitator.post("/timer", group=climate, action="start", minutes=typed)
        assert response.status_code == 422 and message in text(response.text), typed
    refused = await anna.post("/timer", group=climate, action="stop")
    assert refused.status_code == 403 and FACILITATOR_ONLY in text(refused.text)
    refused = await anna.post("/timer", group=mobility, action="start", minutes="5")
    assert refused.status_code == 403
    assert str((await console(facilitator, climate)).select_one("#timer")) == timer  # unchanged
    assert countdown(str((await console(facilitator, mobility)).select_one("#timer"))) is None


async def test_two_pauses_at_once_pause_once(facilitator: Facilitator) -> None:
    (group,) = await group_ids(facilitator)
    assert (await facilitator.post("/timer", group=group, action="start", minutes="5")).status_code == 200
    answers = await asyncio.gather(*(facilitator.post("/timer", group=group, action="pause") for _ in range(2)))
    assert [a.status_code for a in answers] == [200, 200], [text(a.text) for a in answers]  # no error for either
    left = paused_text({"timer": str((await console(facilitator, group)).select_one("#timer"))})
    assert left is not None and 4 * 60 + 30 <= seconds(left) <= 5 * 60
    assert (await facilitator.post("/timer", group=group, action="resume")).status_code == 200
    assert running_end({"timer": str((await console(facilitator, group)).select_one("#timer"))}) is not None


async def test_a_second_tabs_pause_right_after_the_first_is_no_error(facilitator: Facilitator) -> None:
    (group,) = await group_ids(facilitator)
    assert (await facilitator.post("/timer", group=group, action="start", minutes="5")).status_code == 200
    assert (await facilitator.post("/timer", group=group, action="pause")).status_code == 200
    second = await facilitator.post("/timer", group=group, action="pause")  # the other tab, a moment later
    assert second.status_code == 200, text(second.text)


async def test_an_infinite_duration_is_refused_clearly(facilitator: Facilitator) -> None:
    (group,) = await group_ids(facilitator)
    for typed in ("inf", "1e400", "nan", "-inf"):
        response = await facilitator.post("/timer", group=group, action="start", minutes=typed)
        assert response.status_code == 422, typed
        assert DURATION_RANGE in text(response.text) or BAD_DURATION in text(response.text)
    assert countdown(str((await console(facilitator, group)).select_one("#timer"))) is None


# -- a restart --------------------------------------------------------------------------------------------------------


def kill_embedded_redis(data_dir: Path) -> None:
    """SIGKILL the redis-server serving data_dir (it outlives a killed app)."""
    os.kill(int((data_dir / "redis.pid").read_text()), signal.SIGKILL)


def what_a_group_shows(page: BeautifulSoup) -> dict[str, object]:
    return {
        "groups": [card.h3.get_text(strip=True) for card in page.select("#groups [data-group]") if card.h3],
        "agenda": [q.get_text(strip=True) for q in page.select("#agenda .agenda-q")],
        "entries": {
            s.h3.get_text(strip=True): [e.get_text(strip=True) for e in s.select(".dd-text")]
            for s in page.select("#stage [data-section]")
        },
        "timer": running_end({"timer": str(page.select_one("#timer"))}),
    }


async def test_a_restart_keeps_groups_agendas_boards_and_the_timer(data_dir: Path) -> None:
    with start_server(data_dir) as first:
        async with Facilitator.open(first.url, "Neustart mit Arbeitsgruppen") as fac:
            _, climate = await two_groups(fac)
            board, section = await add_board(fac, climate, "Dachbegrünung in Innenstädten fördern")
            await ask(fac, climate, "Wie hoch ist der Aufwand für ein Wärmenetz?", start=False)
            bernd = await enter(first.url, fac.code, "Bernd", climate)
            for entry in ("Förderprogramm auflegen", "Gründachkataster erstellen"):
                assert (await bernd.post("/entries", board=board, section=section, text=entry)).status_code == 200
            assert (await fac.post("/timer", group=climate, action="start", minutes="20")).status_code == 200
            before = what_a_group_shows(await console(fac, climate))
            assert before["groups"] == [MOBILITY, CLIMATE] and before["timer"] is not None
            assert before["agenda"] == [
                "Dachbegrünung in Innenstädten fördern",
                "Wie hoch ist der Aufwand für ein Wärmenetz?",
            ]
            assert before["entries"]["Anliegen"] == ["Förderprogramm auflegen", "Gründachkataster erstellen"]
            first.kill()
            kill_embedded_redis(data_dir)

            with start_server(data_dir) as second:
                for person in (fac, bernd):
                    person.base = second.url
                    person.http.base_url = httpx.URL(second.url)
                assert what_a_group_shows(await console(fac, climate)) == before
                phone = await bernd.connect("participant")
                await phone.until(lambda r: running_end(r) is not None and "Gründachkataster" in text(r["stage"]))
                assert running_end(phone.regions) == before["timer"]
                assert CLIMATE in phone.region_text("group")
                assert "Förderprogramm auflegen" in phone.region_text("stage")
            await bernd.close()


# -- presence ---------------------------------------------------------------------------------------------------------


async def test_the_console_shows_who_is_connected(facilitator: Facilitator, people: People) -> None:
    screen = await facilitator.connect("facilitator")
    anna = await join(people, "Anna")
    await screen.until(lambda r: people_by_group(r.get("people", "")) == {"": {"Anna": "offline"}})
    assert "0 verbunden" in text(screen.regions["headcount"])

    await anna.connect("participant")
    await screen.until(
        lambda r: people_by_group(r["people"]) == {"": {"Anna": "online"}} and "1 verbunden" in text(r["headcount"])
    )

    # With several groups, people are listed under their group's name.
    mobility, climate = await two_groups(facilitator)
    bernd = await join(people, "Bernd", climate)
    await join(people, "Cem", climate)
    await screen.until(
        lambda r: (
            people_by_group(r["people"])
            == {MOBILITY: {"Anna": "online"}, CLIMATE: {"Bernd": "offline", "Cem": "offline"}}
        )
    )
    await bernd.connect("participant")
    await screen.until(
        lambda r: (
            people_by_group(r["people"])
            == {MOBILITY: {"Anna": "online"}, CLIMATE: {"Bernd": "online", "Cem": "offline"}}
        )
    )


async def test_a_closed_phone_goes_offline_and_the_other_screens_stay_live(
    facilitator: Facilitator, people: People
) -> None:
    screen = await facilitator.connect("facilitator")
    anna = await join(people, "Anna")
    bernd = await join(people, "Bernd")
    phone = await anna.connect("participant")
    other_phone = await bernd.connect("participant")
    await screen.until(lambda r: "2 verbunden" in text(r.get("headcount", "")))

    await phone.ws.close()
    await screen.until(
        lambda r: (
            people_by_group(r["people"]) == {"": {"Anna": "offline", "Bernd": "online"}}
            and "1 verbunden" in text(r["headcount"])
        ),
        timeout=3,
    )
    await facilitator.add_item("Wie hoch ist der Aufwand für einen Mängelmelder?")
    await other_phone.until(lambda r: "Mängelmelder" in text(r.get("stage", "")), timeout=3)


# -- deleting a group ---------------------------------------------------------------------------------------------


async def test_only_an_empty_group_can_be_deleted(facilitator: Facilitator, people: People) -> None:
    (only,) = await group_ids(facilitator)
    last = await facilitator.post("/groups/delete", group=only)
    assert last.status_code == 409 and "mindestens eine Gruppe" in text(last.text)

    mobility, climate = await two_groups(facilitator)
    digital = await add_group(facilitator, "AG Digitales")
    await ask(facilitator, mobility, "Wie hoch ist der Aufwand für Bürgerbusse?")
    await ask(facilitator, climate, "Wie hoch ist der Aufwand für Klimaanpassung?")
    busy = await facilitator.post("/groups/delete", group=climate)
    assert busy.status_code == 409 and "Nur Gruppen ohne Aktivitäten lassen sich löschen." in text(busy.text)
    assert await group_names(facilitator) == [MOBILITY, CLIMATE, "AG Digitales"]

    cem = await join(people, "Cem", digital)
    phone = await cem.connect("participant")
    await phone.until(lambda r: "AG Digitales" in text(r.get("group", "")))
    assert (await facilitator.post("/groups/delete", group=digital)).status_code == 200
    await phone.until(lambda r: "Bürgerbusse" in text(r["stage"]) and MOBILITY in text(r["group"]))
    assert await group_names(facilitator) == [MOBILITY, CLIMATE]
    panel = people_by_group(str(soup(await facilitator.page("/facilitate")).select_one("#people")))
    assert set(panel) == {MOBILITY, CLIMATE} and "Cem" in panel[MOBILITY]


# -- races and counts -----------------------------------------------------------------------------------------------


async def test_concurrent_new_groups_stop_at_the_maximum(server: Server) -> None:
    for attempt in range(3):  # a race: three rooms, so that a lucky order of the requests does not hide it
        async with Facilitator.open(server.url, f"Großer Workshop {attempt + 1}") as fac:
            for n in range(2, 12):
                await add_group(fac, f"Arbeitsgruppe {n}")
            tabs = [Person(fac.base, fac.code) for _ in range(8)]  # the console open in eight tabs
            try:
                for tab in tabs:
                    tab.http.cookies = fac.http.cookies
                answers = await asyncio.gather(
                    *(tab.post("/groups", name=f"Neue Gruppe {n}") for n, tab in enumerate(tabs))
                )
            finally:
                for tab in tabs:
                    await tab.close()
            assert len(await group_ids(fac)) == 12
            assert [a.status_code for a in answers].count(200) == 1  # one more group fits
            refused = [a for a in answers if a.status_code != 200]
            assert all(a.status_code == 409 for a in refused)


async def test_the_vote_count_counts_the_groups_own_voters(facilitator: Facilitator, people: People) -> None:
    mobility, climate = await two_groups(facilitator)
    item = await ask(facilitator, mobility, "Wie hoch ist der Aufwand für Schulstraßen?")
    anna = await join(people, "Anna", mobility)
    await (await join(people, "Bernd", mobility)).arrive()  # Bernd's phone is open: he is expected to vote
    assert (await anna.vote(item, 1, "5")).status_code == 200
    moved = await facilitator.post("/people/move", person=await person_id(facilitator, "Anna"), group=climate)
    assert moved.status_code == 200
    stage = (await console(facilitator, mobility)).select_one("#stage")
    assert [li.get_text(strip=True) for li in stage.select(".voters li")] == ["… Bernd"]
    assert re.search(r"\b0 von 1 ha(t|ben) abgestimmt", text(str(stage)))


# -- what a review found ---------------------------------------------------------------------------------------------


async def test_a_groups_projector_is_for_its_facilitators(facilitator: Facilitator, people: People) -> None:
    """A participant of one group cannot read another group's activities on that group's projector either."""
    mobility, climate = await two_groups(facilitator)
    await ask(facilitator, climate, "Wie hoch ist der Aufwand für Gründächer?")
    anna = await join(people, "Anna", mobility)
    refused = await anna.http.get(f"/r/{facilitator.code}/projector?group={climate}")
    assert refused.status_code == 403 and "Gründächer" not in refused.text
    assert "Beamer einer Arbeitsgruppe" in text(refused.text)
    stranger = Person(facilitator.base, facilitator.code)
    try:
        assert (await stranger.http.get(f"/r/{facilitator.code}/projector?group={climate}")).status_code == 403
    finally:
        await stranger.close()
    sock = await anna.connect(f"projector&group={climate}")
    await sock.until(lambda r: "notice" in r)
    assert "nicht freigegeben" in sock.region_text("notice")
    never_saw(sock, "Gründächer")
    lead = await group_lead(facilitator, people, climate)  # the group's own facilitator, and the main one, may
    assert "Gründächer" in await lead.page(f"/projector?group={climate}")
    assert "Gründächer" in await facilitator.page(f"/projector?group={climate}")


async def test_a_deleted_groups_facilitator_sees_nothing_of_the_other_groups(
    facilitator: Facilitator, people: People
) -> None:
    mobility, climate = await two_groups(facilitator)
    await ask(facilitator, mobility, "GEHEIM: Aufwand für Parkraum?")
    lead = await group_lead(facilitator, people, climate)
    console_socket = await lead.connect(f"facilitator&group={climate}")
    await console_socket.until(lambda r: "stage" in r)
    assert (await facilitator.post("/groups/delete", group=climate)).status_code == 200
    await console_socket.until(lambda r: "notice" in r)
    assert "nicht freigegeben" in console_socket.region_text("notice")
    assert (await lead.http.get(f"/r/{facilitator.code}/facilitate")).status_code == 403
    never_saw(console_socket, "GEHEIM")


async def test_a_new_rooms_groups_are_kept_apart_unless_the_facilitator_lets_people_choose(
    facilitator: Facilitator, people: People
) -> None:
    (first,) = await group_ids(facilitator)
    # Where a group is added, the console shows the choice; a new room keeps groups apart.
    adding = soup(await facilitator.page("/facilitate")).select_one("form[action$='/groups']")
    assert adding is not None
    choice = adding.select_one("input[name=choose_group]")
    assert choice is not None and not choice.has_attr("checked")
    second = await add_group(facilitator, CLIMATE, choose=False)
    await ask(facilitator, second, "GEHEIM: Aufwand für Fernwärme?")

    # Joining through the second group's QR code lands in the first group; switching over is refused.
    anna = await join(people, "Anna", second)
    phone = await anna.connect("participant")
    await phone.until(lambda r: "group" in r and "stage" in r)
    assert "Gruppe wechseln" not in text(phone.regions["group"])
    refused = await anna.post("/group", group=second)
    assert refused.status_code == 403 and "Die Gruppen teilt gerade die Moderation ein." in text(refused.text)
    assert "GEHEIM" not in await anna.page() and not any("GEHEIM" in frame for frame in phone.frames)

    # Once there are groups, the choice lives in the settings (one checkbox on the console, not two alike).
    console = soup(await facilitator.page("/facilitate"))
    adding, settings = console.select_one("form[action$='/groups']"), console.select_one("form[action$='/options']")
    assert adding is not None and adding.select_one("input[name=choose_group]") is None
    assert settings is not None and settings.select_one("input[name=choose_group]:not([checked])") is not None
    # Ticked there: from then on people choose, and may switch.
    assert (await facilitator.post("/options", choose_group="on")).status_code == 200
    settings = soup(await facilitator.page("/facilitate")).select_one("form[action$='/options']")
    assert settings is not None and settings.select_one("input[name=choose_group][checked]") is not None
    assert (await anna.post("/group", group=second)).status_code == 200
    await phone.until(lambda r: "GEHEIM" in text(r.get("stage", "")))
    assert first != second


async def test_while_the_facilitator_assigns_groups_joining_lands_in_the_first(
    facilitator: Facilitator, people: People
) -> None:
    mobility, climate = await two_groups(facilitator)
    assert (await facilitator.post("/options", ask_org="", auto_reveal="")).status_code == 200  # choose_group off
    visitor = Participant(facilitator.base, facilitator.code)
    people.joined.append(visitor)
    form = await visitor.http.get(f"/j/{facilitator.code}?group={climate}")
    assert 'name="group"' not in form.text  # no choice offered
    egon = await join(people, "Egon", climate)  # a crafted form still lands in the first group
    assert MOBILITY in text(await egon.page())
    panel = people_by_group(str(soup(await facilitator.page("/facilitate")).select_one("#people")))
    assert set(panel[MOBILITY]) == {"Egon"} and panel[CLIMATE] == {}


async def test_an_activity_is_deleted_from_the_agenda_with_everything_in_it(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    (group,) = await group_ids(facilitator)
    anna = await join(people, "Anna", group)
    item = await ask(facilitator, group, "Versehentlich gestellte Frage?")
    assert (await anna.vote(item, 1, "8", "LOESCH-MICH")).status_code == 200
    board, section = await add_board(facilitator, group, "Board zum Löschen")
    assert (await anna.post("/entries", board=board, section=section, text="Auch weg")).status_code == 200
    estimate = await facilitator.post(
        "/estimate/start", board=board, section=section, question="Aufwand?", deck="qualitative"
    )
    assert estimate.status_code == 200
    quick = str((await console(facilitator, group)).select_one("form[action$='/reveal'] [name=item]")["value"])
    assert (await anna.vote(quick, 1, "Hoch")).status_code == 200
    opened = await facilitator.post("/ideas", prompt="Ideen zum Löschen", start="on", group=group)
    assert opened.status_code == 200
    ideas = await on_stage(facilitator, group)
    assert (await anna.post("/cards", activity=ideas, text="Karte zum Löschen")).status_code == 200
    assert (await facilitator.post("/themes", activity=ideas, title="Thema zum Löschen")).status_code == 200
    await ask(facilitator, group, "Die Frage, die bleibt?")  # now on screen: the others are not

    on_screen = await on_stage(facilitator, group)
    assert (await facilitator.post("/agenda/remove", item=on_screen)).status_code == 409
    assert (await anna.post("/agenda/remove", item=item)).status_code == 403
    for doomed in (item, board, ideas):
        assert (await facilitator.post("/agenda/remove", item=doomed)).status_code == 200
    titles = [li.get_text(strip=True) for li in (await console(facilitator, group)).select("#agenda .agenda-q")]
    assert titles == ["Die Frage, die bleibt?"]
    gone = (item, board, quick, ideas)
    left = [key for key in await store.keys_of(facilitator.code) if any(g in key for g in gone)]
    assert left == []
    assert "LOESCH-MICH" not in (await facilitator.http.get(f"/r/{facilitator.code}/export.json")).text
