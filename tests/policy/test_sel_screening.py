"""SEL.COND / SEL.SRC / SEL.METHOD.FIVE: screening one candidate, attestations and ranking.

Every limit is probed the day before, on and after it (民法典 第1259条: 「不超过」「以上」 include
the number itself; "不超过45周岁" holds until the day before the 46th birthday).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import (
    CLAUSE_IDS,
    Candidate,
    Finding,
    Override,
    anniversary,
    attestation_findings,
    full_years,
    get_parameters,
    has_errors,
    priority_key,
    rank_candidates,
    screen_candidate,
)

ON = date(2025, 6, 1)
FS_ROLES = ("first_secretary", "team_leader")
ALL_ROLES = ("first_secretary", "team_leader", "team_member")

BASE = Candidate(
    name="张三",
    birth_date=date(1990, 5, 20),
    party_status="full",
    full_member_since=date(2015, 7, 1),
    work_start_date=date(2012, 8, 1),
    occupation="州农业农村局科员",
    occupation_code="",
    health_fit=True,
    family_hardship=False,
    is_xuandiao=False,
    retired=False,
    age_exception=False,
    rural_experience=False,
    agri_specialty=False,
    tech_commissioner=False,
    talent_program=False,
)


def make(**changes: object) -> Candidate:
    return replace(BASE, **changes)  # type: ignore[arg-type]


def by_clause(findings: list[Finding], clause: str) -> list[Finding]:
    return [f for f in findings if f.clause == clause]


def screen(candidate: Candidate, on: date = ON, role: str = "first_secretary") -> list[Finding]:
    return screen_candidate(candidate, role=role, on=on)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_sel_a_plain_eligible_candidate_has_no_findings(role: str) -> None:
    assert screen(BASE, role=role) == []


def test_sel_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的驻村职务"):
        screen_candidate(BASE, role="secretary", on=ON)
    with pytest.raises(ValueError):
        priority_key(BASE, role="boss")


def test_sel_candidate_validates_party_status_and_occupation_code() -> None:
    with pytest.raises(ValueError, match="党员状态"):
        make(party_status="member")
    with pytest.raises(ValueError, match="职业类别"):
        make(occupation_code="teacher")


# ------------------------------------------------------------------ SEL.COND.NO2 / NO3 / NO4


@pytest.mark.parametrize("role", ALL_ROLES)
def test_sel_cond_no2_health_unfit_refused(role: str) -> None:
    (finding,) = screen(make(health_fit=False), role=role)
    assert (finding.clause, finding.severity) == ("SEL.COND.NO2", "error")
    assert "张三" in finding.message and "身体" in finding.message


@pytest.mark.parametrize(
    ("code", "label"),
    [("primary_secondary_teacher", "中小学教师"), ("hospital_medical", "医院医护人员")],
)
def test_sel_cond_no3_occupation_code_refused(code: str, label: str) -> None:
    (finding,) = screen(make(occupation_code=code, occupation=""))
    assert (finding.clause, finding.severity) == ("SEL.COND.NO3", "error")
    assert "张三" in finding.message and label in finding.message
    assert finding.data["occupation_code"] == code
    assert finding.data["occupation_source"] == "code"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("小学教师", "primary_secondary_teacher"),
        ("中学教师", "primary_secondary_teacher"),
        ("芒市第一中学 数学老师", "primary_secondary_teacher"),
        ("初中语文教师", "primary_secondary_teacher"),
        ("高中教员", "primary_secondary_teacher"),
        ("护士", "hospital_medical"),
        ("州人民医院主管护师", "hospital_medical"),
        ("医生(医院)", "hospital_medical"),
        ("医生(医院)", "hospital_medical"),
        ("县人民医院内科医师", "hospital_medical"),
    ],
)
def test_sel_cond_no3_free_text_fallback_refused(text: str, code: str) -> None:
    (finding,) = by_clause(screen(make(occupation=text)), "SEL.COND.NO3")
    assert finding.severity == "error"
    assert text in finding.message
    assert finding.data["occupation_code"] == code
    assert finding.data["occupation_source"] == "text"


@pytest.mark.parametrize(
    "text",
    [
        "大学教师",
        "州委党校教师",
        "乡镇农业综合服务中心技术员",
        "",
        "高中学历 县财政局科员",
        "医院办公室主任",
    ],
)
def test_sel_cond_no3_other_occupations_pass(text: str) -> None:
    assert by_clause(screen(make(occupation=text)), "SEL.COND.NO3") == []


@pytest.mark.parametrize("text", ["医生", "乡镇卫生院医师", "教师"])
def test_sel_cond_no3_vague_text_asks_to_verify_without_refusing(text: str) -> None:
    (finding,) = by_clause(screen(make(occupation=text)), "SEL.COND.NO3")
    assert finding.severity == "info"
    assert "核实" in finding.message and text in finding.message


def test_sel_cond_no3_code_wins_over_the_text() -> None:
    """The unit's classification decides; the free text is only a fallback."""
    (finding,) = screen(make(occupation="县教育体育局干部", occupation_code="hospital_medical"))
    assert finding.data["occupation_code"] == "hospital_medical"


