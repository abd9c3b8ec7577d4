"""How soon live updates come back after Redis returns from an outage (issue 12: within a second).

Not part of the test suite: a timing figure. One app process on a Redis of its own (the embedded server's recipe,
started and stopped here), a projector on a real socket. Each round stops Redis for a few seconds, starts it again,
adds a question at once, and times how long until the projector shows it: the answer to the post comes as soon as
Redis answers; the projector gets the question only once the app's fan-out has subscribed again.

    python -m bench.outage --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tests.clients import Facilitator, start_server, text
from workshop.connection import EmbeddedRedis


async def measure(rounds: int, down: float) -> list[float]:
    root = Path(tempfile.mkdtemp(prefix="bench-outage-"))
    redis = EmbeddedRedis(root / "redis")
    redis.start()
    seen: list[float] = []
    try:
        with start_server(root / "app", redis_url=redis.url) as app:
            async with Facilitator.open(app.url, "Ausfall") as fac:
                projector = await fac.connect("projector")
                await projector.until(lambda r: "stage" in r)
                for n in range(rounds):
                    redis.stop()
                    await projector.until(lambda r: "Speicher" in text(r.get("notice", "")))
                    await asyncio.sleep(down)  # the outage itself: a wait by design, not a synchronisation
                    redis.start()
                    back = time.monotonic()
                    question = f"Nach Ausfall {n}"
                    await fac.add_item(question)
                    await projector.until(lambda r, q=question: q in text(r.get("stage", "")))  # type: ignore[misc]
                    seen.append(time.monotonic() - back)
                    print(f"outage {n + 1}: live again {seen[-1] * 1000:.0f} ms after Redis returned")
    finally:
        redis.stop()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--down", type=float, default=3.0, help="seconds Redis stays away each round")
    args = parser.parse_args()
    seen = asyncio.run(measure(args.rounds, args.down))
    print(f"median {statistics.median(seen) * 1000:.0f} ms, worst {max(seen) * 1000:.0f} ms over {len(seen)} outages")


if __name__ == "__main__":
    main()
