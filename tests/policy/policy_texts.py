"""Paths to the project's copy of the policy texts (``docs/policy`` from the project root).

The project is whole on its own: nothing at run or test time reads outside the repository.
``docs/policy`` holds the policy text and the clause catalogue (with its settled readings).
Tests that need them must fail, not skip, when the files are missing.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = PROJECT_ROOT / "docs" / "policy"
CLAUSES_MD = POLICY_DIR / "CLAUSES.md"
POLICY_TEXT = POLICY_DIR / "dehong-2021-opinions.txt"


def read_policy(path: Path) -> str:
    assert path.is_file(), f"policy file missing from the project: {path}"
    return path.read_text(encoding="utf-8")
