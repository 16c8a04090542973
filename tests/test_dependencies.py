"""Every library collectctl imports is one it declares: a dependency that arrives only
through a test tool would pass the suite and fail on a user's machine."""

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "collectctl"


def imported_top_levels() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - {"collectctl"} - set(sys.stdlib_module_names)


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [spec.split(";")[0] for spec in project["dependencies"]]
    return {
        name.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
        for name in names
    }


@pytest.mark.parametrize("module", sorted(imported_top_levels()))
def test_an_imported_library_is_a_declared_dependency(module):
    distributions = {d.lower() for d in packages_distributions().get(module, [])}
    assert distributions & declared(), f"collectctl imports {module} but does not declare it"
