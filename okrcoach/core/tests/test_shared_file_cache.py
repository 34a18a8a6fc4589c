"""Without Redis the default cache is files under CACHE_DIR (core/filecache.py): what one process
writes, every other process of the host reads. Shown with real processes, as gunicorn's workers
and the task worker are: each runs the base settings against the same directory and answers the
lines it is sent."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrcoach.core.filecache import SharedFileCache

REPO = Path(__file__).resolve().parents[3]

# Reads one Python expression per line, answers its value as one JSON line.
SERVE = """
import json, sys
import django
django.setup()
from django.core.cache import cache
from okrcoach.core.cache import bump_org_version, cached_for_org, org_version
for line in sys.stdin:
    print(json.dumps(eval(line)), flush=True)
"""


class Process:
    def __init__(self, cache_dir: Path) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "okrcoach.settings.base",
            "CACHE_DIR": str(cache_dir),
            "CACHE_URL": "",
            "REDIS_URL": "",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVE],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, expression: str) -> object:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(expression + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, f"the process died on {expression!r}"
        return json.loads(answer)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(60)


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[Process, Process]]:
    first, second = Process(tmp_path / "cache"), Process(tmp_path / "cache")
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_the_default_cache_without_redis_is_the_host_shared_file_cache() -> None:
    from okrcoach.settings import base

    if base.CACHE_URL:
        pytest.skip("CACHE_URL is set: Redis is the shared cache")
    assert base.CACHES["default"]["BACKEND"] == "okrcoach.core.filecache.SharedFileCache"
    assert base.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_a_write_in_one_process_is_read_by_another(two_processes: tuple[Process, Process]) -> None:
    first, second = two_processes
    assert first.ask("cache.set('greeting', 'hello', None)") is None
    assert second.ask("cache.get('greeting')") == "hello"
    assert second.ask("cache.delete('greeting')") is True
    assert first.ask("cache.get('greeting', 'gone')") == "gone"


def test_an_organisation_version_raised_in_one_process_invalidates_the_others(
    two_processes: tuple[Process, Process],
) -> None:
    first, second = two_processes
    version = int(str(first.ask("org_version(7)")))
    assert second.ask("org_version(7)") == version
    assert first.ask("cached_for_org(7, 'teams', lambda: ['Alpha'])") == ["Alpha"]
    # The second process finds the value the first one built.
    assert second.ask("cached_for_org(7, 'teams', lambda: ['not built'])") == ["Alpha"]
    first.ask("bump_org_version(7)")
    assert second.ask("org_version(7)") == version + 1
    assert second.ask("cached_for_org(7, 'teams', lambda: ['Alpha', 'Beta'])") == ["Alpha", "Beta"]
    assert first.ask("cached_for_org(7, 'teams', lambda: ['not built'])") == ["Alpha", "Beta"]


def test_processes_raising_a_version_at_the_same_time_lose_no_raise(tmp_path: Path) -> None:
    # Lost raises could move a version back to a number whose entries are stale.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "okrcoach.settings.base"}
    env.update(CACHE_DIR=str(tmp_path / "cache"), CACHE_URL="", REDIS_URL="")
    script = (
        "import django; django.setup()\n"
        "from django.core.cache import cache\n"
        "cache.add('counter', 0, None)\n"
        "for _ in range(300): cache.incr('counter')\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=env) for _ in range(3)]
    assert [run.wait(120) for run in runs] == [0, 0, 0]
    reader = Process(tmp_path / "cache")
    try:
        assert reader.ask("cache.get('counter')") == 900
    finally:
        reader.close()


def test_raising_a_version_keeps_it_without_expiry(tmp_path: Path) -> None:
    cache = SharedFileCache(str(tmp_path), {})
    cache.set("org:1:version", 10, None)
    assert cache.incr("org:1:version") == 11
    with open(cache._key_to_file("org:1:version"), "rb") as f:
        assert cache._is_expired(f) is False
        f.seek(0)
        assert pickle.load(f) is None  # noqa: S301  # the expiry: never
    with pytest.raises(ValueError):
        cache.incr("absent")


def _raise(cache_dir: str, times: int) -> None:
    cache = SharedFileCache(cache_dir, {})
    for _ in range(times):
        cache.incr("org:1:version")


def test_a_reader_never_finds_a_version_missing_while_others_raise_it(tmp_path: Path) -> None:
    """incr replaces the entry's file by unlinking it and renaming the new one in
    (_UNLINK_BEFORE_RENAME); until session 25 a reader between the two found no entry: an
    organisation version read as missing, a throttle's `peek` counting 0 for that instant.
    A read that finds nothing now looks again under the lock, which incr holds throughout."""
    cache = SharedFileCache(str(tmp_path), {})
    cache.set("org:1:version", 1, None)
    fork = multiprocessing.get_context("fork")
    raisers = [fork.Process(target=_raise, args=(str(tmp_path), 400)) for _ in range(2)]
    for p in raisers:
        p.start()
    seen: list[int] = []
    while any(p.is_alive() for p in raisers):
        seen.append(cache.get("org:1:version", -1))  # -1: found missing
    for p in raisers:
        p.join(60)
        assert p.exitcode == 0
    assert len(seen) > 100  # it did read while they raised
    assert -1 not in seen
    assert seen == sorted(seen)  # never back, never gone
    assert cache.get("org:1:version") == 801
    assert cache.get("absent", "default") == "default"
