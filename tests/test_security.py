"""Headers, same-origin rules, and user text that is always shown as text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from websockets.exceptions import InvalidStatus

from .clients import Facilitator, Participant, Person, Server, text
from .conftest import People

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    'hx-get="/x" hx-trigger="load"',
    'id="stage"',
    "{{7*7}}",
    "javascript:alert(1)",
]


async def test_every_page_carries_the_security_headers(facilitator: Facilitator) -> None:
    for path in ("/", "/join", f"/r/{facilitator.code}/projector", f"/r/{facilitator.code}/facilitate"):
        response = await facilitator.http.get(path)
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert "camera=()" in headers["permissions-policy"]


async def test_cookies_are_http_only_and_same_site(facilitator: Facilitator) -> None:
    response = await facilitator.http.post("/rooms", data={"title": "Cookie-Test"})
    cookies = response.headers.get_list("set-cookie")
    assert cookies and all("httponly" in c.lower() and "samesite=" in c.lower() for c in cookies)
    assert all("domain=" not in c.lower() for c in cookies)


async def test_cross_site_posts_are_refused(facilitator: Facilitator) -> None:
    for headers in (
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        response = await facilitator.http.post(
            f"/r/{facilitator.code}/items",
            headers=headers,
            data={"question": "Von außen", "deck": "fibonacci", "start": "on"},
        )
        assert response.status_code == 403, headers
    assert "Von außen" not in await facilitator.page("/facilitate")
    same = await facilitator.http.post(
        f"/r/{facilitator.code}/items",
        data={"question": "Von innen", "deck": "fibonacci"},
        headers={"Origin": facilitator.base, "Sec-Fetch-Site": "same-origin", "HX-Request": "true"},
    )
    assert same.status_code == 200


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1.evil.example", "null"])
async def test_cross_site_socket_handshakes_are_refused(facilitator: Facilitator, origin: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await facilitator.connect("facilitator", origin=origin)
    assert refused.value.response.status_code == 403


async def test_user_text_is_shown_as_text_everywhere(server: Server) -> None:
    for payload in PAYLOADS:
        async with Facilitator.open(server.url, f"Titel {payload}", ask_org="on") as fac:
            projector = await fac.connect("projector")
            person = await _join(fac, payload)
            try:
                phone = await person.connect("participant")
                item = await fac.add_item(f"Frage {payload}", deck="custom", cards=f"A{payload[:15]}, B")
                await person.vote(item, 1, f"A{payload[:15]}".strip()[:20], reason=f"Grund {payload}")
                await fac.reveal(item, 1)
                await projector.until(lambda r: "chart" in r.get("stage", ""))
                await phone.until(lambda r: "chart" in r.get("stage", ""))
                html = [
                    await fac.page("/projector"),
                    await fac.page("/facilitate"),
                    await person.page(),
                    *projector.frames,
                    *phone.frames,
                ]
                for page in html:
                    _assert_inert(page)
                assert f"Grund {payload}" in projector.region_text("stage")  # shown literally
                assert f"Titel {payload}" in text(html[0])
            finally:
                await person.close()


async def _join(fac: Facilitator, payload: str) -> Person:
    return await Participant.join(fac.base, fac.code, f"N {payload}"[:40], org=f"O {payload}"[:60])


def _assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script", src=False), "no inline script"
    assert not soup.find_all(["img", "svg"], attrs={"onload": True}) and not soup.find_all(attrs={"onerror": True})
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids (an OOB swap could be hijacked): {ids}"
    for el in soup.find_all(True):
        for name in el.attrs:
            assert not name.startswith("on"), (el.name, name)
            assert name not in ("hx-get", "hx-trigger"), (el.name, name)


async def test_logs_carry_no_room_codes_or_tokens(facilitator: Facilitator, people: People, server: Server) -> None:
    anna = await people.join("Anna Geheimname")
    await anna.connect("participant")
    projector = await facilitator.connect("projector")
    await projector.until(lambda r: "1 Person" in text(r.get("headcount", "")))
    log = server.output()
    assert "WebSocket" in log  # the socket was logged ...
    assert facilitator.code not in log and "Anna Geheimname" not in log  # ... without the code or a name
