"""A workshop on a primary with a replica, watched by three sentinels (REDIS_URL=redis+sentinel://…), with
WORKSHOP_REDIS_WAIT_REPLICAS=1: the primary fails over while people vote on two processes, and nothing acknowledged
is lost: each person's last acknowledged vote is the one revealed, on the screens of both processes.

What a failover loses without the setting: Redis replicates after it answers, and SENTINEL FAILOVER promotes the
replica at once but turns the old primary into a replica only about ten seconds later (a sentinel's next look at
it). Until then the old primary still takes writes from the connections that were open to it, and answers them;
they are gone once it copies the new primary. With WAIT 1 such a write is answered 503 ("nicht sicher gespeichert")
instead, the phone sends it again, and the retry lands on the new primary (or finds itself applied: the form's
once key)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workshop.connection import check_answers

from .clients import Facilitator, Participant, Person, Socket, start_server, text
from .redis_servers import replicated


async def until_all(screens: list[Socket], texts: list[str]) -> None:
    for screen in screens:
        await screen.until(lambda r: all(t in text(r.get("stage", "")) for t in texts))


async def sent(person: Participant, path: str, **data: str) -> int:
    """Post until it is stored, as a phone does when it says "noch einmal senden": the 503s it took."""
    refused = 0
    while (answer := await person.post(path, **data)).status_code != 200:
        assert answer.status_code == 503, text(answer.text)  # never a 500, never a lost answer
        refused += 1
        await asyncio.sleep(0.1)  # a person taps again
    return refused


async def test_with_wait_one_replica_a_failover_loses_nothing_acknowledged(tmp_path: Path) -> None:
    with replicated(tmp_path / "redis") as setup:
        assert check_answers(setup.url) is None
        problem = check_answers(setup.url.replace("/workshop", "/anderer"))
        assert problem and problem.startswith("has no primary") and "service name" in problem
        env = {"redis_url": setup.url, "WORKSHOP_REDIS_WAIT_REPLICAS": "1"}
        with start_server(tmp_path / "a", **env) as a, start_server(tmp_path / "b", **env) as b:
            async with Facilitator.open(a.url, "Mit Sentinel") as fac:
                people = [await Participant.join((a, b)[n % 2].url, fac.code, f"Person {n}") for n in range(6)]
                watchers = [Person(a.url, fac.code), Person(b.url, fac.code)]
                try:
                    projectors = [await w.connect("projector") for w in watchers]
                    item = await fac.add_item("Wie viel Aufwand ist das?")
                    old = setup.primary()
                    failing = asyncio.ensure_future(asyncio.to_thread(setup.fail_over))
                    last: dict[str, str] = {}
                    refused = during = 0

                    async def keep_voting(person: Participant) -> None:
                        nonlocal refused, during
                        for n in range(1000):
                            over = failing.done()
                            reason = f"{person.name} Begründung {n}"
                            refused += await sent(person, "/vote", item=item, round="1", card="5", reason=reason)
                            last[person.name] = reason
                            during += not over
                            if over:  # one more on the new primary
                                return

                    await asyncio.gather(*(keep_voting(person) for person in people))
                    new = await failing
                    assert new is not old and setup.primary() is new
                    assert during > len(people)
                    assert (await fac.reveal(item, 1)).status_code == 200  # read from the new primary
                    await until_all(projectors, list(last.values()))
                    assert projectors[0].region_text("stage") == projectors[1].region_text("stage")

                    assert refused > 0, "the failover should have refused some writes as not safely stored"
                finally:
                    for person in [*people, *watchers]:
                        await person.close()
