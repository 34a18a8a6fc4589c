"""The demo app sits above every other app: it seeds them, and none of them may depend on it.
This test reads the source of every other module of the okrcoach package (tests included) and
fails on an import of okrcoach.demo, absolute or relative."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # okrcoach/
DEMO = PACKAGE / "demo"


def _package_of(path: Path) -> str:
    """The dotted package that relative imports in this file are resolved against."""
    parts = path.relative_to(PACKAGE.parent).parts[:-1]
    return ".".join(parts)


def _imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module an import statement names, relative imports resolved from `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            # `from okrcoach import demo` names the module in the alias, so count both.
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _is_demo(module: str) -> bool:
    return module == "okrcoach.demo" or module.startswith("okrcoach.demo.")


def test_no_module_outside_the_demo_app_imports_it() -> None:
    offences: dict[str, str] = {}  # "path:line" -> the first demo module it names
    scanned = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(DEMO):
            continue
        scanned += 1
        for lineno, module in _imported_modules(path.read_text(), _package_of(path)):
            if _is_demo(module):
                offences.setdefault(f"{path.relative_to(PACKAGE.parent)}:{lineno}", module)
    assert scanned > 100  # the scan really walked the package
    assert not offences, "Only okrcoach/demo may import okrcoach.demo:\n" + "\n".join(
        f"{where} imports {module}" for where, module in offences.items()
    )


@pytest.mark.parametrize(
    ("source", "imports_the_demo"),
    [
        ("from okrcoach.demo.people import seed_people", True),
        ("import okrcoach.demo.okrs", True),
        ("from okrcoach import demo", True),
        ("from ..demo import academy", True),
        ("from ..demo.people import DEMO_PASSWORD", True),
        ("def seed() -> None:\n    from okrcoach.demo.okrs import seed_okrs", True),
        ("from .demo import seed_people", False),  # okrcoach.orgs.demo, not the demo app
        ("from okrcoach.okrs import progress", False),
        ("import okrcoach.demographics", False),
    ],
)
def test_the_scan_resolves_imports_the_way_python_does(source: str, imports_the_demo: bool) -> None:
    # As if the source lived in okrcoach/orgs/, so `..` is okrcoach and `.` is okrcoach.orgs.
    modules = [module for _, module in _imported_modules(source, "okrcoach.orgs")]
    assert any(_is_demo(module) for module in modules) is imports_the_demo
