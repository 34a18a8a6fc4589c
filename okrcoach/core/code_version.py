"""The running code's version, named in the keys of cached values that code builds
(okrs/fragments.py's markup, core/cache.py's per-organisation values).

A fragment's key names the rows and the templates it shows, not the Python that turns them into
markup (the charts, the coach panel, template tags): after a deploy that changed such code, the
old markup was served until its entry expired (an hour). The version is a digest of every file
of the okrcoach and coach packages (their tests left out) and Django's version, computed once
per process on first use (~40-80 ms), so a deploy that changes any of them starts new keys and
the old entries expire unread. Every process of one deploy computes the same digest, so workers
and hosts still share entries."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import django

PACKAGES = ("okrcoach", "coach")
# What markup is made from: code, templates, the coach's model and catalogue, static files (their
# hashed names are in the markup). Not the coach's training sets or the academy's course text.
SUFFIXES = {".py", ".html", ".txt", ".json", ".js", ".css", ".svg"}
_SKIPPED = {"tests", "__pycache__"}


def package_dirs(names: Iterable[str] = PACKAGES) -> list[Path]:
    """Where the packages' files are, found without importing them."""
    dirs: list[Path] = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"code version: package {name} not found")
        dirs.extend(Path(p) for p in spec.submodule_search_locations)
    return dirs


def source_digest(dirs: Iterable[Path]) -> str:
    """A digest of the files under `dirs` (path and content) that markup is made from."""
    digest = hashlib.blake2b(digest_size=8)
    for root in dirs:
        files = sorted(
            p
            for p in root.rglob("*")
            if p.suffix in SUFFIXES
            and p.is_file()
            and not _SKIPPED & set(p.relative_to(root).parts)
        )
        for path in files:
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """This process's code version: once per process, then from memory."""
    return f"{source_digest(package_dirs())}-{django.__version__}"
