"""The settings: environment variables (or a .env file), each checked once at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from starlette.config import Config

from . import redis_urls
from .limits import DEFAULTS, Rate, parse_rates
from .resources import LOCALES

SOCKETS_PER_PERSON = 5
REHEARSALS = 3


class Documented(NamedTuple):
    default: str  # as the README's table shows it
    meaning: str


# Every setting: its environment variable, its default and what it does. `workshop --help` prints this, and the
# README's table is checked against it.
DOCUMENTED = {
    "REDIS_URL": Documented(
        "unset",
        "Redis to use, e.g. redis://redis.internal:6379/0; a Redis Cluster: redis+cluster://host1:6379,host2:6379; "
        "Redis Sentinel: redis+sentinel://host1:26379,host2:26379/mymaster (see Scaling out). Unset: start the "
        "embedded Redis.",
    ),
    "WORKSHOP_REDIS_WAIT_REPLICAS": Documented(
        "0",
        "With a replicated Redis (Sentinel): a change is answered only once this many replicas have it (WAIT), else "
        "503 and the person sends it again; a failover then loses nothing acknowledged. 0: answered once the "
        "primary has it. Not for a cluster.",
    ),
    "WORKSHOP_DATA_DIR": Documented(
        "./workshop-data", "Where the embedded Redis keeps its append-only file, socket and log."
    ),
    "WORKSHOP_SECRET_KEY": Documented(
        "generated", "Signs participants' cookies. Unset: generated once and kept in Redis, so all processes share it."
    ),
    "WORKSHOP_ROOM_TTL": Documented("30d", "Rooms are deleted after this long without activity: 30d, 12h, 90m, 45s."),
    "WORKSHOP_PUBLIC_URL": Documented(
        "unset",
        "Base URL for join links and QR codes, e.g. https://workshop.example.de. Unset: taken from each request.",
    ),
    "WORKSHOP_HTTPS": Documented("false", "true behind HTTPS: cookies get the Secure flag and responses send HSTS."),
    "WORKSHOP_ALLOWED_ORIGINS": Documented(
        "unset",
        "Extra origins allowed to post and open sockets, comma-separated. The app's own origin is always allowed.",
    ),
    "WORKSHOP_LANGUAGE": Documented("de", "Language of the interface: de or en."),
    "WORKSHOP_CONTACT": Documented(
        "unset",
        "Who runs this installation and how to reach them (an e-mail address or a web page), shown on the privacy and "
        "accessibility pages; public bodies must name a contact for accessibility feedback.",
    ),
    "WORKSHOP_ACCESS_LOG": Documented(
        "false", "true to log each request. Room codes and facilitator tokens are cut from every log line either way."
    ),
    "WORKSHOP_RATE_LIMITS": Documented(
        ", ".join(f"{name}={rate}" for name, rate in DEFAULTS.items()),
        "Per client address, across all processes: code lookups that find no room, new rooms, restored archives, "
        "socket opens. Name only those to change, e.g. rooms=20/1h.",
    ),
    "WORKSHOP_SOCKETS_PER_PERSON": Documented(
        str(SOCKETS_PER_PERSON), "Sockets one participant may have open in a room at once (a tab more waits)."
    ),
    "WORKSHOP_SOCKET_TIMEOUT": Documented(
        "20s",
        "A socket whose browser stops answering (a frozen phone, a lost network) or stops reading is let go after "
        "about twice this, busy room or not, and its person counts as gone.",
    ),
    "WORKSHOP_REHEARSALS": Documented(
        str(REHEARSALS),
        "Rehearsal rooms (Probelauf: the example workshop with simulated people, deleted after 3 hours) one process "
        "runs at once; 0: none, and no such button on the start page.",
    ),
    "WORKSHOP_LOG_FORMAT": Documented(
        "plain",
        "plain (uvicorn's lines) or json (one object per line: time, level, logger, message; requests with "
        "method, path and status).",
    ),
    "WORKSHOP_OIDC_ISSUER": Documented(
        "unset",
        "OpenID Connect issuer, e.g. https://id.example.de/realms/staff: opening a room then asks for a login there "
        "(participants never need one). Unset: anyone may open rooms.",
    ),
    "WORKSHOP_OIDC_CLIENT_ID": Documented("unset", "The app's client id at that issuer (needed with the issuer)."),
    "WORKSHOP_OIDC_CLIENT_SECRET": Documented(
        "unset", "The client's secret (needed with the issuer). Register PUBLIC_URL/auth/callback as redirect URI."
    ),
    "WORKSHOP_METRICS": Documented(
        "false",
        "true to serve Prometheus metrics at /metrics (rooms, sockets, commands, latencies, Redis errors; never a "
        "code, name or text). Keep /metrics from the public at the proxy.",
    ),
}


class SettingError(ValueError):
    """A setting that cannot work; the message names the variable and says what to write instead."""


def languages() -> tuple[str, ...]:
    """German (the source language) and every language with a catalogue."""
    return ("de", *sorted({p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.[mp]o")}))


def without_password(url: str) -> str:
    """A Redis URL fit to print: no password, whether in user:password@ or in ?password= (parsable or not)."""
    userinfo = re.match(r"([A-Za-z][A-Za-z0-9+.-]*://)(.*)@(.*)", url, flags=re.S)  # up to the last @
    if userinfo:
        user = userinfo[2].split(":", 1)[0]
        url = userinfo[1] + (f"{user}@" if user else "") + userinfo[3]
    return re.sub(r"([?&])password=[^&#]*&?", r"\1", url).rstrip("?&")


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def parse_duration(text: str) -> float:
    """Seconds in "30d", "12h", "90m", "45s" or a bare number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30d, 12h, 90m, 45s)")
    return float(match[1]) * _UNITS[match[2] or "s"]


