"""The README keeps up with the code: every setting documented, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from workshop.__main__ import WS_MAX_BYTES
from workshop.activities.board import rules as board
from workshop.activities.ideas import rules as ideas
from workshop.activities.poll import rules as poll
from workshop.config import DOCUMENTED, SOCKETS_PER_PERSON
from workshop.domain import codes, lists, rooms, text, timer
from workshop.limits import DEFAULTS
from workshop.web import live, requests
from workshop.web import rooms as room_pages

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
    commands = re.findall(r"^    (python3 -m venv .+)$", README, flags=re.M)
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert commands[:2] == [venv + "pip install -e . && workshop serve", venv + 'pip install -e ".[test]" && pytest']
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


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _cells(section: str) -> dict[str, str]:
    """The two-column rows of a section's tables: first cell -> second cell."""
    rows = re.findall(r"^\| ([^|\n]+) \| ([^|\n]+) \|$", section, flags=re.M)
    return {" ".join(k.split()): " ".join(v.split()) for k, v in rows}


def test_the_security_section_states_the_limits_the_code_has() -> None:
    """Every number in "Security and privacy" is the code's: a changed limit fails here until the README says so."""
    section = _section("Security and privacy")
    cells = _cells(section)
    per = {60: "minute", 3600: "hour"}
    lookups = next(v for k, v in cells.items() if k.startswith("code lookups that find no room"))
    assert lookups == f"{DEFAULTS['lookups'].count} per {per[DEFAULTS['lookups'].seconds]}"
    expected = {
        "new rooms": f"{DEFAULTS['rooms'].count} per {per[DEFAULTS['rooms'].seconds]}",
        "restored archives": f"{DEFAULTS['restores'].count} per {per[DEFAULTS['restores'].seconds]}",
        "socket opens": f"{DEFAULTS['sockets'].count} per {per[DEFAULTS['sockets'].seconds]}",
        "open sockets of one participant in one room (`WORKSHOP_SOCKETS_PER_PERSON`)": str(SOCKETS_PER_PERSON),
        "socket message": f"{WS_MAX_BYTES // 1024} KiB (larger: closed with 1009); "
        f"{live.MESSAGES_PER_MINUTE} per minute and connection (more: closed with 1008)",
        "a socket message that is read at all": f"{live.MESSAGE_MAX // 1024} KiB, nested {live.MESSAGE_DEPTH} levels",
        "posted form": f"{requests.MAX_FORM_BYTES // 1024} KiB",
        "posted form with a file (a list to import)": f"{requests.MAX_UPLOAD_BYTES // 1024} KiB, and "
        f"{lists.LIST_MAX} entries at once",
        "uploaded archive": f"{room_pages.MAX_ARCHIVE_BYTES // 2**20} MiB, nested {room_pages.ARCHIVE_DEPTH} levels",
        "room title": str(text.TITLE_MAX),
        "display name": str(text.NAME_MAX),
        "organisation": str(text.ORG_MAX),
        "question (estimate, poll)": str(text.QUESTION_MAX),
        "justification of a vote": str(text.REASON_MAX),
        "card of a custom deck": f"{text.CARD_MAX}, and {text.CARDS_MAX} cards",
        "guiding question of an idea collection": str(ideas.PROMPT_MAX),
        "idea card": str(ideas.CARD_MAX),
        "theme": str(ideas.THEME_MAX),
        "dots per person": str(ideas.DOTS_MAX),
        "board title": str(board.TITLE_MAX),
        "board section": f"{board.SECTION_MAX}, and {board.SECTIONS_MAX} sections",
        "board entry": str(board.ENTRY_MAX),
        "poll option": f"{poll.OPTION_MAX}, and {poll.OPTIONS_MAX} options",
        "open poll answer": str(poll.ANSWER_MAX),
        "group name": f"{rooms.GROUP_NAME_MAX}, and {rooms.GROUPS_MAX} groups",
        "timer": f"{timer.MAX_MINUTES} minutes",
    }
    for row, value in expected.items():
        assert cells.get(row, "").startswith(value), (row, cells.get(row), value)
    flat = " ".join(section.split())
    assert f"{len(codes.ALPHABET)}^{codes.LENGTH}" in flat
    assert f"link is {len(codes.new_secret()) * 6} random bits" in flat  # base64: 6 bits a character
    assert "SECURITY.md" in flat and (ROOT / "SECURITY.md").is_file()
