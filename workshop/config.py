from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from starlette.config import Config

# Every setting, its environment variable and what it does; the README's table is checked against this.
DOCUMENTED = {
    "REDIS_URL": "Redis to use (e.g. redis://redis.internal:6379/0). Unset: start the embedded Redis.",
    "WORKSHOP_DATA_DIR": "Where the embedded Redis keeps its append-only file. Default ./workshop-data.",
    "WORKSHOP_SECRET_KEY": "Signs participants' cookies. Unset: generated once and kept in Redis.",
    "WORKSHOP_ROOM_TTL": "Rooms are deleted after this long without activity: 30d, 12h, 90m, 45s. Default 30d.",
    "WORKSHOP_PUBLIC_URL": "Base URL for join links and QR codes (e.g. https://workshop.example.de). "
    "Unset: taken from each request.",
    "WORKSHOP_HTTPS": "true behind HTTPS: cookies get the Secure flag and responses send HSTS. Default false.",
    "WORKSHOP_ALLOWED_ORIGINS": "Extra origins allowed to post and open sockets, comma-separated. "
    "The app's own origin is always allowed.",
    "WORKSHOP_LANGUAGE": "Language of the interface: de (default) or en.",
    "WORKSHOP_ACCESS_LOG": "true to log each request. Off by default, because paths carry room codes.",
}

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in "30d", "12h", "90m", "45s" or a bare number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30d, 12h, 90m, 45s)")
    return float(match[1]) * _UNITS[match[2] or "s"]


def _flag(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    redis_url: str | None = None
    data_dir: Path = Path("workshop-data")
    secret_key: str | None = None
    room_ttl: float = 30 * 86400
    public_url: str | None = None
    https: bool = False
    allowed_origins: tuple[str, ...] = ()
    language: str = "de"
    access_log: bool = False

    @classmethod
    def from_environ(cls, env_file: str | None = ".env") -> Settings:
        config = Config(env_file if env_file and Path(env_file).exists() else None)
        origins = config("WORKSHOP_ALLOWED_ORIGINS", default="")
        return cls(
            redis_url=config("REDIS_URL", default=None) or None,
            data_dir=Path(config("WORKSHOP_DATA_DIR", default="workshop-data")),
            secret_key=config("WORKSHOP_SECRET_KEY", default=None) or None,
            room_ttl=parse_duration(config("WORKSHOP_ROOM_TTL", default="30d")),
            public_url=(config("WORKSHOP_PUBLIC_URL", default="") or "").rstrip("/") or None,
            https=_flag(config("WORKSHOP_HTTPS", default="false")),
            allowed_origins=tuple(o.strip().rstrip("/") for o in origins.split(",") if o.strip()),
            language=config("WORKSHOP_LANGUAGE", default="de"),
            access_log=_flag(config("WORKSHOP_ACCESS_LOG", default="false")),
        )
