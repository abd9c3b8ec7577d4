"""The README keeps up with the code: every setting documented, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from workshop.config import DOCUMENTED

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_readme_table() -> None:
    table = {m for m in re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.M)}
    assert set(DOCUMENTED) <= table


def test_the_readme_table_says_what_the_help_says() -> None:
    """`workshop --help` prints config.DOCUMENTED; the README's rows say the same, with code in backticks."""
    rows = dict(
        (name, (default.replace("`", "").strip(), meaning.replace("`", "").strip()))
        for name, default, meaning in re.findall(r"^\| `([A-Z_]+)` \|([^|]*)\|([^|]*)\|$", README, flags=re.M)
    )
    for name, documented in DOCUMENTED.items():
        assert rows[name] == documented, name


def test_every_variable_the_code_reads_is_documented() -> None:
    read = set(re.findall(r'config\("([A-Z_]+)"', (ROOT / "workshop" / "config.py").read_text()))
    assert read == set(DOCUMENTED)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = re.findall(r"^    (pip install .+)$", README, flags=re.M)
    assert commands[:2] == ["pip install -e . && workshop serve", 'pip install -e ".[test]" && pytest']
    assert (ROOT / ".ci" / "run").read_text().rstrip().splitlines()[-1] == commands[1]


def test_readme_screenshots_exist() -> None:
    for path in re.findall(r"\]\((docs/screenshots/[\w-]+\.png)\)", README):
        assert (ROOT / path).is_file(), path


def test_no_template_marks_user_text_safe() -> None:
    for template in (ROOT / "templates").glob("*.html"):
        assert "|safe" not in template.read_text(), template.name


def test_no_page_loads_anything_from_another_host() -> None:
    for template in (ROOT / "templates").glob("*.html"):
        assert not re.search(r'(src|href)="(https?:)?//', template.read_text()), template.name
