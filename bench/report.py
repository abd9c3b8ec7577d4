"""Figures from samples, and the Markdown table of a comparison (app, floor, app ÷ floor)."""

from __future__ import annotations

import math
import statistics
from typing import Any


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency_ms(seconds: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max in ms (a lost vote counts as infinite)."""
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0}
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms),
        "mean": statistics.fmean(ms) if all(math.isfinite(x) for x in ms) else math.inf,
    }


def fmt(value: Any, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if isinstance(value, float):
        text = f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}" if abs(value) < 10 else f"{value:,.0f}"
    else:
        text = f"{value:,}"
    return text + unit


def ratio(app: Any, floor: Any) -> str:
    if not isinstance(app, int | float) or not isinstance(floor, int | float) or not floor:
        return "–"
    if math.isinf(app) or math.isnan(app) or math.isnan(floor):
        return "–"
    value = app / floor
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def _four(s: dict[str, Any] | None) -> tuple[str, list[float | None]]:
    if not s or not s.get("n"):
        return "–", [None] * 4
    values = [s.get("p50"), s.get("p95"), s.get("p99"), s.get("max")]
    return " / ".join(fmt(v) for v in values), values


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    lines = [
        f"### bench.compare — {meta['started']}",
        "",
        f"Machine: {meta['cpus']} cores, load average (1, 5, 15 min) {_load(meta.get('load_before'))} before, "
        f"{_load(meta.get('load_after'))} after; "
        f"app on {meta['redis']}; clients in {meta['client_procs']} process(es) ({meta['event_loop']}).",
        "",
        "| figure | app | floor (bare relay) | app ÷ floor |",
        "|---|---|---|---|",
    ]
    row = lines.append
    for n, by in results.get("latency", {}).items():
        app_text, app_values = _four(by.get("app", {}).get("every_screen"))
        floor_text, floor_values = _four(by.get("relay", {}).get("every_screen"))
        ratios = " / ".join(ratio(a, f) for a, f in zip(app_values, floor_values, strict=True))
        row(f"| vote → every screen, N = {n}: p50 / p95 / p99 / max (ms) | {app_text} | {floor_text} | {ratios} |")
    for n, by in results.get("latency", {}).items():
        app_text, _ = _four(by.get("app", {}).get("answered"))
        if app_text != "–":
            row(f"| vote answered (HTTP), N = {n}: p50 / p95 / p99 / max (ms) | {app_text} | – | – |")
    sustained = results.get("sustained", {})
    if sustained:
        a, f = sustained.get("app", {}), sustained.get("relay", {})
        size = meta["args"]["sustained_size"]
        row(
            f"| one room of {size}: highest offered votes/s with p99 ≤ {meta['args']['p99_ms']:g} ms, none lost "
            f"| {fmt(a.get('best_rate'))} | {fmt(f.get('best_rate'))} "
            f"| {ratio(a.get('best_rate'), f.get('best_rate'))} |"
        )
        row(
            "| … votes/s achieved at that rate (incl. round changes) "
            f"| {fmt(a.get('best_achieved'))} | {fmt(f.get('best_achieved'))} "
            f"| {ratio(a.get('best_achieved'), f.get('best_achieved'))} |"
        )
        c = sustained.get("cluster")
        if c:
            best, floor_best = c.get("best_rate"), f.get("best_rate")
            row(
                "| … the app on a Redis Cluster (three primaries): highest offered votes/s "
                f"| {fmt(best)} | {fmt(floor_best)} | {ratio(best, floor_best)} |"
            )
    rooms = results.get("rooms", {})
    if rooms:
        a, f = rooms.get("app", {}), rooms.get("relay", {})
        label = f"{meta['args']['rooms']} rooms of {meta['args']['room_size']} at once"
        row(
            f"| {label}: votes/s (closed loop) | {fmt(a.get('votes_per_second'))} "
            f"| {fmt(f.get('votes_per_second'))} | {ratio(a.get('votes_per_second'), f.get('votes_per_second'))} |"
        )
        app_text, app_values = _four(a.get("every_screen"))
        floor_text, floor_values = _four(f.get("every_screen"))
        ratios = " / ".join(ratio(x, y) for x, y in zip(app_values, floor_values, strict=True))
        row(f"| {label}: vote → every screen of its room, p50 / p95 / p99 / max (ms) | {app_text} | {floor_text} ")
        lines[-1] += f"| {ratios} |"
        floor = f.get("votes_per_second")
        for system, where in (("app", "one Redis"), ("cluster", "a Redis Cluster (three primaries)")):
            one, several = rooms.get(system, {}), rooms.get(f"{system}_processes")
            if system == "cluster" and one:
                row(
                    f"| {label}, the app on {where}: votes/s; vote → every screen p50 / p99 (ms) "
                    f"| {fmt(one.get('votes_per_second'))}; {_two(one)} | {fmt(floor)} "
                    f"| {ratio(one.get('votes_per_second'), floor)} |"
                )
            if several:
                many = several.get("votes_per_second")
                row(
                    f"| {label}, {several['processes']} app processes on {where}: votes/s (÷ one process); "
                    f"vote → every screen p50 / p99 (ms) | {fmt(many)} ({ratio(many, one.get('votes_per_second'))} "
                    f"of one); {_two(several)} | {fmt(floor)} | {ratio(many, floor)} |"
                )
    fill = results.get("fill", {})
    if fill:
        a, f = fill.get("app", {}), fill.get("relay", {})
        size = meta["args"]["fill_size"]
        for key, label in (
            ("every_screen_current", f"a room of {size} fills, one after another (s)"),
            ("reconnect", f"all {size} reconnect at once: every screen current (s)"),
        ):
            row(f"| {label} | {fmt(a.get(key))} | {fmt(f.get(key))} | {ratio(a.get(key), f.get(key))} |")
        for key, label in (("peak_rss_kib_filled", "filled"), ("peak_rss_kib_reconnected", "and after the reconnect")):
            pa, pf = _mib(a.get(key)), _mib(f.get(key))
            row(f"| … peak RSS of the server, {label} (MiB) | {fmt(pa)} | {fmt(pf)} | {ratio(pa, pf)} |")
    for n, r in results.get("redis", {}).items():
        if "commands" in r:
            row(
                f"| Redis commands per vote, N = {n} (median; incl. commands inside scripts) "
                f"| {fmt(r['commands']['median'])} | – | – |"
            )
    for n, r in results.get("redis", {}).items():
        if "read_bytes" in r:
            row(f"| bytes read from Redis per vote, N = {n} (median) | {fmt(r['read_bytes']['median'])} | – | – |")
    memory = results.get("memory", {})
    if memory:
        a, f = memory.get("app", {}), memory.get("relay", {})
        for level in meta["args"]["memory_levels"]:
            key = str(level)
            ra, rf = a.get("levels", {}).get(key, {}), f.get("levels", {}).get(key, {})
            what = f" ({meta['args']['memory_view']}s, rooms of {meta['args']['memory_room_size']})" if level else ""
            short = {s.get("sockets") for s in (ra, rf) if s.get("sockets") not in (None, level)}
            if short:
                what += f" (reached: {', '.join(f'{n:,}' for n in sorted(short))})"
            row(
                f"| RSS with {level:,} idle sockets{what} (MiB) | {fmt(_mib(ra.get('rss_kib')))} "
                f"| {fmt(_mib(rf.get('rss_kib')))} | {ratio(ra.get('rss_kib'), rf.get('rss_kib'))} |"
            )
            if level:
                row(
                    f"| … KiB per connection at {level:,} | {fmt(ra.get('kib_per_connection'))} "
                    f"| {fmt(rf.get('kib_per_connection'))} "
                    f"| {ratio(ra.get('kib_per_connection'), rf.get('kib_per_connection'))} |"
                )
        idle = a.get("levels", {}).get("0", {})
        if idle.get("embedded_redis_rss_kib") is not None:
            both = idle["rss_kib"] + idle["embedded_redis_rss_kib"]
            row(f"| idle app with its embedded redis-server, 0 sockets (MiB) | {fmt(_mib(both))} | – | – |")
    if sustained:
        lines += ["", "Sustained ladder (one room): offered votes/s → p99 ms, lost"]
        for system in ("app", "cluster", "relay"):
            if system not in sustained:
                continue
            rungs = sustained.get(system, {}).get("rungs", [])
            steps = ", ".join(_rung(r) for r in rungs)
            lines.append(f"- {'floor' if system == 'relay' else system}: {steps or '–'}")
    warnings = results.get("warnings", [])
    if warnings:
        lines += ["", "Warnings:"] + [f"- {w}" for w in warnings]
    return "\n".join(lines) + "\n"


def _two(figures: dict[str, Any]) -> str:
    screens = figures.get("every_screen") or {}
    return f"{fmt(screens.get('p50'))} / {fmt(screens.get('p99'))}"


def _mib(kib: Any) -> float | None:
    return kib / 1024 if isinstance(kib, int | float) else None


def _rung(r: dict[str, Any]) -> str:
    lost = f" ({r['lost']} lost)" if r["lost"] else ""
    return f"{r['rate']:g}→{fmt(r['latency'].get('p99'))}{lost}{'' if r['passed'] else ' ✗'}"


def _load(values: Any) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "?"