def test_sel_cond_no4_family_hardship_refused() -> None:
    (finding,) = screen(make(family_hardship=True), role="team_member")
    assert (finding.clause, finding.severity) == ("SEL.COND.NO4", "error")
    assert "张三" in finding.message and "特殊困难" in finding.message


# ------------------------------------------------------------------ SEL.SRC.AGE

BORN = date(1980, 10, 9)  # 46th birthday: 2026-10-09


def test_sel_src_age_day_before_46th_birthday_passes() -> None:
    assert screen(make(birth_date=BORN), on=date(2026, 10, 8), role="team_member") == []


def test_sel_src_age_on_46th_birthday_refused() -> None:
    (finding,) = screen(make(birth_date=BORN), on=date(2026, 10, 9), role="team_member")
    assert finding.clause == "SEL.SRC.AGE" and finding.severity == "error"
    assert finding.message == (
        "张三 于2026-10-09 年满46周岁,超过“年龄一般不超过45周岁”的限制(SEL.SRC.AGE)"
    )
    assert finding.data["age"] == 46 and finding.data["limit"] == 45
    assert finding.data["birth_date"] == "1980-10-09"
    assert finding.data["on"] == "2026-10-09"
    assert finding.data["limit_exceeded_on"] == "2026-10-09"


def test_sel_src_age_day_after_46th_birthday_refused() -> None:
    (finding,) = screen(make(birth_date=BORN), on=date(2026, 10, 10), role="team_member")
    assert finding.is_error and finding.data["age"] == 46


def test_sel_src_age_45th_birthday_passes() -> None:
    assert screen(make(birth_date=BORN), on=date(2025, 10, 9), role="team_member") == []


def test_sel_src_age_feb29_birthday_in_a_common_year_turns_on_feb28() -> None:
    """民法典 第202条: no corresponding day ⇒ the month's last day (2026-02-28)."""
    leapling = make(birth_date=date(1980, 2, 29))
    assert screen(leapling, on=date(2026, 2, 27)) == []
    (finding,) = screen(leapling, on=date(2026, 2, 28))
    assert finding.clause == "SEL.SRC.AGE" and finding.is_error
    assert "于2026-02-28 年满46周岁" in finding.message
    assert screen(leapling, on=date(2026, 3, 1))[0].clause == "SEL.SRC.AGE"


def test_sel_src_age_feb29_birthday_45th_birthday_in_a_common_year() -> None:
    """The 46th birthday of a 29-February child always falls in a common year; the 44th falls
    in a leap year (2024-02-29): 45 on 2025-02-28, still within the limit."""
    leapling = make(birth_date=date(1980, 2, 29))
    assert full_years(leapling.birth_date, date(2024, 2, 28)) == 43
    assert full_years(leapling.birth_date, date(2024, 2, 29)) == 44
    assert full_years(leapling.birth_date, date(2025, 2, 28)) == 45
    assert screen(leapling, on=date(2025, 2, 28)) == []


def test_sel_src_age_exception_not_retired_is_an_info() -> None:
    adjusted = make(birth_date=date(1970, 1, 1), age_exception=True)
    (finding,) = screen(adjusted, role="team_member")
    assert (finding.clause, finding.severity) == ("SEL.SRC.AGE", "info")
    assert "例外" in finding.message and "尚未退休" in finding.message
    assert finding.data["age"] == 55 and finding.data["age_exception"] is True
    assert not has_errors(screen(adjusted))


def test_sel_src_age_exception_but_retired_refused() -> None:
    retired = make(birth_date=date(1960, 1, 1), age_exception=True, retired=True)
    (finding,) = screen(retired, role="team_member")
    assert (finding.clause, finding.severity) == ("SEL.SRC.AGE", "error")
    assert "尚未退休" in finding.message and "已退休" in finding.message


