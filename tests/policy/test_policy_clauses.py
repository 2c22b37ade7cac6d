"""clauses.py holds exactly the clause ids of docs/policy/CLAUSES.md."""

from __future__ import annotations

import re

import pytest

from zhucun.policy import CLAUSE_IDS, CLAUSES, clause_title, is_clause

from .policy_texts import CLAUSES_MD, read_policy

_ROW = re.compile(r"^\|\s*([A-Z]+(?:\.[A-Z0-9_]+)+(?:\.\.\d+)?)\s*\|")
_RANGE = re.compile(r"^(.*?)(\d+)\.\.(\d+)$")


def catalogue_ids(text: str) -> list[str]:
    ids: list[str] = []
    for line in text.splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        cell = match.group(1)
        expanded = _RANGE.match(cell)
        if expanded:
            prefix, first, last = expanded.group(1), int(expanded.group(2)), int(expanded.group(3))
            ids.extend(f"{prefix}{n}" for n in range(first, last + 1))
        else:
            ids.append(cell)
    return ids


def test_catalogue_parser_expands_ranges() -> None:
    text = "| SEL.COND.MUST1..5 | x | y |\n| DUT.LIST | a | b |\n| id | s | r |"
    assert catalogue_ids(text) == [f"SEL.COND.MUST{n}" for n in range(1, 6)] + ["DUT.LIST"]


def test_clauses_py_holds_exactly_the_ids_of_clauses_md() -> None:
    ids = catalogue_ids(read_policy(CLAUSES_MD))
    assert len(ids) == len(set(ids)), "CLAUSES.md lists an id twice"
    ours = [c.id for c in CLAUSES]
    assert len(ours) == len(set(ours)), "clauses.py lists an id twice"
    assert set(ours) == set(ids), {
        "missing in clauses.py": sorted(set(ids) - set(ours)),
        "not in CLAUSES.md": sorted(set(ours) - set(ids)),
    }
    assert ours == ids, "clauses.py should follow the order of CLAUSES.md"


def test_every_clause_has_a_chinese_title() -> None:
    for clause in CLAUSES:
        assert re.search(r"[\u4e00-\u9fff]", clause.title), clause


def test_clause_lookup_helpers() -> None:
    assert is_clause("MGT.1.DAYS")
    assert not is_clause("MGT.1")
    assert clause_title("SEL.SRC.AGE") == "年龄条件"
    assert "SEL.COND.MUST5" in CLAUSE_IDS
    with pytest.raises(KeyError):
        clause_title("NOPE")
