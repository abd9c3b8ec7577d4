"""The kinds of activity a group's agenda holds. Each is one domain module with its dataclass and rules, its form
in the JSON archive and its part of the minutes; a new kind is a new module here (plus its storage module, its
commands and its templates `_stage_<kind>.html` and `_mine_<kind>.html`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from . import boards, ideas, poker
from .markdown import Language

if TYPE_CHECKING:
    from .rooms import Room


class ActivityKind(Protocol):
    LABEL: str  # what the minutes and the agenda call it

    def to_data(self, activity: Any) -> dict[str, Any]: ...

    def from_data(self, data: dict[str, Any]) -> Any: ...

    def minutes(self, activity: Any, room: Room, language: Language, depth: int) -> list[str]: ...

    def mine(self, activity: Any, room: Room, pid: str) -> Any: ...  # a participant's own part, shown to them only

    def mine_key(self, activity: Any, room: Room, own: Any) -> object: ...  # all their own region depends on


KINDS: dict[str, ActivityKind] = {"estimate": poker, "ideas": ideas, "board": boards}
