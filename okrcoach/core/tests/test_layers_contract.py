"""The import order is enforced by import-linter (`lint-imports` in scripts/test.sh, configured in
pyproject.toml). These tests show that the check bites: the project's own contracts, run on a
small package tree in a temporary directory, fail as soon as one import goes the wrong way."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# One module per app, each importing only from the app below it: the order the contract wants.
CLEAN_TREE = {
    "coach/__init__.py": "import json\n",
    "okrcoach/__init__.py": "",
    "okrcoach/core/__init__.py": "",
    "okrcoach/core/models.py": "",
    "okrcoach/accounts/__init__.py": "",
    "okrcoach/accounts/models.py": "from okrcoach.core import models\n",
    "okrcoach/orgs/__init__.py": "",
    "okrcoach/orgs/models.py": "from okrcoach.accounts import models\n",
    "okrcoach/api/__init__.py": "",
    "okrcoach/api/auth.py": "from okrcoach.orgs import models\n",
    "okrcoach/comms/__init__.py": "",
    "okrcoach/comms/targets.py": "from okrcoach.orgs import models\n",
    "okrcoach/okrs/__init__.py": "",
    "okrcoach/okrs/models.py": "from okrcoach.orgs import models\nfrom okrcoach.api import auth\n",
    "okrcoach/academy/__init__.py": "",
    "okrcoach/academy/evidence.py": "from okrcoach.okrs import models\n",
    "okrcoach/insights/__init__.py": "",
    "okrcoach/insights/dashboards.py": "from okrcoach.academy import evidence\n",
    "okrcoach/growth/__init__.py": "",
    "okrcoach/growth/evidence.py": "from okrcoach.insights import dashboards\n",
    "okrcoach/api_v1.py": "from okrcoach.growth import evidence\n",
    "okrcoach/urls.py": "from okrcoach.api_v1 import *\n",
    "okrcoach/demo/__init__.py": "",
    "okrcoach/demo/okrs.py": "from okrcoach.okrs import models\n",
}


def _config() -> str:
    """The project's [tool.importlinter] section, as TOML for the temporary tree."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in config.items() if k != "contracts"]
    for contract in config["contracts"]:
        # The real ignore list names modules this small tree does not have.
        contract = {**contract, "unmatched_ignore_imports_alerting": "none"}
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{k} = {json.dumps(v)}" for k, v in contract.items()]
    return "\n".join(lines) + "\n"


def _lint(tmp_path: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    for name, source in {**CLEAN_TREE, **(extra or {})}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    (tmp_path / "pyproject.toml").write_text(_config())
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}  # this tree, not the real okrcoach
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_tree_that_follows_the_order_keeps_both_contracts(tmp_path: Path) -> None:
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_core_importing_okrs_breaks_the_layers_contract(tmp_path: Path) -> None:
    result = _lint(tmp_path, {"okrcoach/core/wrong_way.py": "from okrcoach.okrs import models\n"})
    assert result.returncode == 1
    assert "okrcoach.core is not allowed to import okrcoach.okrs" in result.stdout
    assert "okrcoach.core.wrong_way -> okrcoach.okrs.models" in result.stdout


def test_an_import_hidden_inside_a_function_is_caught_too(tmp_path: Path) -> None:
    # How orgs used to reach okrs for Home: a function-level import, invisible at module load.
    late = "def home():\n    from okrcoach.okrs.models import owed_this_week\n"
    result = _lint(tmp_path, {"okrcoach/orgs/views.py": late})
    assert result.returncode == 1
    assert "okrcoach.orgs is not allowed to import okrcoach.okrs" in result.stdout


def test_an_app_importing_the_demo_breaks_the_layers_contract(tmp_path: Path) -> None:
    result = _lint(tmp_path, {"okrcoach/okrs/fixtures.py": "from okrcoach.demo import okrs\n"})
    assert result.returncode == 1
    assert "okrcoach.okrs is not allowed to import okrcoach.demo" in result.stdout


@pytest.mark.parametrize("imported", ["django.db", "okrcoach.core"])
def test_the_coach_importing_django_or_okrcoach_breaks_its_contract(
    tmp_path: Path, imported: str
) -> None:
    result = _lint(tmp_path, {"coach/rules.py": f"import {imported}\n"})
    assert result.returncode == 1
    assert f"coach is not allowed to import {imported.split('.')[0]}" in result.stdout


def test_core_names_accounts_and_orgs_only_under_type_checking() -> None:
    """The contract lets core's annotation imports through by name; this keeps them annotations:
    an import of accounts or orgs outside `if TYPE_CHECKING:` would run, and is refused."""
    runtime = []
    for path in sorted((ROOT / "okrcoach" / "core").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        guarded = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
            for stmt in block.body
            for node in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            later = [n for n in names if n.startswith(("okrcoach.accounts", "okrcoach.orgs"))]
            if later and id(node) not in guarded:
                runtime.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not runtime, f"core imports a later app at run time: {runtime}"
