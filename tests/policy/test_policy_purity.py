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
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = _geodesy_constants(tree) if path.name == "geo.py" else set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                if id(node) in allowed:
                    continue
                assert node.value not in forbidden, f"{path.name}:{node.lineno} {node.value!r}"


# geo.py holds geodesy, not policy: the published GCJ-02 polynomial (_delta_lat, _delta_lng —
# e.g. 100.0, 300.0, 30.0, which happen to equal policy figures) and the ellipsoid and
# earth-radius constants.  No jurisdiction may change them, so they are not parameters.  Only
# the constants inside those two functions and those named assignments are exempt; any other
# figure in geo.py is still checked.
GEODESY_FUNCTIONS = frozenset({"_delta_lat", "_delta_lng"})
GEODESY_NAMES = frozenset(
    {
        *("_KRASOVSKY_A", "_KRASOVSKY_EE", "WGS84_MEAN_RADIUS_M", "_CHINA_LNG", "_CHINA_LAT"),
        "_LAT_LIMIT",  # ±90°, equal to term_end_notice_days (MGT.9.HANDOVER) by chance
    }
)


def _geodesy_constants(tree: ast.Module) -> set[int]:
    exempt: set[int] = set()
    for node in tree.body:
        scope: ast.AST | None = None
        if isinstance(node, ast.FunctionDef) and node.name in GEODESY_FUNCTIONS:
            scope = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if all(isinstance(t, ast.Name) and t.id in GEODESY_NAMES for t in targets):
                scope = node
        if scope is not None:
            exempt |= {id(n) for n in ast.walk(scope) if isinstance(n, ast.Constant)}
    found = {
        n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in GEODESY_FUNCTIONS
    }
    assert found == GEODESY_FUNCTIONS, "geo.py: the GCJ-02 polynomial functions were renamed"
    return exempt


def test_geodesy_allow_list_is_narrow() -> None:
    """A policy figure outside the GCJ-02 polynomial in geo.py is still caught."""
    tree = ast.parse(
        "def _delta_lat(x, y):\n    return 100.0 * x\n"
        "def _delta_lng(x, y):\n    return 300.0 * y\n"
        "def judge(d):\n    return d > 500\n"
    )
    exempt = _geodesy_constants(tree)
    numbers = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert {n.value for n in numbers if id(n) in exempt} == {100.0, 300.0}
    assert [n.value for n in numbers if id(n) not in exempt] == [500]
