"""MGT.4.CAUSE suggestions and MGT.10 classification, as pure policy (no database)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from zhucun.policy import get_parameters
from zhucun.policy.clauses import clause_title
from zhucun.policy.review import (
    CONCLUSION_LABELS,
    PROHIBITION_LABELS,
    PROHIBITIONS,
    RECALL_CAUSE_LABELS,
    DisciplineFact,
    QuarterFacts,
    quarter_bounds,
    quarter_label,
    quarter_months,
    recall_suggestions,
)

SOURCE = "docs/policy/dehong-2021-opinions.txt"
ON = date(2026, 9, 30)
JUL, AUG, SEP = date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)


def _causes(findings) -> list[str]:
    return [f.data["cause"] for f in findings]


def test_mgt_10_eight_pairs_are_the_texts_own_words() -> None:
    """MGT.10: each of the eight pairs by its own code, both halves verbatim in the source."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / SOURCE).read_text(encoding="utf-8")
    assert len(PROHIBITIONS) == 8
    assert len({code for code, _, _ in PROHIBITIONS}) == 8
    for code, must, forbid in PROHIBITIONS:
        assert f"{must},{forbid}" in text, code
        assert PROHIBITION_LABELS[code] == f"{must}、{forbid}"
    assert clause_title("MGT.10")


def test_mgt_4_cause_five_causes_in_the_order_of_the_text() -> None:
    assert list(RECALL_CAUSE_LABELS.values())[:2] == ["违纪违法受到处理", "无正当理由长期不在岗"]
    assert len(RECALL_CAUSE_LABELS) == 5
    assert list(CONCLUSION_LABELS.values()) == ["继续驻村", "提醒谈话", "召回"]


def test_mgt_4_cause_discipline_record_in_the_quarter_is_suggested_with_its_record() -> None:
    facts = QuarterFacts(
        name="岩温", discipline=(DisciplineFact(41, date(2026, 8, 3), "admonition", "reside"),)
    )
    [f] = recall_suggestions(facts, on=ON)
    assert (f.clause, f.severity, f.data["cause"], f.data["records"]) == (
        "MGT.4.CAUSE",
        "warning",
        "discipline",
        [41],
    )
    assert "岩温" in f.message and "2026年8月3日" in f.message and "诫勉谈话" in f.message
    assert "违纪违法受到处理" in f.message


def test_mgt_4_cause_two_months_below_working_days_make_long_absence() -> None:
    facts = QuarterFacts(name="李明", absent_months=(JUL, SEP))
    [f] = recall_suggestions(facts, on=ON)
    assert f.data["cause"] == "absent" and f.data["months"] == ["2026-07-01", "2026-09-01"]
    assert f.data["limit"] == get_parameters().int_value("recall_absent_months_min", on=ON)
    assert "2026年7月、2026年9月" in f.message and "无正当理由长期不在岗" in f.message


def test_mgt_4_cause_one_month_or_nothing_suggests_nothing() -> None:
    assert recall_suggestions(QuarterFacts(name="李明", absent_months=(AUG,)), on=ON) == []
    assert recall_suggestions(QuarterFacts(name="王芳"), on=ON) == []


def test_mgt_4_cause_threshold_comes_from_the_parameter_file() -> None:
    from zhucun.policy.parameters import Override

    params = get_parameters().with_overrides(
        [Override("recall_absent_months_min", "533100", date(2021, 10, 19), 1)]
    )
    facts = QuarterFacts(name="李明", absent_months=(AUG,))
    assert _causes(recall_suggestions(facts, on=ON, params=params, jurisdiction="533103")) == [
        "absent"
    ]


@pytest.mark.parametrize(
    ("satisfaction", "expected"),
    [(Fraction(89, 100), ["performance"]), (Fraction(9, 10), []), (None, [])],
)
def test_mgt_4_cause_low_satisfaction_uses_the_sjsp_threshold(satisfaction, expected) -> None:
    """「不低于」 includes the number (MGT.8.SJSP settled reading): exactly 90 % is not low."""
    from zhucun.policy.parameters import Override

    params = get_parameters().with_overrides(
        [Override("sjsp_satisfaction_threshold", "533100", date(2021, 10, 19), "0.90")]
    )
    facts = QuarterFacts(name="赵丽", satisfaction=satisfaction)
    assert _causes(recall_suggestions(facts, on=ON, params=params)) == expected


def test_mgt_4_cause_satisfaction_is_not_judged_while_the_threshold_is_unset() -> None:
    """MGT.8.SJSP: the source fixes no threshold; unset, nothing is suggested from it."""
    facts = QuarterFacts(name="赵丽", satisfaction=Fraction(1, 2))
    assert recall_suggestions(facts, on=ON) == []


def test_mgt_4_cause_incompetent_grade_suggests_cannot_do_the_job() -> None:
    """MGT.5.GRADE → MGT.4.CAUSE: an assessment finalised 不称职 suggests 不能胜任本职工作."""
    [f] = recall_suggestions(QuarterFacts(name="赵丽", incompetent=("2025年度",)), on=ON)
    assert f.data["cause"] == "incompetent" and "2025年度考核等次为“不称职”" in f.message


def test_quarters() -> None:
    assert quarter_bounds(2026, 3) == (JUL, date(2026, 9, 30))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_months(2026, 3) == (JUL, AUG, SEP)
    assert quarter_label(2026, 3) == "2026年第3季度"
    with pytest.raises(ValueError, match="季度"):
        quarter_bounds(2026, 5)
