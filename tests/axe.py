"""axe-core, the accessibility engine, for the browser tests: from the npm registry, installed once into .cache/axe
(never shipped with the app). WORKSHOP_AXE may point at an axe.min.js of one's own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

VERSION = "4.10.3"
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "axe"
SCRIPT = CACHE / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def source() -> str:
    """The text of axe.min.js, installed with npm on first use."""
    own = os.environ.get("WORKSHOP_AXE")
    if own:
        return Path(own).read_text()
    if not SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("The accessibility tests need axe-core: install Node.js with npm, or set WORKSHOP_AXE.")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), f"axe-core@{VERSION}"],
            check=True,
            capture_output=True,
        )
    return SCRIPT.read_text()


def violations(page: Page, script: str) -> list[dict[str, Any]]:
    """The serious and critical violations axe finds on the page as it is now (WCAG 2.1 A and AA, and best
    practice), each with the elements it names."""
    page.evaluate(script)  # through the debugging protocol: not subject to the page's Content-Security-Policy
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return [v for v in found if v["impact"] in SERIOUS]
