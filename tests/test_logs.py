"""WORKSHOP_LOG_FORMAT=json: every line of a real server's output is one JSON object, requests as fields; and no
line, JSON or plain, carries a room code, a facilitator token, a name or a text."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import httpx

from workshop.logs import JsonFormatter, RedactingFormatter

from .clients import WAIT, Facilitator, Participant, start_server
from .test_access_log import _spellings

SECRET_WORDS = ["Annalena", "Zweifel", "Geheimhausen", "Protokolltitel", "Fragetext", "Begründungstext"]


async def test_json_log_one_object_per_line_without_codes_tokens_names_or_texts(redis_url: str, tmp_path: Path) -> None:
    env = {"WORKSHOP_LOG_FORMAT": "json", "WORKSHOP_ACCESS_LOG": "true"}
    with start_server(tmp_path / "data", redis_url=redis_url, **env) as server:
        async with Facilitator.open(server.url, "Protokolltitel der Werkstatt") as fac:
            token = re.search(rf'/r/{fac.code}/facilitate/([\w-]+)"', await fac.page("/facilitate"))
            assert token, "the console shows the facilitator link once"
            item = await fac.add_item("Fragetext zur Clearingstelle?")
            anna = await Participant.join(server.url, fac.code, "Annalena Zweifel", org="Stadt Geheimhausen")
            assert (await anna.vote(item, 1, "8", "Begründungstext mit Details")).status_code == 200
            await anna.close()
            async with httpx.AsyncClient(base_url=server.url, timeout=WAIT) as laptop:
                assert (await laptop.get(f"/r/{fac.code}/facilitate/{token[1]}")).status_code == 303
    output = server.output()  # complete: the server has stopped

    entries = [json.loads(line) for line in output.splitlines()]  # each line parses: one object per event
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries), output
    assert entries[0]["event"] == "start" and entries[0]["version"]
    assert any(e["logger"] == "workshop.hub" and "subscribed" in e["message"] for e in entries)
    requests = {(e["method"], e["path"], e["status"]) for e in entries if e.get("event") == "request"}
    assert {("POST", "/rooms", 303), ("POST", "/j/…", 303), ("POST", "/r/…/vote", 200)} <= requests, requests
    assert ("GET", "/r/…/facilitate/…", 303) in requests
    assert "127.0.0.1" not in "".join(str(e.get("path")) for e in entries)  # no client address on request lines
    for secret in [*_spellings(fac.code), token[1], *SECRET_WORDS]:
        assert secret.lower() not in output.lower(), secret


def _record(message: str, *args: object) -> logging.LogRecord:
    try:
        raise ConnectionError("WRONGTYPE on workshop:{KXR7MPQH}:room")
    except ConnectionError:
        exc_info = sys.exc_info()
    return logging.LogRecord("workshop.test", logging.ERROR, __file__, 1, message, args, exc_info)


def test_a_traceback_stays_in_its_line_and_redis_keys_lose_their_code() -> None:
    record = _record("room feed: could not load %s", "workshop:{KXR7MPQH}:items")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "room feed: could not load workshop:{…}:items"
    assert "Traceback" in entry["exception"] and "KXR7MPQH" not in line
    assert "KXR7MPQH" not in RedactingFormatter().format(_record("load %s", "workshop:{KXR7MPQH}:items"))
