"""Facilitator rights can be taken back: a new link signs out every device that came in through the old one (its
pages, commands, exports and open sockets), the console lists the devices and signs all others out, and a signed
cookie expires."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from .clients import BROWSER_POST, HX, WAIT, Facilitator, Participant, Person, Socket, start_server, text
from .conftest import People

SIGNED_OUT = "Dieses Gerät moderiert nicht mehr"
NOT_YOURS = "nicht freigegeben"


def secret_link(console: str, base: str) -> str:
    """The one-time link on the console, as a path."""
    lines = [line for line in console.splitlines() if "/facilitate/" in line and "value=" in line]
    assert len(lines) == 1, "the secret link is shown once"
    return lines[0].split('value="')[1].split('"')[0].replace(base, "")


async def device_with(fac: Facilitator, link: str) -> Participant:
    """Another device (a laptop, a colleague's phone) that opens a facilitator link."""
    device = Participant(fac.base, fac.code)
    opened = await device.http.get(link)
    assert opened.status_code == 303, opened.text
    return device


async def first_group(fac: Person) -> str:
    page = BeautifulSoup(await fac.page("/facilitate"), "html.parser")
    field = page.select_one("input[name=group]")
    assert field is not None
    return str(field["value"])


async def second_group(fac: Facilitator, name: str) -> str:
    before = BeautifulSoup(await fac.page("/facilitate"), "html.parser")
    known = {str(c["data-group"]) for c in before.select("#groups [data-group]")} or {await first_group(fac)}
    assert (await fac.post("/groups", name=name)).status_code == 200
    after = BeautifulSoup(await fac.page("/facilitate"), "html.parser")
    (added,) = {str(c["data-group"]) for c in after.select("#groups [data-group]")} - known
    return added


async def group_link(fac: Facilitator, group: str) -> str:
    """A (new) facilitator link of a group's own, made on the main console and shown there once."""
    made = await fac.post("/groups/link", group=group)
    assert made.status_code == 204, made.text
    page = BeautifulSoup(await fac.page(f"/facilitate?group={group}"), "html.parser")
    field = page.select_one("[aria-labelledby=group-secret-title] input.link")
    assert field is not None
    return str(field["value"]).replace(fac.base, "")


async def closed_with(sock: Socket, notice: str) -> int:
    """Wait for the notice on the screen, then for the server to close the socket; its close code."""
    await sock.until(lambda r: notice in text(r.get("notice", "")))
    with pytest.raises(Exception):  # noqa: B017 - closed by the server: any receive fails
        await sock.until(lambda r: False)
    return int(sock.ws.close_code or 0)


async def test_a_new_link_signs_out_every_device_that_used_the_old_one(people: People) -> None:
    fac = people.facilitator
    old_link = secret_link(await fac.page("/facilitate"), fac.base)
    laptop = await device_with(fac, old_link)
    people.joined.append(laptop)
    anna = await people.join("Anna")
    item = await fac.add_item("Wer darf noch aufdecken?")
    assert (await anna.vote(item, 1, "8")).status_code == 200
    group = await first_group(fac)
    console = await laptop.connect("facilitator")
    await console.until(lambda r: "Wer darf noch aufdecken?" in text(r.get("stage", "")))
    assert (await laptop.http.get(f"/r/{fac.code}/export.md")).status_code == 200  # until now, it may

    renewed = await fac.post("/facilitator-link")
    assert renewed.status_code == 204
    new_link = secret_link(await fac.page("/facilitate"), fac.base)

    # The laptop's open console is told and closed (1008: htmx does not retry).
    assert await closed_with(console, SIGNED_OUT) == 1008
    # Every right is gone: commands, pages, exports, group links, deleting, a new socket.
    assert (await laptop.post("/reveal", item=item, round=1)).status_code == 403
    for path in (
        "/facilitate",
        f"/facilitate?group={group}",
        "/export.md",
        f"/export.md?group={group}",
        "/export.json",
    ):
        assert (await laptop.http.get(f"/r/{fac.code}{path}")).status_code == 403, path
    assert (await laptop.post("/groups/link", group=group)).status_code == 403
    assert (await laptop.post("/facilitator-link")).status_code == 403
    assert (await laptop.post("/delete", confirm=fac.code)).status_code == 403
    again = await laptop.connect("facilitator")
    assert await closed_with(again, NOT_YOURS) == 1008

    # The device that made the new link keeps every right; the room is untouched.
    assert (await fac.reveal(item, 1)).status_code == 200
    assert (await fac.http.get(f"/r/{fac.code}/export.json")).status_code == 200
    assert (await fac.http.get(f"/r/{fac.code}/facilitate")).status_code == 200
    own = await fac.connect("facilitator")
    await own.until(lambda r: "chart" in r.get("stage", ""))
    # The old link answers like an unknown one; the new link lets the laptop in again.
    assert (await laptop.http.get(old_link)).status_code == 404
    assert (await laptop.http.get(new_link)).status_code == 303
    assert (await laptop.http.get(f"/r/{fac.code}/facilitate")).status_code == 200


async def test_a_new_group_link_signs_out_only_that_groups_old_devices(
    facilitator: Facilitator, people: People
) -> None:
    first = await first_group(facilitator)
    second = await second_group(facilitator, "AG Klimaschutz")
    old_lead = await device_with(facilitator, await group_link(facilitator, second))
    first_lead = await device_with(facilitator, await group_link(facilitator, first))
    people.joined += [old_lead, first_lead]
    old_console = await old_lead.connect(f"facilitator&group={second}")
    await old_console.until(lambda r: "stage" in r)
    first_console = await first_lead.connect(f"facilitator&group={first}")
    await first_console.until(lambda r: "stage" in r)

    new_lead = await device_with(facilitator, await group_link(facilitator, second))  # the link is renewed
    people.joined.append(new_lead)

    assert await closed_with(old_console, SIGNED_OUT) == 1008
    assert (await old_lead.http.get(f"/r/{facilitator.code}/facilitate?group={second}")).status_code == 403
    assert (await old_lead.post("/timer", group=second, action="start", minutes="5")).status_code == 403
    assert (await old_lead.http.get(f"/r/{facilitator.code}/export.md?group={second}")).status_code == 403
    assert (await old_lead.http.get(f"/r/{facilitator.code}/projector?group={second}")).status_code == 403

    # The new link's device, the other group's facilitator and the main facilitator keep theirs.
    assert (await new_lead.post("/timer", group=second, action="start", minutes="5")).status_code == 200
    assert (await first_lead.post("/timer", group=first, action="start", minutes="5")).status_code == 200
    assert (await facilitator.http.get(f"/r/{facilitator.code}/export.json")).status_code == 200
    await first_console.until(lambda r: "countdown" in r.get("timer", ""))  # still open, still pushed to


async def test_the_console_lists_the_devices_and_signs_all_others_out(facilitator: Facilitator, people: People) -> None:
    laptop = await device_with(facilitator, secret_link(await facilitator.page("/facilitate"), facilitator.base))
    second = await second_group(facilitator, "AG Mobilität")
    lead = await device_with(facilitator, await group_link(facilitator, second))
    people.joined += [laptop, lead]
    await laptop.page("/facilitate")

    devices = BeautifulSoup(await facilitator.page("/facilitate"), "html.parser").select_one("#devices")
    assert devices is not None, "the main console lists the devices that facilitate"
    rows = [" ".join(li.get_text(" ").split()) for li in devices.select("li")]
    assert len(rows) == 3, rows
    assert sum("Dieses Gerät" in row for row in rows) == 1
    assert sum("AG Mobilität" in row for row in rows) == 1
    assert "127.0.0.1" not in str(devices)  # no addresses are kept
    lead_console = await lead.connect(f"facilitator&group={second}")
    await lead_console.until(lambda r: "stage" in r)

    signed_out = await facilitator.post("/devices/sign-out")
    assert signed_out.status_code == 204 and signed_out.headers["hx-redirect"] == f"/r/{facilitator.code}/facilitate"

    assert await closed_with(lead_console, SIGNED_OUT) == 1008
    assert (await laptop.http.get(f"/r/{facilitator.code}/facilitate")).status_code == 403
    assert (await lead.http.get(f"/r/{facilitator.code}/facilitate?group={second}")).status_code == 403
    console = BeautifulSoup(await facilitator.page("/facilitate"), "html.parser")
    devices = console.select_one("#devices")
    assert devices is not None and [" ".join(li.get_text(" ").split()) for li in devices.select("li")] == [
        next(row for row in rows if "Dieses Gerät" in row)
    ]
    assert (await facilitator.post("/groups/link", group=second)).status_code == 204  # this device keeps its rights


class _Past(TimestampSigner):
    """Signs as if it were a day ago."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 86400


def test_an_expired_cookie_counts_as_no_cookie(redis_url: str, tmp_path: Path) -> None:
    key = "only-for-this-test"
    with start_server(tmp_path / "data", redis_url=redis_url, WORKSHOP_SECRET_KEY=key, WORKSHOP_ROOM_TTL="1h") as app:
        with httpx.Client(base_url=app.url, timeout=WAIT, headers=BROWSER_POST) as browser:
            opened = browser.post("/rooms", data={"title": "Abgelaufen"})
            code = opened.headers["location"].split("/r/")[1].split("/")[0]
            join = browser.get(f"/j/{code}")
            pid = join.text.split('name="pid" value="')[1].split('"')[0]
            assert browser.post(f"/j/{code}", data={"pid": pid, "name": "Anna"}).status_code == 303
            assert browser.get(f"/r/{code}/facilitate").status_code == 200
            cookie = browser.cookies["workshop_id"]

            fresh = URLSafeTimedSerializer(key, salt="workshop-identity")
            stale = URLSafeTimedSerializer(key, salt="workshop-identity", signer=_Past)
            content = fresh.loads(cookie)
            browser.cookies.clear()
            browser.cookies.set("workshop_id", stale.dumps(content))  # the same content, signed longer ago than the TTL
            assert browser.get(f"/r/{code}/facilitate").status_code == 403
            assert (
                browser.post(f"/r/{code}/items", data={"question": "Alt?", "deck": "fibonacci"}, headers=HX).status_code
                == 403
            )
            phone = browser.get(f"/r/{code}")
            assert phone.status_code == 303 and phone.headers["location"] == f"/j/{code}"  # asked to join again

            browser.cookies.clear()
            browser.cookies.set("workshop_id", fresh.dumps(content))  # signed now: everything as it was
            assert browser.get(f"/r/{code}/facilitate").status_code == 200
            assert browser.get(f"/r/{code}").status_code == 200
