"""The cache every process of one host shares when the deployment has no Redis.

Django's local-memory cache is each process's own: with gunicorn's several workers (and the task
worker) an organisation's version raised in one process stayed unseen by the others, which went
on serving values cached before the write. Django's file-based cache is shared by every process
that reads the same directory; this subclass makes the two operations that must not lose an
update when two processes race (`incr` for the organisation versions and rate-limit counters,
`add` for a first version) atomic with an exclusive lock on one file, makes a read that finds
nothing look again under that lock (an `incr` may be halfway), and lists the directory for
culling only now and then instead of on every write.

Several hosts still need Redis (CACHE_URL): a directory is shared by the processes of one host."""

from __future__ import annotations

import fcntl
import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

# Listing the directory to count entries costs a millisecond per few thousand files: at most
# once per this many seconds per process (entries still expire on read when their time is up).
CULL_INTERVAL_SECONDS = 30.0

_ABSENT = object()


# django-stubs declares none of FileBasedCache's private helpers (_dir, _createdir,
# _key_to_file, _cull): hence the attr-defined ignores below.
class SharedFileCache(FileBasedCache):
    _last_cull = 0.0

    @contextmanager
    def _locked(self, *, shared: bool = False) -> Iterator[None]:
        lock_path = os.path.join(self._dir, ".lock")  # type: ignore[attr-defined]
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:  # no directory yet (or removed): made only then
            self._createdir()  # type: ignore[attr-defined]
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        value = super().get(key, _ABSENT, version)
        if value is _ABSENT:
            # _UNLINK_BEFORE_RENAME: nothing found may be an incr between its unlink and its
            # rename; it holds the lock throughout, so a look under the lock finds its number.
            # Shared: readers of missing entries do not wait for each other.
            with self._locked(shared=True):
                value = super().get(key, _ABSENT, version)
        return default if value is _ABSENT else value

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        # BaseCache.incr is get-then-set: two workers raising the same version at once could
        # both write n + 1, and a slow one could even write back a number already passed. It
        # also wrote the new number with the default timeout; the entry keeps its own here.
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
        with self._locked():
            try:
                with open(fname, "rb") as f:
                    # Our own directory (mode 0700), trusted as FileBasedCache.get trusts it.
                    expiry = pickle.load(f)  # noqa: S301
                    if expiry is not None and expiry < time.time():
                        raise FileNotFoundError
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            new_value: int = value + delta
            # One name for the new file is enough: only the holder of the lock writes it.
            tmp_path = os.path.join(self._dir, ".incr")  # type: ignore[attr-defined]
            fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(new_value, self.pickle_protocol)))
            # _UNLINK_BEFORE_RENAME: renamed over an existing file, ext4 (auto_da_alloc) writes
            # the new file's blocks out within the rename: about 1 ms of waiting per raise
            # against 0.2 (perf/LOAD_RESULTS.md, session 24). A reader between the unlink and
            # the rename finds no entry; `get` then looks again under this lock and reads the
            # new number (until session 25 a throttle's peek counted 0 for that moment).
            with suppress(FileNotFoundError):  # deleted meanwhile (delete() takes no lock)
                os.unlink(fname)
            os.rename(tmp_path, fname)
            return new_value

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._last_cull < CULL_INTERVAL_SECONDS:
            return
        self._last_cull = now
        super()._cull()  # type: ignore[misc]
