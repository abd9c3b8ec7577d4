"""Where no browser can be had, the browser tests end with one line that says what to install, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import browsers

ROOT = Path(__file__).resolve().parent.parent
ONE_BROWSER_TEST = "tests/test_browser.py::test_planning_poker_round_from_projector_to_phones"


def test_without_a_browser_the_browser_tests_end_with_one_line(tmp_path: Path) -> None:
    if any(os.access(app, os.X_OK) for app in browsers.APPS):
        pytest.skip("a browser in /Applications cannot be hidden from this test")
    (tmp_path / "bin").mkdir()
    (tmp_path / "playwright").mkdir()
    env = {k: v for k, v in os.environ.items() if k != browsers.SETTING}
    env.update(
        PATH=str(tmp_path / "bin"),  # no chromium, chrome, … to be found
        PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "playwright"),  # no Playwright Chromium installed
        PLAYWRIGHT_DOWNLOAD_HOST="http://127.0.0.1:9",  # and none to download
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", ONE_BROWSER_TEST],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    output = result.stdout
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert output.strip().splitlines()[-1] == f"ERROR: {browsers.WHAT_TO_INSTALL}", output
    assert output.count(browsers.WHAT_TO_INSTALL) == 1, output
    assert "Traceback" not in output and "Error:" not in output.replace("ERROR: ", ""), output
    assert not list((tmp_path / "playwright").glob("chromium*")), "nothing was downloaded"
