"""`workshop serve`: the one way to start the app, locally and on a platform (see Procfile)."""

from __future__ import annotations

import argparse

import uvicorn

from .config import Settings
from .logs import log_config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="workshop", description="Real-time workshops from projector to phones.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app (embedded Redis unless REDIS_URL is set)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    args = parser.parse_args(argv)

    settings = Settings.from_environ()
    uvicorn.run(
        "workshop.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        access_log=settings.access_log,  # off by default; where on, room codes are redacted like everywhere
        log_config=log_config(),
        proxy_headers=True,  # trusts X-Forwarded-* only from FORWARDED_ALLOW_IPS (uvicorn's, default 127.0.0.1)
        ws_max_size=64 * 1024,  # a socket message above this closes with 1009
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
