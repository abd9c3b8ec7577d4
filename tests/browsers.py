"""The Chromium the browser tests drive, found by itself, or one line that says what to install.

In this order, the first that starts wins:
1. WORKSHOP_TEST_BROWSER, a path (or a command on PATH), if it is set: then nothing else is tried;
2. the system's Chromium or Chrome: chromium, chromium-browser, google-chrome, google-chrome-stable on PATH, and the
   macOS apps in /Applications;
3. Playwright's own Chromium, if it is installed;
4. Playwright's own Chromium, installed once with `python -m playwright install chromium` (it needs to download).
Where none starts, NoBrowser carries the one line to show.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Browser, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

SETTING = "WORKSHOP_TEST_BROWSER"
ARGS = ["--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"]
COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
APPS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
INSTALL = [sys.executable, "-m", "playwright", "install", "chromium"]
WHAT_TO_INSTALL = (
    "The browser tests found no Chromium or Chrome: install one (Debian/Ubuntu: apt install chromium; "
    "Fedora: dnf install chromium; macOS: Google Chrome), or run `python -m playwright install chromium` where "
    f"downloads work, or set {SETTING} to a Chromium's path; `pytest -m 'not browser'` runs the other tests."
)


class NoBrowser(Exception):
    """No browser can be had; str() is the one line to show."""


@dataclass(frozen=True)
class Found:
    executable: str | None  # None: Playwright's own Chromium
    where: str


_found: Found | NoBrowser | None = None  # once per test session


def find(say: Callable[[str], None] = print) -> Found:
    """The browser to drive (the search runs once per session), or NoBrowser."""
    global _found
    if _found is None:
        try:
            _found = _search(say)
        except NoBrowser as error:
            _found = error
    if isinstance(_found, NoBrowser):
        raise _found
    return _found


def launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=find().executable, args=ARGS)


def _search(say: Callable[[str], None]) -> Found:
    setting = os.environ.get(SETTING, "").strip()
    if setting:
        path = shutil.which(setting)
        if path is None:
            raise NoBrowser(f"{SETTING}={setting} is not an executable file: point it at a Chromium or Chrome")
        problem = _does_not_start(path)
        if problem:
            raise NoBrowser(f"{SETTING}={setting} does not start ({problem}): point it at a Chromium or Chrome")
        return Found(path, SETTING)
    failed = []
    candidates = [path for name in COMMANDS if (path := shutil.which(name))]
    candidates += [path for path in APPS if os.access(path, os.X_OK)]
    for path in dict.fromkeys(candidates):
        problem = _does_not_start(path)
        if not problem:
            return Found(path, "the system's")
        failed.append(f"{path} does not start: {problem}")
    problem = _does_not_start(None)
    if problem == "not installed":
        say("Installing Playwright's Chromium, once: python -m playwright install chromium …")
        try:
            subprocess.run(INSTALL, capture_output=True, timeout=900, check=True)
        except (OSError, subprocess.SubprocessError):
            pass  # no download here: the line below says what to do
        else:
            problem = _does_not_start(None)
    if not problem:
        return Found(None, "Playwright's own")
    if problem != "not installed":
        failed.append(f"Playwright's Chromium does not start: {problem}")
    raise NoBrowser(WHAT_TO_INSTALL + "".join(f" ({reason})" for reason in failed))


def _does_not_start(executable: str | None) -> str:
    """Why this browser (None: Playwright's own) does not start, in a few words, or "" if it does."""
    with sync_playwright() as pw:
        try:
            pw.chromium.launch(executable_path=executable, args=ARGS).close()
        except PlaywrightError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            return "not installed" if executable is None and "Executable doesn't exist" in first else first[:200]
    return ""
