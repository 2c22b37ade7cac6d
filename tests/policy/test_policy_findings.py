"""Finding and its helpers."""

from __future__ import annotations

import dataclasses

import pytest

from zhucun.policy import Finding, errors, has_errors
from zhucun.policy.findings import warnings


def test_finding_defaults_and_immutability() -> None:
    finding = Finding("SEL.SRC.AGE", "error", "张三 年龄 46 周岁,超过 45 周岁")
    assert finding.data == {}
    assert finding.is_error
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "x"  # type: ignore[misc]


def test_finding_copies_its_data() -> None:
    data = {"age": 46}
    finding = Finding("SEL.SRC.AGE", "error", "…", data)
    data["age"] = 0
    assert finding.data == {"age": 46}
    assert finding.to_dict() == {
        "clause": "SEL.SRC.AGE",
        "severity": "error",
        "message": "…",
        "data": {"age": 46},
    }


def test_finding_rejects_unknown_clause_and_severity() -> None:
    with pytest.raises(ValueError, match="未知条款"):
        Finding("SEL.NOPE", "error", "…")
    with pytest.raises(ValueError, match="严重程度"):
        Finding("SEL.SRC.AGE", "fatal", "…")  # type: ignore[arg-type]


def test_errors_and_has_errors() -> None:
    findings = [
        Finding("SEL.COND.NO5", "warning", "夫妻同时驻村"),
        Finding("SEL.COND.NO3", "error", "中小学教师不选派"),
        Finding("SEL.SRC.POOL", "info", "有农村工作经验"),
    ]
    assert errors(findings) == [findings[1]]
    assert warnings(findings) == [findings[0]]
    assert has_errors(findings)
    assert not has_errors(findings[:1] + findings[2:])
    assert not has_errors([])
    assert has_errors(iter(findings))
