"""WORKSHOP_ACCESS_LOG=true: one line per request, and no room code or facilitator token in any spelling."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from workshop.logs import redact

from .clients import BROWSER_POST, WAIT, Server, start_server

ACCESS_LINE = re.compile(r'^INFO: +\S+ - "(GET|POST) (\S+) HTTP/1\.1" (\d{3})', re.M)


def _spellings(code: str) -> list[str]:
    dashed = f"{code[:3]}-{code[3:6]}-{code[6:]}"
    spaced = dashed.replace("-", " ")
    return [code, dashed, spaced, spaced.replace(" ", "%20"), spaced.replace(" ", "+"), code[:4] + " " + code[4:]]


def _wait_for_lines(server: Server, count: int) -> list[tuple[str, str, str]]:
    """The access lines, once there are `count` of them (the log is written as the responses go out)."""
    return ACCESS_LINE.findall(server.wait_for_output(lambda output: len(ACCESS_LINE.findall(output)) >= count))


def test_the_access_log_writes_one_line_per_request_without_codes_or_tokens(redis_url: str, tmp_path: Path) -> None:
    with start_server(tmp_path / "data", redis_url=redis_url, WORKSHOP_ACCESS_LOG="true") as server:
        with httpx.Client(base_url=server.url, timeout=WAIT) as browser:
            opened = browser.post("/rooms", data={"title": "Protokoll"}, headers=BROWSER_POST)
            assert opened.status_code == 303, opened.text
            code = opened.headers["location"].split("/r/")[1].split("/")[0]
            console = browser.get(f"/r/{code}/facilitate").text
            token = re.search(rf'/r/{code}/facilitate/([\w-]+)"', console)
            assert token, "the console shows the facilitator link"
            dashed = f"{code[:3]}-{code[3:6]}-{code[6:]}"
            paths = [
                f"/join?code={dashed.lower()}",
                f"/join?code={dashed.replace('-', '+')}",
                f"/join?code={dashed.lower().replace('-', '%20')}&again=1",
                f"/j/{code}",
                f"/j/{dashed.lower()}?group=g1",
                f"/r/{dashed}/projector",
                f"/r/{code.lower()}/projector",
                f"/r/{dashed.replace('-', '%20')}/projector",
                f"/r/{code}/projector?group={dashed}",
                f"/r/{code}/export.md?group={code.lower()}&inline",
                f"/R/{code}",
            ]
            answers = [browser.get(path).status_code for path in paths]
            with httpx.Client(base_url=server.url, timeout=WAIT) as laptop:
                answers.append(laptop.get(f"/r/{code}/facilitate/{token[1]}").status_code)
        assert answers[:3] == [303, 303, 303] and answers[5:8] == [200, 200, 200], answers  # real codes, as typed
        assert answers[-1] == 303, "the facilitator link is the real one"

        lines = _wait_for_lines(server, 2 + len(answers))
        output = server.output()

    assert len(lines) == 2 + len(answers), output
    assert [int(status) for _, _, status in lines[2:]] == answers
    assert "Traceback" not in output and "Logging error" not in output, output
    logged = [path for _, path, _ in lines]
    assert logged[2] == "/join?code=…" and logged[7] == "/r/…/projector" and logged[-1] == "/r/…/facilitate/…"
    for spelling in _spellings(code):
        assert spelling.lower() not in output.lower(), spelling
    assert token[1] not in output


@pytest.mark.parametrize(
    "line",
    [
        '"GET /r/KXR-7MP-QH/projector HTTP/1.1" 200',
        '"GET /r/kxr%207mp%20qh HTTP/1.1" 303',
        '"GET /join?code=kxr+7mp+qh&x=1 HTTP/1.1" 303',
        '"GET /j/KXR7MPQH?group=kxr-7mp-qh HTTP/1.1" 200',
        '"WebSocket /r/KXR7MPQH/ws?view=projector" [accepted]',
        '"GET /r/KXR7MPQH/facilitate/KXR7MPQH-abcdefghijklmnopqrstu HTTP/1.1" 303',
        '"GET /restore?next=%2Fr%2FKXR7MPQH%2Fprojector HTTP/1.1" 405',
        "typed by hand: /r/kxr 7mp qh",
    ],
)
def test_codes_are_cut_in_every_spelling(line: str) -> None:
    assert "kxr" not in redact(line).lower() and "…" in redact(line)
    assert redact(redact(line)) == redact(line)


def test_what_is_not_a_code_stays() -> None:
    line = '"GET /static/app.css?v=0.9.0 HTTP/1.1" 200 /r/KXR HTTP/1.1 ?view=facilitator&group=Ab_9-x'
    assert redact(line) == line.replace("/r/KXR", "/r/…")
