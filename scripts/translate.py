"""Fill in translations: python scripts/translate.py en < pairs.tsv (msgid<TAB>translation, one a line;
plural entries as msgid<TAB>singular<TAB>plural, with the singular msgid first)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "workshop" / "locales"


def main() -> None:
    language = sys.argv[1]
    po = LOCALES / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    pairs = [line.rstrip("\n").split("\t") for line in sys.stdin if "\t" in line]
    done = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        for msgid, *strings in pairs:
            if key == msgid:
                message.string = tuple(strings) if isinstance(message.id, tuple) else strings[0]
                message.flags.discard("fuzzy")
                done += 1
    with po.open("wb") as f:
        write_po(f, catalog, width=120)
    print(f"{done} entries translated")


if __name__ == "__main__":
    main()
