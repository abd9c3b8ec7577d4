from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import redis
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from .config import Settings
from .connection import open_redis
from .demo.rehearsals import Plan, Rehearsals
from .domain.errors import DomainError
from .hub import Hub
from .kinds import KINDS
from .limits import Limiter
from .metrics import Metrics, MetricsMiddleware
from .resources import STATIC
from .store import Store
from .web import actions, errors, exports, followups, health, pages, prepare, rooms, signin
from .web.limits import LimitsMiddleware
from .web.live import Feeds, room_socket
from .web.security import SecurityMiddleware
from .web.sessions import Cookies
from .web.templating import Languages

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    *,
    rehearsal: Plan | None = None,
    on_start: Callable[[Rehearsals], Awaitable[object]] | None = None,
) -> Starlette:
    """The app. `rehearsal`: how its rehearsal rooms run (people, pace, duration); `on_start`: what to do once it has
    started (`workshop demo` opens a rehearsal)."""
    settings = settings or Settings.from_environ()
    metrics = Metrics() if settings.metrics else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_redis(settings) as client:
            store = Store(
                client,
                settings.room_ttl,
                KINDS,
                compact_after_delete=settings.redis_url is None,
                wait_replicas=settings.wait_replicas,
            )
            secret = settings.secret_key or await _wait_for(store.secret_key)
            hub = Hub(client, heard=metrics.heard, lost=metrics.subscription_lost) if metrics else Hub(client)
            app.state.hub = hub
            app.state.settings = settings
            app.state.store = store
            app.state.languages = Languages(settings.language)
            app.state.cookies = Cookies(secret, max_age=settings.room_ttl, secure=settings.https)
            app.state.limits = Limiter(client, settings.rate_limits, secret)
            app.state.signin = signin.from_settings(settings, secret)  # None unless WORKSHOP_OIDC_ISSUER is set
            app.state.feeds = Feeds(store, hub, app.state.languages)
            rehearsals = Rehearsals(
                store,
                most=settings.rehearsals,
                plan=rehearsal,
                translator=lambda language: app.state.languages[language].gettext.gettext,
            )
            app.state.rehearsals = rehearsals
            _settle_collector()
            tasks = [asyncio.create_task(hub.run()), asyncio.create_task(app.state.feeds.heartbeat())]
            try:
                if on_start is not None:
                    await on_start(rehearsals)
                yield
            finally:
                await rehearsals.close()
                for task in tasks:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    routes = [
        Route("/", pages.start),
        Route("/healthz", health.healthz),
        Route("/readyz", health.readyz),
        Route("/datenschutz", pages.privacy),
        Route("/barrierefreiheit", pages.accessibility),
        Route("/language", pages.set_language, methods=["POST"]),
        Route("/rooms", signin.staff_only(rooms.create, keep_title=True), methods=["POST"]),
        Route("/restore", signin.staff_only(rooms.restore), methods=["POST"]),
        Route("/rehearsals", signin.staff_only(rooms.rehearse), methods=["POST"]),
        Route("/templates", signin.staff_only(rooms.from_template), methods=["POST"]),
        Route("/follow-up", followups.page),
        Route("/follow-up", signin.staff_only(followups.from_upload), methods=["POST"]),
        Route("/r/{code}/follow-up", followups.from_room, methods=["POST"]),
        Route(signin.CALLBACK, signin.callback(rooms.open_room)),
        Route("/join", pages.join_form),
        Route("/j/{code}", pages.join_page),
        Route("/j/{code}", pages.join, methods=["POST"]),
        Route("/r/{code}", pages.phone),
        Route("/r/{code}/projector", pages.projector),
        Route("/r/{code}/facilitate", pages.facilitate),
        Route("/r/{code}/facilitate/{token}", rooms.open_link),
        Route("/r/{code}/facilitator-link", rooms.new_facilitator_link, methods=["POST"]),
        Route("/r/{code}/groups/link", rooms.new_group_link, methods=["POST"]),
        Route("/r/{code}/devices/sign-out", rooms.sign_out_others, methods=["POST"]),
        Route("/r/{code}/delete", rooms.delete, methods=["POST"]),
        Route("/r/{code}/export.md", exports.markdown),
        Route("/r/{code}/export.json", exports.archive),
        Route("/r/{code}/template.json", prepare.template),
        Route("/r/{code}/export.odt", exports.odt),
        Route("/r/{code}/export/{table}.csv", exports.table),
        Route("/r/{code}/minutes", exports.printable),
        *[
            Route(f"/r/{{code}}/{path}", actions.endpoint(path, command), methods=["POST"])
            for path, command in actions.COMMANDS.items()
        ],
        WebSocketRoute("/r/{code}/ws", room_socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(
            SecurityMiddleware,
            https=settings.https,
            allowed_origins=settings.allowed_origins,
            form_targets=signin.login_pages(settings),  # the sign-in provider's login, if there is one
        ),
        Middleware(LimitsMiddleware),  # after the same-origin check: a refused cross-site request costs nothing
    ]
    if metrics:
        routes.insert(0, Route("/metrics", metrics.endpoint))
        middleware.insert(0, Middleware(MetricsMiddleware, metrics=metrics))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            DomainError: errors.domain_error,
            redis.ConnectionError: errors.redis_down,
            redis.TimeoutError: errors.redis_down,
            redis.exceptions.ClusterError: errors.redis_down,  # a cluster that stays unsettled (moving, failing over)
            redis.exceptions.TryAgainError: errors.redis_down,
            HTTPException: errors.http_error,
        },
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    return app


async def _wait_for(read: object) -> str:
    """Wait for Redis at start-up (a platform may start the app before its Redis), saying so in the log."""
    assert callable(read)
    delay = 0.2
    while True:
        try:
            return str(await read())
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            log.warning("waiting for redis (%s)", error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def _settle_collector() -> None:
    """What is alive once the app has started (modules, templates, the translations) lives as long as the process:
    frozen, Python's cycle collector no longer scans it; and it runs less often. A room's change makes many short-lived
    objects, which reference counting frees; with the default thresholds the collector's full passes over every
    connection's objects made the slowest 1 % of votes in a room of 500 reach the last phone ~100 ms late
    (bench.compare: p99 101 ms with the defaults, 27-29 ms with these)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
