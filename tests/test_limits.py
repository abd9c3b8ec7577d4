"""Limits per client address that hold across processes (counters in Redis): failed code lookups, new rooms,
restored archives and socket opens; and a handful of sockets per person and room. Two real server processes on one
Redis, each client with an address of its own (X-Forwarded-For, trusted from 127.0.0.1 as uvicorn does)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import pytest

from workshop.domain import codes

from .clients import Facilitator, Participant, Person, Server, Socket, start_server, text

RATES = "lookups=5/1h, rooms=3/1h, restores=2/1h, sockets=12/1h"
PER_PERSON = 5


@pytest.fixture(scope="module")
def pair(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Two app processes on one Redis, with low limits (and the default of sockets per person)."""
    env = {"WORKSHOP_RATE_LIMITS": RATES}
    with (
        start_server(tmp_path_factory.mktemp("one"), redis_url=redis_url, **env) as one,
        start_server(tmp_path_factory.mktemp("two"), redis_url=redis_url, **env) as two,
    ):
        yield one, two


def address() -> str:
    """An address nobody else uses (keys are per address and live an hour: every test takes a new one)."""
    return "10." + ".".join(str(secrets.randbelow(256)) for _ in range(3))


def unknown() -> str:
    return codes.display(codes.new_code())  # 32^8 codes: this one is nobody's


def waits(response: object) -> bool:
    """A 429 that says how long to wait, in a header and in words."""
    status, headers, body = response.status_code, response.headers, response.text  # type: ignore[attr-defined]
    return status == 429 and 0 < int(headers["retry-after"]) <= 3600 and "Bitte in etwa" in text(body)


async def test_failed_code_lookups_are_limited_per_address_across_processes(pair: tuple[Server, Server]) -> None:
    one, two = pair
    async with Facilitator.open(one.url, "Echter Raum", address=address()) as fac:
        guesser = Person(one.url, address=(here := address()))
        other = Person(two.url, address=address())
        anna = await Participant.join(two.url, fac.code, "Anna", address=here)  # joins from the same address
        try:
            # Lookups that find a room are never counted: a whole room behind one address joins.
            for n in range(8):
                server = (one, two)[n % 2].url
                assert (await guesser.http.get(f"{server}/join?code={fac.code}")).status_code == 303
                assert (await guesser.http.get(f"{server}/j/{fac.code}")).status_code == 200
            # Five misses, on either process.
            for n in range(5):
                missed = await guesser.http.get(f"{(one, two)[n % 2].url}/join?code={unknown()}")
                assert missed.status_code == 404, n
            # Then every lookup from this address waits, on both processes, whether the code exists or not:
            # the answer must not tell a guesser which codes are real.
            for server, path in [
                (one, f"/join?code={unknown()}"),
                (two, f"/j/{unknown()}"),
                (one, f"/join?code={fac.code}"),
                (two, f"/j/{fac.code}"),
                (one, f"/r/{fac.code}/projector"),
            ]:
                refused = await guesser.http.get(server.url + path)
                assert waits(refused), (path, refused.status_code)
            # Who is in the room already stays in; another address is not concerned.
            assert "Echter Raum" in await anna.page()
            assert (await other.http.get(f"/join?code={fac.code}")).status_code == 303
        finally:
            for person in (guesser, other, anna):
                await person.close()


async def test_new_rooms_and_restores_are_limited_per_address_across_processes(pair: tuple[Server, Server]) -> None:
    one, two = pair
    opener = Person(one.url, address=address())
    try:
        for n in range(3):
            opened = await opener.http.post(f"{(one, two)[n % 2].url}/rooms", data={"title": f"Raum {n}"})
            assert opened.status_code == 303, n
        archive = (await opener.http.get(opened.headers["location"].replace("/facilitate", "/export.json"))).content
        for server in (one, two):
            refused = await opener.http.post(f"{server.url}/rooms", data={"title": "Noch einer"})
            assert waits(refused)
        async with Facilitator.open(two.url, "Von anderswo", address=address()):
            pass  # another address opens rooms as before
        for n in range(2):
            restored = await opener.http.post(
                f"{(one, two)[n % 2].url}/restore", files={"archive": ("a.json", archive, "application/json")}
            )
            assert restored.status_code == 303, n
        refused = await opener.http.post(
            f"{one.url}/restore", files={"archive": ("a.json", archive, "application/json")}
        )
        assert waits(refused)
    finally:
        await opener.close()


async def _refused(sock: Socket, notice: str) -> int:
    await sock.until(lambda r: notice in text(r.get("notice", "")))
    with pytest.raises(Exception):  # noqa: B017 - closed by the server: any receive fails
        await sock.until(lambda r: False)
    return int(sock.ws.close_code or 0)


async def test_socket_opens_are_limited_per_address_across_processes(pair: tuple[Server, Server]) -> None:
    one, two = pair
    async with Facilitator.open(one.url, "Viele Beamer", address=address()) as fac:
        here = address()
        flood = [Person((one, two)[n % 2].url, fac.code, address=here) for n in range(13)]
        try:
            for sock in [await p.connect("projector") for p in flood[:12]]:
                await sock.until(lambda r: "stage" in r)
            too_many = await flood[12].connect("projector")
            assert await _refused(too_many, "Zu viele neue Verbindungen") == 1013  # htmx tries again later
            elsewhere = await fac.connect("projector")
            await elsewhere.until(lambda r: "stage" in r)
        finally:
            for person in flood:
                await person.close()


async def test_a_person_has_at_most_a_handful_of_sockets_in_a_room_across_processes(
    pair: tuple[Server, Server],
) -> None:
    one, two = pair
    async with Facilitator.open(one.url, "Viele Tabs", address=address()) as fac:
        anna = await Participant.join(one.url, fac.code, "Anna", address=address())
        on_two = Person(two.url, fac.code, address=anna.forwarded["X-Forwarded-For"])
        on_two.http.cookies = anna.http.cookies  # the same browser, reaching the other process
        try:
            tabs = [await (anna, on_two)[n % 2].connect("participant") for n in range(PER_PERSON)]
            for tab in tabs:
                await tab.until(lambda r: "stage" in r)
            sixth = await anna.connect("participant")
            assert await _refused(sixth, f"schon in {PER_PERSON} Fenstern") == 1013
            # A tab closes: another one gets in (as htmx retries after 1013, a little later each time).
            await tabs[0].ws.close()
            for attempt in range(5):
                again = await on_two.connect("participant")
                await again.until(lambda r: "notice" in r or "stage" in r)
                if "stage" in again.regions:
                    break
                await asyncio.sleep(0.05 * 2**attempt)
            assert "stage" in again.regions
        finally:
            await on_two.close()
            await anna.close()
