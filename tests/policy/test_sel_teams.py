"""SEL.SCOPE.* / SEL.COND.NO5 / SEL.COND.MUST3 / SEL.SRC.XD: one village's team composition."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import (
    CLAUSE_IDS,
    CompositionAllowance,
    Finding,
    Override,
    TeamMember,
    check_team,
    errors,
    get_parameters,
    spouse_findings,
)

ON = date(2025, 6, 1)
CAT3 = {"border"}


def fs(cadre_id: int, **kw: object) -> TeamMember:
    return TeamMember(cadre_id, "first_secretary", name=f"书记{cadre_id}", **kw)  # type: ignore[arg-type]


def leader(cadre_id: int, **kw: object) -> TeamMember:
    return TeamMember(cadre_id, "team_leader", name=f"队长{cadre_id}", **kw)  # type: ignore[arg-type]


def tm(cadre_id: int, **kw: object) -> TeamMember:
    return TeamMember(cadre_id, "team_member", name=f"队员{cadre_id}", **kw)  # type: ignore[arg-type]


def team(
    members: Sequence[TeamMember],
    categories: Collection[str] = CAT3,
    exception: CompositionAllowance | str | None = None,
) -> list[Finding]:
    return check_team(
        categories=categories,
        members=members,
        on=ON,
        village_name="芒棒村",
        exception=exception,
    )


def clauses(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.clause, f.severity) for f in findings]


# ------------------------------------------------------------------ SEL.SCOPE.CAT3


@pytest.mark.parametrize("category", ["former_poor", "relocation", "border"])
def test_sel_scope_cat3_one_fs_two_members_passes(category: str) -> None:
    assert team([fs(1), tm(2), tm(3)], categories={category}) == []


def test_sel_scope_cat3_one_member_refused() -> None:
    (finding,) = team([fs(1), tm(2)])
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.CAT3", "error")
    assert "芒棒村" in finding.message and "抵边村" in finding.message
    assert "工作队员1名" in finding.message and "至少选派2名工作队员" in finding.message
    assert finding.data["count"] == 1 and finding.data["limit"] == 2
    assert finding.data["check"] == "min_team_members"


def test_sel_scope_cat3_five_people_passes() -> None:
    assert team([fs(1), tm(2), tm(3), tm(4), tm(5)]) == []


def test_sel_scope_cat3_six_people_refused() -> None:
    (finding,) = team([fs(1), tm(2), tm(3), tm(4), tm(5), tm(6)])
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.CAT3", "error")
    assert "共6人" in finding.message and "最多不超过5名" in finding.message
    assert finding.data["team_size"] == 6 and finding.data["limit"] == 5


def test_sel_scope_cat3_no_first_secretary_refused() -> None:
    (finding,) = team([tm(1), tm(2), tm(3)])
    assert finding.clause == "SEL.SCOPE.CAT3" and finding.is_error
    assert "第一书记(工作队长)0名" in finding.message
    assert finding.data["check"] == "min_first_secretaries"


def test_sel_scope_cat3_only_a_first_secretary_fills_the_slot() -> None:
    """Settled reading: 「第一书记(工作队长)」 — the FS is the team leader; a team leader who is
    not first secretary does not fill the FS slot and counts as a team member."""
    (finding,) = team([leader(1), tm(2), tm(3)])
    assert (finding.clause, finding.data["check"]) == ("SEL.SCOPE.CAT3", "min_first_secretaries")
    assert finding.data["team_members"] == 3


def test_sel_scope_cat3_team_leader_counts_as_a_team_member() -> None:
    assert team([fs(1), leader(2), tm(3)]) == []


def test_sel_scope_cat3_second_first_secretary_is_not_a_team_member() -> None:
    (finding,) = team([fs(1), fs(2), tm(3)])
    assert finding.data["check"] == "min_team_members"


def test_sel_scope_cat3_xuandiao_team_member_counts_as_team_member() -> None:
    assert team([fs(1), tm(2, is_xuandiao=True), tm(3, is_xuandiao=True)]) == []


def test_sel_scope_cat3_xuandiao_first_secretary_counts_in_the_fs_slot_with_a_warning() -> None:
    findings = team([fs(1, is_xuandiao=True), tm(2), tm(3)])
    assert clauses(findings) == [("SEL.SRC.XD", "warning")]
    assert "书记1" in findings[0].message


def test_sel_scope_cat3_several_errors_and_categories_named() -> None:
    findings = team([tm(i) for i in range(1, 7)], categories={"border", "former_poor"})
    assert clauses(findings) == [("SEL.SCOPE.CAT3", "error")] * 2
    assert "原建档立卡贫困村、抵边村" in findings[0].message


def test_sel_scope_cat3_limits_come_from_the_jurisdiction_parameters() -> None:
    params = get_parameters().with_overrides(
        [Override("cat3_max_team_size", "533123", date(2025, 1, 1), 6)]
    )
    six = [fs(1), tm(2), tm(3), tm(4), tm(5), tm(6)]

    def check(jurisdiction: str, on: date = ON) -> list[Finding]:
        return check_team(
            categories=CAT3, members=six, on=on, params=params, jurisdiction=jurisdiction
        )

    assert check("533123") == []  # 盈江县
    assert errors(check("533103"))  # 芒市 keeps the prefecture's 5
    assert errors(check("533123", on=date(2024, 12, 31)))  # before the override took effect


# ------------------------------------------------------------------ SEL.SCOPE.OTHER / COVER


def test_sel_scope_other_one_first_secretary_passes() -> None:
    assert team([fs(1)], categories=()) == []
    (finding,) = team([leader(1)], categories=set())  # a leader alone is no first secretary
    assert finding.clause == "SEL.SCOPE.OTHER"


def test_sel_scope_other_no_size_limit() -> None:
    assert team([fs(1)] + [tm(i) for i in range(2, 9)], categories=()) == []


def test_sel_scope_other_only_team_members_refused() -> None:
    (finding,) = team([tm(1), tm(2)], categories=())
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.OTHER", "error")
    assert "芒棒村" in finding.message and "第一书记0名" in finding.message
    assert "至少选派1名驻村第一书记" in finding.message


def test_sel_scope_cover_empty_ordinary_village_is_uncovered() -> None:
    cover, other = team([], categories=())
    assert (cover.clause, cover.severity) == ("SEL.SCOPE.COVER", "error")
    assert "芒棒村 未覆盖" in cover.message
    assert (other.clause, other.severity) == ("SEL.SCOPE.OTHER", "error")


def test_sel_scope_cover_empty_cat3_village_is_uncovered_and_short() -> None:
    findings = team([])
    assert clauses(findings) == [("SEL.SCOPE.COVER", "error")] + [("SEL.SCOPE.CAT3", "error")] * 2


def test_sel_scope_cover_not_lifted_by_an_exception() -> None:
    allow_all = CompositionAllowance("边境管控需要", min_first_secretaries=0, min_team_members=0)
    findings = team([], exception=allow_all)
    assert clauses(findings) == [("SEL.SCOPE.COVER", "error")] + [("SEL.SCOPE.ADJUST", "info")] * 2


# ------------------------------------------------------------------ SEL.SCOPE.ADJUST


def test_sel_scope_adjust_within_the_allowed_composition_is_an_info_with_the_reason() -> None:
    allowance = CompositionAllowance(
        " 强边固防临时抽调 ", min_team_members=1, decided_by="芒市县委组织部", until=ON
    )
    (finding,) = team([fs(1), tm(2)], exception=allowance)
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.ADJUST", "info")
    assert finding.data["rule"] == "SEL.SCOPE.CAT3"
    assert finding.data["reason"] == "强边固防临时抽调"
    assert finding.data["allowed"] == 1
    assert "SEL.SCOPE.CAT3" in finding.message and "强边固防临时抽调" in finding.message
    assert "工作队员1名" in finding.message and "芒市县委组织部" in finding.message


def test_sel_scope_adjust_beyond_the_allowed_composition_is_an_error_again() -> None:
    """The attack of issue 10: "增派1人" let a border team grow to 7 with only an info line."""
    allowance = CompositionAllowance("边境管控增派1人", max_team_size=6)
    six = [fs(1)] + [tm(i) for i in range(2, 7)]
    (info,) = team(six, exception=allowance)
    assert (info.clause, info.severity) == ("SEL.SCOPE.ADJUST", "info")
    seven = six + [tm(7)]
    (error,) = team(seven, exception=allowance)
    assert (error.clause, error.severity) == ("SEL.SCOPE.CAT3", "error")
    assert "全队不超过6人" in error.message and "共7人" in error.message
    assert (error.data["count"], error.data["allowed"]) == (7, 6)


def test_sel_scope_adjust_lifts_only_the_limits_it_states() -> None:
    allowance = CompositionAllowance("边境管控增派", max_team_size=6)
    (error,) = team([fs(1), tm(2)], exception=allowance)  # too few team members: not allowed
    assert (error.clause, error.data["check"]) == ("SEL.SCOPE.CAT3", "min_team_members")


def test_sel_scope_adjust_expired_exception_allows_nothing() -> None:
    allowance = CompositionAllowance("临时", min_team_members=1, until=date(2025, 5, 31))
    (finding,) = team([fs(1), tm(2)], exception=allowance)
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.CAT3", "error")


def test_sel_scope_adjust_also_covers_other_villages() -> None:
    (finding,) = team([tm(1)], categories=(), exception=CompositionAllowance("基层治理需要", 0, 0))
    assert finding.clause == "SEL.SCOPE.ADJUST" and finding.data["rule"] == "SEL.SCOPE.OTHER"


def test_sel_scope_adjust_a_reason_without_composition_allows_nothing() -> None:
    (finding,) = team([fs(1), tm(2)], exception="增派1人")
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.CAT3", "error")
    assert "未载明组成" in finding.message


def test_sel_scope_adjust_blank_reason_is_no_reason() -> None:
    (finding,) = team([fs(1), tm(2)], exception=CompositionAllowance("   ", min_team_members=1))
    assert (finding.clause, finding.severity) == ("SEL.SCOPE.CAT3", "error")


def test_sel_scope_adjust_does_not_touch_other_rules() -> None:
    findings = team(
        [fs(1, spouse_id=2), tm(2), tm(2)],
        exception=CompositionAllowance("疫情防控", min_team_members=1),
    )
    assert clauses(findings) == [
        ("SEL.COND.MUST3", "error"),
        ("SEL.SCOPE.ADJUST", "info"),
        ("SEL.COND.NO5", "warning"),
    ]


# ------------------------------------------------------------------ SEL.COND.NO5 / MUST3 / XD


def test_sel_cond_no5_spouses_in_one_team_warn_once() -> None:
    findings = team([fs(1, spouse_id=3), tm(2), tm(3, spouse_id=1)])
    (finding,) = findings
    assert (finding.clause, finding.severity) == ("SEL.COND.NO5", "warning")
    assert "书记1" in finding.message and "队员3" in finding.message and "芒棒村" in finding.message


def test_sel_cond_no5_spouse_outside_the_team_is_not_a_team_finding() -> None:
    assert team([fs(1, spouse_id=99), tm(2), tm(3)]) == []


def test_sel_cond_no5_spouse_in_another_village_warns() -> None:
    (finding,) = spouse_findings(cadre_name="张三", spouse_name="李四", spouse_village="户育村")
    assert (finding.clause, finding.severity) == ("SEL.COND.NO5", "warning")
    assert "张三" in finding.message and "李四" in finding.message and "户育村" in finding.message


def test_sel_cond_no5_spouse_not_in_post_says_nothing() -> None:
    assert spouse_findings(cadre_name="张三", spouse_name="李四", spouse_village=None) == []
    assert spouse_findings(cadre_name="张三", spouse_name="李四", spouse_village="")


def test_sel_cond_must3_a_cadre_twice_refused_and_counted_once() -> None:
    findings = team([fs(1), tm(2), tm(2)])
    assert clauses(findings) == [("SEL.COND.MUST3", "error"), ("SEL.SCOPE.CAT3", "error")]
    assert "队员2" in findings[0].message and "2次" in findings[0].message
    assert findings[1].data["team_members"] == 1


def test_sel_src_xd_leader_in_team_warns() -> None:
    (finding,) = team([fs(2), leader(1, is_xuandiao=True)], categories=())
    assert (finding.clause, finding.severity) == ("SEL.SRC.XD", "warning")
    assert "工作队长" in finding.message


# ------------------------------------------------------------------ input errors


@pytest.mark.parametrize("categories", [{"poor"}, "border", {"border", "key_village"}])
def test_sel_scope_unknown_category_is_refused(categories: Collection[str]) -> None:
    with pytest.raises(ValueError):
        team([fs(1)], categories=categories)


def test_sel_scope_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的驻村职务"):
        team([TeamMember(1, "secretary")])


# ------------------------------------------------------------------ properties

roles = st.sampled_from(["first_secretary", "team_leader", "team_member"])
category_sets = st.sets(st.sampled_from(["former_poor", "relocation", "border"]))


@st.composite
def teams(draw: st.DrawFn) -> list[TeamMember]:
    ids = draw(st.lists(st.integers(1, 30), max_size=8, unique=True))
    return [
        TeamMember(
            cadre_id,
            draw(roles),
            spouse_id=draw(st.none() | st.integers(1, 30)),
            is_xuandiao=draw(st.booleans()),
            name=f"干部{cadre_id}",
        )
        for cadre_id in ids
    ]


@given(members=teams(), categories=category_sets)
def test_sel_check_team_never_raises_and_cites_known_clauses(
    members: list[TeamMember], categories: set[str]
) -> None:
    findings = team(members, categories=categories)
    assert all(f.clause in CLAUSE_IDS for f in findings)
    assert all("芒棒村" in f.message for f in findings if f.clause.startswith("SEL.SCOPE"))


@given(members=teams(), categories=category_sets, reason=st.text(min_size=1).filter(str.strip))
def test_sel_scope_adjust_swaps_each_composition_error_for_one_info(
    members: list[TeamMember], categories: set[str], reason: str
) -> None:
    plain = team(members, categories=categories)
    allow_all = CompositionAllowance(reason, 99, 0, 0)
    adjusted = team(members, categories=categories, exception=allow_all)
    composition = {"SEL.SCOPE.CAT3", "SEL.SCOPE.OTHER"}
    assert len(plain) == len(adjusted)
    assert not [f for f in adjusted if f.clause in composition]
    swapped = [f.data["rule"] for f in adjusted if f.clause == "SEL.SCOPE.ADJUST"]
    assert swapped == [f.clause for f in plain if f.clause in composition]
    assert all(f.severity == "info" for f in adjusted if f.clause == "SEL.SCOPE.ADJUST")


@given(members=teams(), categories=category_sets)
def test_sel_adding_a_plain_team_member_below_the_maximum_adds_no_error(
    members: list[TeamMember], categories: set[str]
) -> None:
    before = errors(team(members, categories=categories))
    newcomer = tm(100)
    after = errors(team([*members, newcomer], categories=categories))
    if not categories or len(members) < 5:
        assert len(after) <= len(before)
    else:  # a 3类村 team at the maximum only gains the size error
        assert len(after) <= len(before) + 1


@given(members=teams(), categories=category_sets)
def test_sel_adding_a_first_secretary_never_adds_an_error_to_an_ordinary_village(
    members: list[TeamMember], categories: set[str]
) -> None:
    before = errors(team(members, categories=()))
    after = errors(team([*members, fs(100)], categories=()))
    assert len(after) <= len(before)


@given(members=teams(), categories=category_sets)
def test_sel_cond_no5_one_warning_per_couple_in_the_team(
    members: list[TeamMember], categories: set[str]
) -> None:
    ids = {m.cadre_id for m in members}
    couples = {
        frozenset({m.cadre_id, m.spouse_id})
        for m in members
        if m.spouse_id is not None and m.spouse_id in ids and m.spouse_id != m.cadre_id
    }
    findings = team(members, categories=categories)
    assert len([f for f in findings if f.clause == "SEL.COND.NO5"]) == len(couples)
