from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown, not here."""
    return message


class DomainError(Exception):
    """A workshop rule said no. `message` is a translatable text for the person who asked."""

    status = 400

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class NotFound(DomainError):
    """The room (or an item in it) does not exist, or no longer exists."""

    status = 404


class Forbidden(DomainError):
    """The person may not do this: a participant tried a facilitator action, for example."""

    status = 403


class Invalid(DomainError):
    """The input breaks a rule: empty, too long, a card that is not in the deck."""

    status = 422


class Conflict(DomainError):
    """The room moved on meanwhile: the round was revealed or restarted before this arrived."""

    status = 409


class TooMany(DomainError):
    """A limit per client address is used up for now; `retry_after`: seconds until it is not."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, **params: Any) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after


class NotSafelyStored(DomainError):
    """The change is written, but fewer replicas than asked for (WORKSHOP_REDIS_WAIT_REPLICAS) confirmed it in time:
    a failover now could lose it. Sending it again is safe (it is either found applied or applied once)."""

    status = 503


NOT_SAFELY_STORED = N_(
    "Das ist noch nicht sicher gespeichert (der Speicher bestätigt es gerade nicht doppelt). Bitte noch einmal senden."
)
ROOM_NOT_FOUND = N_("Kein Workshop mit diesem Code – vielleicht ist er beendet oder gelöscht worden.")
