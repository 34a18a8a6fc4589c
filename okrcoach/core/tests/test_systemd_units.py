"""The shipped systemd units (deploy/systemd/) pass `systemd-analyze verify`: known keys, valid
sections, executables that exist. The units name /srv/okrcoach; the test points them at this
checkout so the ExecStart programs resolve. Skips when systemd-analyze is absent."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
UNITS = sorted((REPO / "deploy" / "systemd").glob("*.service"))
ANALYZE = shutil.which("systemd-analyze")

pytestmark = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is not installed (apt-get install systemd)"
)


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run(
        [ANALYZE, "verify", "--man=no", *sorted(str(p) for p in folder.glob("*.service"))],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,
    )


def _installed(tmp_path: Path) -> Path:
    for unit in UNITS:
        text = unit.read_text().replace("/srv/okrcoach", str(REPO))
        (tmp_path / unit.name).write_text(text)
    return tmp_path


def test_the_web_and_worker_units_verify_cleanly(tmp_path: Path) -> None:
    assert {u.name for u in UNITS} == {"okrcoach-web.service", "okrcoach-worker.service"}
    result = _verify(_installed(tmp_path))
    assert result.returncode == 0, result.stderr
    # Warnings (an unknown key, a bad value) leave the exit code at 0: none may name our units.
    complaints = [line for line in result.stderr.splitlines() if "okrcoach" in line]
    assert complaints == []


def test_the_check_catches_a_broken_unit(tmp_path: Path) -> None:
    folder = _installed(tmp_path)
    worker = folder / "okrcoach-worker.service"
    worker.write_text(worker.read_text().replace("ExecStart=/", "ExecStart=no-such-program /"))
    web = folder / "okrcoach-web.service"
    web.write_text(web.read_text().replace("[Service]", "[Service]\nRestartt=always"))
    result = _verify(folder)
    assert result.returncode != 0
    assert "okrcoach-worker.service" in result.stderr
    assert "Restartt" in result.stderr