def test_sel_src_age_exception_under_the_limit_says_nothing() -> None:
    assert screen(make(age_exception=True), role="team_member") == []


def test_sel_src_age_limit_comes_from_the_jurisdiction_parameters() -> None:
    params = get_parameters().with_overrides(
        [Override("max_age_years", "533103", date(2025, 1, 1), 50)]
    )
    older = make(birth_date=date(1978, 1, 1))  # 47 on ON
    assert (
        screen_candidate(older, role="team_member", on=ON, params=params, jurisdiction="533103")
        == []
    )
    assert (
        screen_candidate(older, role="team_member", on=ON, params=params, jurisdiction="533103102")
        == []
    )
    (finding,) = screen_candidate(
        older, role="team_member", on=ON, params=params, jurisdiction="533102"
    )
    assert finding.data["limit"] == 45


# ------------------------------------------------------------------ SEL.SRC.FS_PARTY

FULL_SINCE = date(2024, 6, 1)  # one year of party age on 2025-06-01


@pytest.mark.parametrize("role", FS_ROLES)
def test_sel_src_fs_party_day_before_one_year_refused(role: str) -> None:
    (finding,) = screen(make(full_member_since=FULL_SINCE), on=date(2025, 5, 31), role=role)
    assert (finding.clause, finding.severity) == ("SEL.SRC.FS_PARTY", "error")
    assert "张三" in finding.message and "党龄0年" in finding.message
    assert "1年以上党龄" in finding.message and "2025-06-01" in finding.message
    assert finding.data["party_years"] == 0 and finding.data["limit"] == 1


@pytest.mark.parametrize("role", FS_ROLES)
def test_sel_src_fs_party_exactly_one_year_passes(role: str) -> None:
    assert screen(make(full_member_since=FULL_SINCE), on=date(2025, 6, 1), role=role) == []


def test_sel_src_fs_party_day_after_one_year_passes() -> None:
    assert screen(make(full_member_since=FULL_SINCE), on=date(2025, 6, 2)) == []


def test_sel_src_fs_party_from_feb29_counts_to_feb28() -> None:
    candidate = make(full_member_since=date(2024, 2, 29))
    assert by_clause(screen(candidate, on=date(2025, 2, 27)), "SEL.SRC.FS_PARTY")
    assert screen(candidate, on=date(2025, 2, 28)) == []


@pytest.mark.parametrize("role", FS_ROLES)
def test_sel_src_fs_party_probationary_refused(role: str) -> None:
    candidate = make(party_status="probationary", full_member_since=None)
    (finding,) = screen(candidate, role=role)
    assert finding.clause == "SEL.SRC.FS_PARTY" and finding.is_error
    assert "预备党员" in finding.message and "正式党员" in finding.message


def test_sel_src_fs_party_non_member_refused() -> None:
    (finding,) = screen(make(party_status="none", full_member_since=None))
    assert finding.clause == "SEL.SRC.FS_PARTY" and "不是中共党员" in finding.message


def test_sel_src_fs_party_full_member_without_date_refused() -> None:
    (finding,) = screen(make(full_member_since=None))
    assert finding.clause == "SEL.SRC.FS_PARTY" and "无法核算党龄" in finding.message


def test_sel_src_fs_party_full_membership_after_the_date_refused() -> None:
    (finding,) = screen(make(full_member_since=date(2025, 7, 1)))
    assert finding.clause == "SEL.SRC.FS_PARTY" and "尚未转正" in finding.message


@pytest.mark.parametrize("status", ["none", "probationary"])
def test_sel_src_fs_party_does_not_bind_team_members(status: str) -> None:
    candidate = make(party_status=status, full_member_since=None)
    assert screen(candidate, role="team_member") == []


# ------------------------------------------------------------------ SEL.SRC.FS_WORK

WORK_START = date(2023, 6, 1)  # two years of work on 2025-06-01


@pytest.mark.parametrize("role", FS_ROLES)
def test_sel_src_fs_work_day_before_two_years_refused(role: str) -> None:
    (finding,) = screen(make(work_start_date=WORK_START), on=date(2025, 5, 31), role=role)
    assert (finding.clause, finding.severity) == ("SEL.SRC.FS_WORK", "error")
    assert "张三" in finding.message and "不满2年" in finding.message
    assert "2025-06-01" in finding.message
    assert finding.data["work_years"] == 1 and finding.data["limit"] == 2


@pytest.mark.parametrize("role", FS_ROLES)
def test_sel_src_fs_work_exactly_two_years_passes(role: str) -> None:
    assert screen(make(work_start_date=WORK_START), on=date(2025, 6, 1), role=role) == []


