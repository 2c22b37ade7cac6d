"""The policy package stays pure: no Django, no policy numbers in Python code."""

from __future__ import annotations

import ast
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import zhucun.policy
from zhucun.policy import get_parameters

PACKAGE = Path(zhucun.policy.__file__).resolve().parent


def test_importing_the_package_loads_no_django() -> None:
    src = str(PACKAGE.parents[1])
    code = (
        "import sys, zhucun.policy as p; p.get_parameters(); p.WorkCalendar(); "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_imports_django() -> None:
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_no_policy_number_is_written_in_python_code() -> None:
    """Every policy figure lives in parameters.toml with its clause id, not in code."""
    figures: set[int | Decimal | Fraction] = set()
    for entry in get_parameters():
        for value in entry.values:
            if not isinstance(value.value, bool):
                figures.add(value.value)
        if entry.suggested is not None and not isinstance(entry.suggested, bool):
            figures.add(entry.suggested)
    # 0…9 also serve as structural constants (weekday numbers, code lengths); policy numbers
    # of that size are still only read from the file, which the value table test checks.
    forbidden = {f for f in figures if not (f == int(f) and 0 <= f < 10)}
    assert {Decimal("2.5"), 10, 15, 45, 10000} <= forbidden
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                assert node.value not in forbidden, f"{path.name}:{node.lineno} {node.value!r}"