def _ttl(text: str) -> float:
    return _seconds("WORKSHOP_ROOM_TTL", text, "30d, 12h, 90m")


def _seconds(name: str, text: str, example: str = "20s") -> float:
    try:
        seconds = parse_duration(text)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise SettingError(f"{name}={text!r} is not a duration of a second or more: use e.g. {example}")
    return seconds


def _flag(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value not in _TRUE | _FALSE:
        raise SettingError(f"{name}={text!r} is neither true nor false: use true or false")
    return value in _TRUE


def _rates(text: str) -> dict[str, Rate]:
    try:
        return parse_rates(text)
    except ValueError as error:
        raise SettingError(f"WORKSHOP_RATE_LIMITS={text!r}: {error}") from None


def _count(name: str, text: str) -> int:
    if not text.strip():
        return SOCKETS_PER_PERSON
    if not text.strip().isdigit() or int(text) < 1:
        raise SettingError(f"{name}={text!r} is not a number of one or more: use e.g. 5")
    return int(text)


def _replicas(text: str, redis_url: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdigit():
        raise SettingError(f"WORKSHOP_REDIS_WAIT_REPLICAS={text!r} is not a number: use e.g. 1, or 0 not to wait")
    if int(text) and not redis_url:
        raise SettingError("WORKSHOP_REDIS_WAIT_REPLICAS needs a REDIS_URL with replicas: the embedded Redis has none")
    if int(text) and isinstance(redis_urls.parse(redis_url), redis_urls.Cluster):
        raise SettingError(
            "WORKSHOP_REDIS_WAIT_REPLICAS is not for a cluster (its changes go to many primaries): set it to 0, or use "
            "redis+sentinel://"
        )
    return int(text)


def _rehearsals(text: str) -> int:
    if not text.strip():
        return REHEARSALS
    if not text.strip().isdigit():
        raise SettingError(f"WORKSHOP_REHEARSALS={text!r} is not a number: use e.g. 3, or 0 for none")
    return int(text)


def _language(text: str) -> str:
    language = text.strip().lower()
    if language not in languages():
        raise SettingError(
            f"WORKSHOP_LANGUAGE={text!r} is not a language of the interface: use {' or '.join(languages())}"
        )
    return language


def _log_format(text: str) -> str:
    value = text.strip().lower()
    if value not in ("plain", "json"):
        raise SettingError(f"WORKSHOP_LOG_FORMAT={text!r} is not a log format: use plain or json")
    return value


def _oidc(issuer: str, client_id: str, client_secret: str) -> tuple[str | None, str, str]:
    """The issuer, client id and secret of facilitator sign-in, or (None, "", "") without it."""
    if not issuer.strip():
        return None, "", ""
    url = _web_url("WORKSHOP_OIDC_ISSUER", issuer)
    if not client_id.strip() or not client_secret.strip():
        raise SettingError(
            "WORKSHOP_OIDC_ISSUER is set without WORKSHOP_OIDC_CLIENT_ID and WORKSHOP_OIDC_CLIENT_SECRET: "
            "set both (the app's client at that issuer), or unset the issuer"
        )
    return url, client_id.strip(), client_secret.strip()


def _web_url(name: str, text: str) -> str:
    url = text.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingError(f"{name}={text!r} is not a web address: use e.g. https://workshop.example.de")
    return url


def _redis_url(text: str) -> str:
    try:
        redis_urls.parse(text)
    except ValueError as error:
        raise SettingError(
            f"REDIS_URL {without_password(text)!r} is not a Redis URL ({error}): use e.g. {redis_urls.EXAMPLES}, "
            "or unset it"
        ) from None
    return text


@dataclass(frozen=True)
class Settings:
    redis_url: str | None = None
    wait_replicas: int = 0
    data_dir: Path = Path("workshop-data")
    secret_key: str | None = None
    room_ttl: float = 30 * 86400
    public_url: str | None = None
    https: bool = False
    allowed_origins: tuple[str, ...] = ()
    language: str = "de"
    access_log: bool = False
    contact: str = ""
    rate_limits: Mapping[str, Rate] = field(default_factory=lambda: dict(DEFAULTS))
    sockets_per_person: int = SOCKETS_PER_PERSON
    socket_timeout: float = 20.0
    rehearsals: int = REHEARSALS
    metrics: bool = False
    log_format: str = "plain"
    oidc_issuer: str | None = None
    oidc_client_id: str = ""
    oidc_client_secret: str = ""

    @classmethod
    def from_environ(cls, env_file: str | None = ".env") -> Settings:
        """The settings, or a SettingError that says which one is wrong and what to write instead."""
        config = Config(env_file if env_file and Path(env_file).exists() else None)
        redis_url = config("REDIS_URL", default="") or ""
        public_url = config("WORKSHOP_PUBLIC_URL", default="") or ""
        origins = config("WORKSHOP_ALLOWED_ORIGINS", default="")
        issuer, client_id, client_secret = _oidc(
            config("WORKSHOP_OIDC_ISSUER", default=""),
            config("WORKSHOP_OIDC_CLIENT_ID", default=""),
            config("WORKSHOP_OIDC_CLIENT_SECRET", default=""),
        )
        return cls(
            redis_url=_redis_url(redis_url) if redis_url else None,
            wait_replicas=_replicas(config("WORKSHOP_REDIS_WAIT_REPLICAS", default=""), redis_url),
            data_dir=Path(config("WORKSHOP_DATA_DIR", default="workshop-data")),
            secret_key=config("WORKSHOP_SECRET_KEY", default=None) or None,
            room_ttl=_ttl(config("WORKSHOP_ROOM_TTL", default="30d")),
            public_url=_web_url("WORKSHOP_PUBLIC_URL", public_url) if public_url.strip() else None,
            https=_flag("WORKSHOP_HTTPS", config("WORKSHOP_HTTPS", default="false")),
            allowed_origins=tuple(_web_url("WORKSHOP_ALLOWED_ORIGINS", o) for o in origins.split(",") if o.strip()),
            language=_language(config("WORKSHOP_LANGUAGE", default="de")),
            access_log=_flag("WORKSHOP_ACCESS_LOG", config("WORKSHOP_ACCESS_LOG", default="false")),
            contact=(config("WORKSHOP_CONTACT", default="") or "").strip(),
            rate_limits=_rates(config("WORKSHOP_RATE_LIMITS", default="")),
            sockets_per_person=_count("WORKSHOP_SOCKETS_PER_PERSON", config("WORKSHOP_SOCKETS_PER_PERSON", default="")),
            socket_timeout=_seconds("WORKSHOP_SOCKET_TIMEOUT", config("WORKSHOP_SOCKET_TIMEOUT", default="20s")),
            rehearsals=_rehearsals(config("WORKSHOP_REHEARSALS", default="")),
            metrics=_flag("WORKSHOP_METRICS", config("WORKSHOP_METRICS", default="false")),
            log_format=_log_format(config("WORKSHOP_LOG_FORMAT", default="plain")),
            oidc_issuer=issuer,
            oidc_client_id=client_id,
            oidc_client_secret=client_secret,
        )