def test_sel_src_fs_work_day_after_two_years_passes() -> None:
    assert screen(make(work_start_date=WORK_START), on=date(2025, 6, 2)) == []


def test_sel_src_fs_work_does_not_bind_team_members() -> None:
    assert screen(make(work_start_date=date(2025, 3, 1)), role="team_member") == []


# ------------------------------------------------------------------ SEL.SRC.XD


@pytest.mark.parametrize("role", FS_ROLES)
def test_sel_src_xd_as_first_secretary_or_leader_warns(role: str) -> None:
    (finding,) = screen(make(is_xuandiao=True), role=role)
    assert (finding.clause, finding.severity) == ("SEL.SRC.XD", "warning")
    assert "张三" in finding.message and "选调生" in finding.message and "理由" in finding.message


def test_sel_src_xd_as_team_member_is_normal() -> None:
    assert screen(make(is_xuandiao=True), role="team_member") == []


# ------------------------------------------------------------------ SEL.SRC.POOL / FS_PRIORITY


@pytest.mark.parametrize("role", ALL_ROLES)
def test_sel_src_pool_rural_experience_is_an_info(role: str) -> None:
    (finding,) = screen(make(rural_experience=True, agri_specialty=True), role=role)
    assert (finding.clause, finding.severity) == ("SEL.SRC.POOL", "info")
    assert "农村工作经验" in finding.message and "涉农" in finding.message


@pytest.mark.parametrize("flag", ["is_organ_cadre", "tech_commissioner", "talent_program"])
def test_sel_src_fs_priority_flags_are_infos_for_the_fs_slot_only(flag: str) -> None:
    candidate = make(**{flag: True})
    for role in FS_ROLES:
        (finding,) = screen(candidate, role=role)
        assert (finding.clause, finding.severity) == ("SEL.SRC.FS_PRIORITY", "info")
        assert finding.data[flag] is True
    assert screen(candidate, role="team_member") == []


# ------------------------------------------------------------------ attestations

ALL_FIVE = {key: True for key in ("political", "conduct", "ability", "style", "integrity")}


def test_sel_cond_basic_no1_method_five_all_attested_pass() -> None:
    assert attestation_findings(basic=True, no1=True, five=ALL_FIVE, reviewer="王五") == []


def test_sel_cond_basic_missing_refused() -> None:
    (finding,) = attestation_findings(
        basic=False, no1=True, five=ALL_FIVE, reviewer="王五", name="张三"
    )
    assert (finding.clause, finding.severity) == ("SEL.COND.BASIC", "error")
    assert "张三" in finding.message and "王五" in finding.message


def test_sel_cond_no1_missing_refused() -> None:
    (finding,) = attestation_findings(basic=True, no1=False, five=ALL_FIVE, reviewer="王五")
    assert (finding.clause, finding.severity) == ("SEL.COND.NO1", "error")


def test_sel_method_five_none_lists_all_five_checkpoints() -> None:
    (finding,) = attestation_findings(basic=True, no1=True, five=None, reviewer="王五")
    assert finding.clause == "SEL.METHOD.FIVE" and finding.is_error
    assert finding.data["missing"] == ["political", "conduct", "ability", "style", "integrity"]
    assert "政治关、品行关、能力关、作风关、廉洁关未经审核确认" in finding.message


def test_sel_method_five_one_checkpoint_missing_or_false() -> None:
    five = dict(ALL_FIVE, integrity=False)
    (finding,) = attestation_findings(basic=True, no1=True, five=five, reviewer="王五")
    assert finding.data["missing"] == ["integrity"] and "廉洁关" in finding.message
    partial = {k: v for k, v in ALL_FIVE.items() if k != "style"}
    (finding,) = attestation_findings(basic=True, no1=True, five=partial, reviewer="王五")
    assert finding.data["missing"] == ["style"] and "作风关" in finding.message


def test_sel_attestations_without_a_reviewer_count_as_missing() -> None:
    findings = attestation_findings(basic=True, no1=True, five=ALL_FIVE, reviewer="  ")
    assert [f.clause for f in findings] == ["SEL.COND.BASIC", "SEL.COND.NO1", "SEL.METHOD.FIVE"]
    assert all(f.is_error and "未填写审核人" in f.message for f in findings)


def test_sel_method_five_unknown_checkpoint_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的审核关口"):
        attestation_findings(basic=True, no1=True, five={"loyalty": True}, reviewer="王五")


