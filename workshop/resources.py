"""Where the app's files are: inside the package when installed from a wheel, beside it in a checkout.

A wheel (built by hatch, see pyproject.toml and hatch_build.py) carries the repository's top-level `templates/`
and `static/` as `workshop/templates` and `workshop/static`, and the translations compiled to `.mo`. In a checkout
(an editable install, or `python -m workshop` from the repository) the package has no such folders and the
top-level ones are used.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("workshop")))  # an installed wheel is unpacked: the package is a directory on disk


def _folder(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


TEMPLATES = _folder("templates")
STATIC = _folder("static")
LOCALES = PACKAGE / "locales"
