"""Logging without personal data: room codes and facilitator tokens are cut from every line before it is written.

Each event is one line, plain (uvicorn's format) or JSON (WORKSHOP_LOG_FORMAT=json: one object per line with time,
level, logger and message, requests with method, path and status, a traceback in the same line). No log call of
the app puts a name or a text into a message; the JSON access line leaves out the client's address.

The cut is made on the finished line (message, arguments and any traceback put together), by the formatters of
every handler, so it cannot break a formatter that needs the record's arguments (uvicorn's access log does).

A code is cut in every spelling a browser or a person may send: after /r/ or /j/, with or without dashes, in any
case, with the spaces typed (%20, +); as the value of ?code=, and as any other query value that could be a code
(or that carries such a path, URL-encoded); the token after /facilitate/; and the hash tag of a Redis key
(workshop:{KXR7MPQH}:…), as an error from Redis may quote one.
"""

from __future__ import annotations

import copy
import datetime
import json
import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter, DefaultFormatter

# Between two characters of a code: an escape (%20, %2D), one typed space (not the one before " HTTP/1.1"), or
# any other character that is not a letter, a digit or what ends a path segment or a query value.
_SEP = r"(?:%[0-9A-Fa-f]{2}|[ \t](?!HTTP/)|[^A-Za-z0-9\s%/?#&;=\"'<>])"
_CODE = rf"[A-Za-z0-9](?:{_SEP}*[A-Za-z0-9]){{7}}(?![A-Za-z0-9])"
_SEGMENT = r"[^/?#&;\s\"'<>]+"
_PATH = re.compile(rf"(/(?:r|j)/)(?:{_CODE}|{_SEGMENT})", re.IGNORECASE)
_TOKEN = re.compile(rf"(/facilitate/){_SEGMENT}", re.IGNORECASE)
_QUERY = re.compile(r"([?&;]([^=?&#;\s\"'<>]*)=)([^&#;\s\"'<>]+)")
_KEY = re.compile(r"(workshop:\{)[^}]*(\})")
_SECRET_KEYS = {"code", "token"}
FORMATS = ("plain", "json")
CUT = "…"


def _could_be_a_code(value: str) -> bool:
    """What the app would read as a code: 8 letters and digits, whatever else was typed between them."""
    return len("".join(ch for ch in value if ch.isascii() and ch.isalnum())) == 8


def _query_value(match: re.Match[str]) -> str:
    key, value = match[2].lower(), match[3]
    plain = unquote_plus(value)
    if key in _SECRET_KEYS or _could_be_a_code(plain) or _cut_paths(plain) != plain:
        return match[1] + CUT
    return match[0]


def _cut_paths(message: str) -> str:
    message = _PATH.sub(lambda m: m[1] + CUT, message)
    return _TOKEN.sub(lambda m: m[1] + CUT, message)


def redact(message: str) -> str:
    return _KEY.sub(lambda m: m[1] + CUT + m[2], _QUERY.sub(_query_value, _cut_paths(message)))


class RedactingFormatter(DefaultFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingAccessFormatter(AccessFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per event, on one line; the message (and any traceback) redacted."""

    def format(self, record: logging.LogRecord) -> str:
        entry = self.fields(record)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        return {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }


class JsonAccessFormatter(JsonFormatter):
    """A request as fields: uvicorn's access record carries (client, method, path, HTTP version, status)."""

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        args = record.args
        if not (isinstance(args, tuple) and len(args) == 5):
            return super().fields(record)
        _client, method, path, _version, status = args
        entry = super().fields(record)
        entry.update(event="request", method=method, path=redact(str(path)), status=status)
        entry["message"] = f"{method} {entry['path']} {status}"
        return entry


def json_line(**fields: Any) -> str:
    """A line of the app's own (the start-up summary) in the JSON log's shape."""
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
    return json.dumps({"time": now, "level": "info", "logger": "workshop", **fields}, ensure_ascii=False)


def log_config(format: str = "plain") -> dict[str, Any]:
    """uvicorn's logging setup with redacting formatters (plain or JSON); our own loggers at INFO, anything else at
    WARNING."""
    config = copy.deepcopy(LOGGING_CONFIG)
    json_format = format == "json"
    config["formatters"]["default"]["()"] = f"{__name__}.{'JsonFormatter' if json_format else 'RedactingFormatter'}"
    config["formatters"]["access"]["()"] = (
        f"{__name__}.{'JsonAccessFormatter' if json_format else 'RedactingAccessFormatter'}"
    )
    if json_format:  # uvicorn's own keys (fmt, use_colors) mean nothing to ours
        config["formatters"]["default"] = {"()": config["formatters"]["default"]["()"]}
        config["formatters"]["access"] = {"()": config["formatters"]["access"]["()"]}
    config["loggers"]["workshop"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["root"] = {"handlers": ["default"], "level": "WARNING"}  # asyncio, redis, …: redacted like ours
    return config
