"""Logging without personal data: room codes and facilitator tokens in paths are cut before a line is written."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

_SECRETS = re.compile(r"/(r|j)/[A-Za-z0-9]{8}\b(/facilitate/[\w-]+)?")


def redact(message: str) -> str:
    return _SECRETS.sub(lambda m: f"/{m[1]}/…" + ("/facilitate/…" if m[2] else ""), message)


class RedactRoomCodes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging setup, with every handler redacting, and our own loggers at INFO."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": RedactRoomCodes}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    config["loggers"]["workshop"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
