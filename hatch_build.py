"""Packaging: compile the translations (`workshop/locales/*/LC_MESSAGES/messages.po`) to `.mo` files at build time.

The `.mo` files are never committed (.gitignore): each build writes them to a temporary folder and puts them into
the wheel (and the sdist) beside their `.po`. At run time the app reads the `.mo` where it exists and compiles the
`.po` itself in a checkout (workshop/web/templating.py).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileTranslations(BuildHookInterface):  # type: ignore[type-arg]  # generic in newer hatchling
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "editable":
            return  # an editable install runs from the checkout, which reads the .po files
        self._temporary = Path(tempfile.mkdtemp(prefix="workshop-mo-"))
        root = Path(self.root)
        catalogues = sorted((root / "workshop" / "locales").glob("*/LC_MESSAGES/messages.po"))
        if not catalogues:
            raise RuntimeError("no translations found under workshop/locales: is this a complete source tree?")
        for po in catalogues:
            relative = po.relative_to(root).with_suffix(".mo")
            mo = self._temporary / relative
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog)
            build_data["force_include"][str(mo)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        temporary = getattr(self, "_temporary", None)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
