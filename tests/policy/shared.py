"""Paths to the shared policy texts (``../shared/policy`` from the project root).

Tests that need them must fail, not skip, when the files are missing.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_POLICY = PROJECT_ROOT.parent / "shared" / "policy"
CLAUSES_MD = SHARED_POLICY / "CLAUSES.md"
POLICY_TEXT = SHARED_POLICY / "dehong-2021-opinions.txt"


def read_shared(path: Path) -> str:
    assert path.is_file(), f"shared policy file missing: {path}"
    return path.read_text(encoding="utf-8")