# ------------------------------------------------------------------ ranking


def test_sel_src_pool_ranks_rural_experience_or_agri_specialty_first() -> None:
    plain = make(name="甲")
    rural = make(name="乙", rural_experience=True)
    agri = make(name="丙", agri_specialty=True)
    ranked = rank_candidates([plain, rural, agri], role="team_member")
    assert [c.name for c in ranked] == ["乙", "丙", "甲"]


def test_sel_src_fs_priority_ranks_priority_flags_before_pool_for_the_fs() -> None:
    plain = make(name="甲")
    rural = make(name="乙", rural_experience=True)
    tech = make(name="丙", tech_commissioner=True)
    both = make(name="丁", is_organ_cadre=True, agri_specialty=True)
    xd = make(name="戊", is_xuandiao=True, talent_program=True, rural_experience=True)
    candidates = [plain, xd, rural, tech, both]
    for role in FS_ROLES:
        ranked = rank_candidates(candidates, role=role)
        assert [c.name for c in ranked] == ["丁", "丙", "乙", "甲", "戊"]
    # For team members the FS flags and 选调生 status do not matter; ties keep their order.
    ranked = rank_candidates(candidates, role="team_member")
    assert [c.name for c in ranked] == ["戊", "乙", "丁", "甲", "丙"]


def test_sel_rank_candidates_is_stable() -> None:
    same = [make(name=str(i)) for i in range(6)]
    assert rank_candidates(same, role="first_secretary") == same
    assert priority_key(same[0], role="first_secretary") == (0, 1, 1)


# ------------------------------------------------------------------ properties

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
on_dates = st.dates(min_value=date(2021, 10, 19), max_value=date(2030, 12, 31))
candidates = st.builds(
    Candidate,
    name=st.text(min_size=1, max_size=8),
    birth_date=dates,
    party_status=st.sampled_from(["none", "probationary", "full"]),
    full_member_since=st.none() | dates,
    work_start_date=dates,
    occupation=st.text(max_size=12) | st.sampled_from(["小学教师", "护士", "医生", "科员"]),
    occupation_code=st.sampled_from(["", "primary_secondary_teacher", "hospital_medical"]),
    health_fit=st.booleans(),
    family_hardship=st.booleans(),
    is_xuandiao=st.booleans(),
    retired=st.booleans(),
    age_exception=st.booleans(),
    rural_experience=st.booleans(),
    agri_specialty=st.booleans(),
    tech_commissioner=st.booleans(),
    talent_program=st.booleans(),
    is_organ_cadre=st.booleans(),
    cadre_id=st.none() | st.integers(min_value=1),
)


@given(candidate=candidates, role=st.sampled_from(ALL_ROLES), on=on_dates)
def test_sel_screen_candidate_never_raises_and_names_the_person(
    candidate: Candidate, role: str, on: date
) -> None:
    findings = screen_candidate(candidate, role=role, on=on)
    for finding in findings:
        assert finding.clause in CLAUSE_IDS and finding.clause.startswith("SEL.")
        assert candidate.name in finding.message
        assert f"({finding.clause})" in finding.message
    clauses = [f.clause for f in findings]
    if role == "team_member":
        assert not {"SEL.SRC.FS_PARTY", "SEL.SRC.FS_WORK", "SEL.SRC.XD"} & set(clauses)
        assert "SEL.SRC.FS_PRIORITY" not in clauses
    # POOL and FS_PRIORITY are never errors.
    assert all(
        f.severity == "info"
        for f in findings
        if f.clause in {"SEL.SRC.POOL", "SEL.SRC.FS_PRIORITY"}
    )


@given(candidate=candidates, on=on_dates)
def test_sel_src_age_error_exactly_when_over_the_limit_without_a_valid_exception(
    candidate: Candidate, on: date
) -> None:
    age_findings = by_clause(screen_candidate(candidate, role="team_member", on=on), "SEL.SRC.AGE")
    over = full_years(candidate.birth_date, on) > 45
    excepted = candidate.age_exception and not candidate.retired
    assert has_errors(age_findings) == (over and not excepted)
    assert bool(age_findings) == over


@given(start=dates, years=st.integers(min_value=0, max_value=70))
def test_full_years_reaches_n_on_the_anniversary_and_not_the_day_before(
    start: date, years: int
) -> None:
    day = anniversary(start, years)
    assert full_years(start, day) == years
    if years:
        assert full_years(start, day - timedelta(days=1)) == years - 1
