"""Refresh the catalogues after texts changed, and list what still needs a translation.

python scripts/i18n.py            # extract + update, then print untranslated and fuzzy entries
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "workshop" / "locales"


def main() -> None:
    pot = LOCALES / "messages.pot"
    subprocess.run(
        ["pybabel", "extract", "-F", "babel.cfg", "-k", "N_", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["pybabel", "update", "-i", str(pot), "-d", str(LOCALES), "--ignore-obsolete"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    todo = 0
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and (message.fuzzy or not all(strings)):
                todo += 1
                print(f"{po.parent.parent.name}: {message.id!r}{' (fuzzy)' if message.fuzzy else ''}")
    sys.exit(1 if todo else 0)


if __name__ == "__main__":
    main()
