"""The code version (core/code_version.py): a digest of the packages' code and templates,
computed once per process, that changes when any of them changes and is named in the keys of
the per-organisation cache (core/cache.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from okrcoach.core import code_version
from okrcoach.core.cache import cached_for_org


def tree(root: Path) -> Path:
    (root / "charts").mkdir(parents=True)
    (root / "charts" / "draw.py").write_text("WIDTH = 320\n")
    (root / "templates").mkdir()
    (root / "templates" / "chart.html").write_text("<svg></svg>\n")
    return root


def test_a_changed_source_file_changes_the_version(tmp_path: Path) -> None:
    root = tree(tmp_path / "pkg")
    before = code_version.source_digest([root])
    assert code_version.source_digest([root]) == before
    (root / "charts" / "draw.py").write_text("WIDTH = 360\n")
    assert code_version.source_digest([root]) != before


def test_a_changed_template_or_a_new_module_changes_the_version(tmp_path: Path) -> None:
    root = tree(tmp_path / "pkg")
    before = code_version.source_digest([root])
    (root / "templates" / "chart.html").write_text("<svg class='wide'></svg>\n")
    after_template = code_version.source_digest([root])
    (root / "charts" / "axis.py").write_text("TICKS = 4\n")
    assert len({before, after_template, code_version.source_digest([root])}) == 3


def test_tests_and_compiled_files_do_not_change_the_version(tmp_path: Path) -> None:
    root = tree(tmp_path / "pkg")
    before = code_version.source_digest([root])
    (root / "tests").mkdir()
    (root / "tests" / "test_draw.py").write_text("def test_it() -> None: ...\n")
    (root / "charts" / "__pycache__").mkdir()
    (root / "charts" / "__pycache__" / "draw.cpython-311.pyc").write_bytes(b"\x00")
    assert code_version.source_digest([root]) == before


def test_the_version_names_this_checkout_and_is_computed_once_per_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dirs = code_version.package_dirs()
    assert {d.name for d in dirs} == {"okrcoach", "coach"}
    expected = code_version.source_digest(dirs)
    calls: list[int] = []
    real = code_version.source_digest

    def counting(d: object) -> str:
        calls.append(1)
        return real(d)

    monkeypatch.setattr(code_version, "source_digest", counting)
    code_version.code_version.cache_clear()
    try:
        assert code_version.code_version().startswith(expected + "-")
        assert code_version.code_version() == code_version.code_version()
        assert len(calls) == 1
    finally:
        code_version.code_version.cache_clear()


def test_a_value_cached_per_organisation_is_built_again_under_a_new_code_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache.clear()
    assert cached_for_org(7, "figures", lambda: "built by the old code") == "built by the old code"
    assert cached_for_org(7, "figures", lambda: "not built") == "built by the old code"
    monkeypatch.setattr(code_version, "code_version", lambda: "a-new-deploy")
    assert cached_for_org(7, "figures", lambda: "built by the new code") == "built by the new code"
