"""A phone in a real Chromium keeps working across a server restart, without a reload.

htmx's WebSocket extension reconnects on 1006 (a crash or a dropped network) and 1012 (uvicorn's close on a
graceful shutdown, as in a deploy); on every (re)connect the server sends the full current state.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from .clients import BROWSER_POST, HX, free_port, start_server
from .test_browser import PHONE, browser  # noqa: F401 - the module-scoped Chromium fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("stop", ["terminate", "kill"])
def test_phone_reconnects_after_a_server_restart(
    redis_url: str,
    tmp_path: Path,
    browser: Browser,  # noqa: F811
    stop: str,
) -> None:
    port = free_port()
    with start_server(tmp_path / "first", redis_url=redis_url, port=port) as first:
        fac = httpx.Client(base_url=first.url, headers=BROWSER_POST)
        code = fac.post("/rooms", data={"title": "Neustart im Browser"}).headers["location"].split("/")[2]
        anna = httpx.Client(base_url=first.url, headers=BROWSER_POST)
        pid = re.search(r'name="pid" value="([^"]+)"', anna.get(f"/j/{code}").text)[1]  # type: ignore[index]
        anna.post(f"/j/{code}", data={"pid": pid, "name": "Anna"})
        fac.post(
            f"/r/{code}/items", headers=HX, data={"question": "Vor dem Neustart", "deck": "fibonacci", "start": "on"}
        )

        phone_context = browser.new_context(**PHONE)  # type: ignore[arg-type]
        phone_context.add_cookies([{"name": c.name, "value": c.value, "url": first.url} for c in anna.cookies.jar])
        phone = phone_context.new_page()
        phone.goto(f"{first.url}/r/{code}")
        expect(phone.locator("#stage")).to_contain_text("Vor dem Neustart")
        getattr(first.process, stop)()  # a deploy (SIGTERM) or a crash (SIGKILL)
        first.process.wait()
        expect(phone.locator("#connection")).to_be_visible()  # the phone says it lost the connection

    with start_server(tmp_path / "second", redis_url=redis_url, port=port):
        fac.post(
            f"/r/{code}/items", headers=HX, data={"question": "Nach dem Neustart", "deck": "fibonacci", "start": "on"}
        )
        # The reconnect backoff grows with every failed try while the server was down; allow for it.
        expect(phone.locator("#stage")).to_contain_text("Nach dem Neustart", timeout=45_000)
        expect(phone.locator("#connection")).to_be_hidden()
        phone.locator(".card", has_text="13").tap()
        expect(phone.locator(".card.chosen")).to_have_text("13")
    phone_context.close()
    fac.close()
    anna.close()
