"""SEL.METHOD.NEED (因村精准组队), SEL.SRC.POOL (人选来源: the dispatching unit) and the
ranking of a unit's candidates for one village with reasons (SEL.SRC.POOL, SEL.SRC.FS_PRIORITY).

A ranking, never a refusal: every candidate comes back once, with reasons of severity info."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhucun.policy import (
    NEED_LABELS,
    NEEDS,
    Candidate,
    parse_needs,
    rank_candidates,
    rank_for_village,
    screen_candidate,
)
from zhucun.policy.needs import STRENGTHS, needs_met

ON = date(2025, 6, 1)
BASE = Candidate(
    name="张三",
    birth_date=date(1990, 5, 20),
    party_status="full",
    full_member_since=date(2015, 7, 1),
    work_start_date=date(2012, 8, 1),
    occupation="科员",
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


def make(name: str, **changes: object) -> Candidate:
    return replace(BASE, name=name, **changes)  # type: ignore[arg-type]


def names(ranked) -> list[str]:
    return [r.candidate.name for r in ranked]


# ---- the catalogue (SEL.METHOD.NEED) --------------------------------------------------------


def test_catalogue_holds_the_named_needs_and_every_strength_is_a_candidate_flag():
    labels = {n.label for n in NEEDS}
    assert {"产业发展", "集体经济", "基层治理", "乡村建设", "边境/民族团结", "巩固脱贫"} <= labels
    assert len({n.code for n in NEEDS}) == len(NEEDS)
    for need in NEEDS:
        assert need.met_by, need.code
        for strength in need.met_by:
            assert isinstance(getattr(BASE, strength), bool), strength
    assert set(STRENGTHS) == {
        "rural_experience",
        "agri_specialty",
        "is_organ_cadre",
        "tech_commissioner",
        "talent_program",
    }


def test_parse_needs_reads_codes_and_labels_in_catalogue_order():
    assert parse_needs("基层治理、产业发展") == ("industry", "governance")
    assert parse_needs(["governance", "产业发展", "industry"]) == ("industry", "governance")
    assert parse_needs("边境/民族团结,集体经济") == ("collective_economy", "border_unity")
    assert parse_needs("民族团结") == ("border_unity",)
    assert parse_needs("") == () == parse_needs(None) == parse_needs(" 、 ")


def test_parse_needs_names_the_unknown_item_and_the_clause():
    with pytest.raises(ValueError, match="旅游开发") as exc:
        parse_needs("产业发展、旅游开发")
    assert "SEL.METHOD.NEED" in str(exc.value) and "产业发展" in str(exc.value)


def test_needs_met_maps_each_met_need_to_its_strengths():
    assert needs_met(["agri_specialty"], ["industry", "governance"]) == {
        "industry": ("agri_specialty",)
    }
    assert needs_met([], ["industry"]) == {}
    with pytest.raises(ValueError):
        needs_met([], ["nonsense"])


# ---- SEL.SRC.POOL: the dispatching unit ------------------------------------------------------


@pytest.mark.parametrize("kind", ["organ", "soe", "institution"])
@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_pool_unit_of_the_named_kinds_and_levels_says_nothing(kind, level):
    """「从州、县(市)机关优秀年轻干部,国有企业、事业单位优秀人员中选派」 (SEL.SRC.POOL)."""
    found = screen_candidate(
        make("甲", unit_kind=kind, unit_level=level), role="team_member", on=ON
    )
    assert [f for f in found if f.clause == "SEL.SRC.POOL"] == []


def test_pool_unit_not_recorded_keeps_the_old_findings():
    assert screen_candidate(make("甲"), role="team_member", on=ON) == []


def test_pool_province_level_unit_is_info_never_a_bar():
    """SEL.SRC.POOL read with GUA.2.UNIT_FUND: province-level units dispatch too."""
    found = screen_candidate(
        make("甲", unit_kind="organ", unit_level="province"), role="first_secretary", on=ON
    )
    pool = [f for f in found if f.clause == "SEL.SRC.POOL"]
    assert [f.severity for f in pool] == ["info"]
    assert "省级" in pool[0].message and "GUA.2.UNIT_FUND" in pool[0].message


@pytest.mark.parametrize(
    "kind,level,named",
    [("mass_org", "county", "单位性质"), ("organ", "township", "单位层级"), ("x", "y", "、")],
)
def test_pool_unit_outside_the_named_pool_is_a_warning_needing_a_reason(kind, level, named):
    """「一般从…中选派」: outside the pool is possible with a reason (SEL.SRC.POOL)."""
    found = screen_candidate(
        make("甲", unit_kind=kind, unit_level=level), role="team_member", on=ON
    )
    pool = [f for f in found if f.clause == "SEL.SRC.POOL"]
    assert [f.severity for f in pool] == ["warning"]
    assert named in pool[0].message and "理由" in pool[0].message
    assert not any(f.severity == "error" for f in found)


# ---- rank_for_village -----------------------------------------------------------------------


def test_rank_for_village_puts_the_need_match_first_among_equals():
    """SEL.METHOD.NEED: among candidates equal by the written priorities, the one whose
    strengths meet more of the village's needs comes first; the reason names the need."""
    plain = make("甲", rural_experience=True)
    agri = make("乙", agri_specialty=True)
    ranked = rank_for_village([plain, agri], role="team_member", needs=["industry"], on=ON)
    assert names(ranked) == ["乙", "甲"]
    assert [r.rank for r in ranked] == [1, 2]
    assert ranked[0].needs_met == ("industry",)
    need = [f for f in ranked[0].reasons if f.clause == "SEL.METHOD.NEED"]
    assert "涉农方面专业技术特长,契合本村“产业发展”需求" in need[0].message
    # with governance the rural experience meets the need instead
    ranked = rank_for_village([agri, plain], role="team_member", needs=["governance"], on=ON)
    assert names(ranked) == ["甲", "乙"]


def test_rank_for_village_written_priorities_come_before_needs():
    """SEL.SRC.POOL: rural experience / agricultural specialty is preferred before a need match
    by another strength (科技特派员 meets 产业发展 but is not a POOL merit)."""
    tech = make("甲", tech_commissioner=True)
    rural = make("乙", rural_experience=True)
    ranked = rank_for_village([tech, rural], role="team_member", needs=["industry"], on=ON)
    assert names(ranked) == ["乙", "甲"]
    pool = [f for f in ranked[0].reasons if f.clause == "SEL.SRC.POOL"][0]
    assert "有农村工作经验" in pool.message and "优先" in pool.message


def test_rank_for_village_fs_priority_and_xuandiao():
    """SEL.SRC.FS_PRIORITY before SEL.SRC.POOL for the first secretary; a 选调生 last
    (SEL.SRC.XD), with reasons citing each."""
    xd = make("甲", is_organ_cadre=True, is_xuandiao=True)
    rural = make("乙", rural_experience=True)
    organ = make("丙", is_organ_cadre=True)
    ranked = rank_for_village([xd, rural, organ], role="first_secretary", needs=(), on=ON)
    assert names(ranked) == ["丙", "乙", "甲"]
    clauses = {f.clause for f in ranked[2].reasons}
    assert {"SEL.SRC.XD", "SEL.SRC.FS_PRIORITY", "SEL.SRC.POOL", "SEL.METHOD.NEED"} <= clauses
    assert "机关优秀年轻干部" in ranked[0].reasons[0].message
    # a team member's ranking ignores the FS preference
    ranked = rank_for_village([organ, rural], role="team_member", needs=(), on=ON)
    assert names(ranked) == ["乙", "丙"]


def test_rank_for_village_marks_and_sinks_who_fails_screening_but_keeps_them():
    """A ranking never refuses: the one over the age limit (SEL.SRC.AGE) stays, last, marked."""
    old = make("甲", birth_date=date(1970, 1, 1), agri_specialty=True, rural_experience=True)
    young = make("乙")
    ranked = rank_for_village([old, young], role="team_member", needs=["industry"], on=ON)
    assert names(ranked) == ["乙", "甲"]
    assert ranked[0].eligible and not ranked[1].eligible
    assert ranked[1].reasons[0].clause == "SEL.SRC.AGE"
    assert "未通过资格审查" in ranked[1].reasons[0].message
    assert any(f.clause == "SEL.SRC.AGE" and f.severity == "error" for f in ranked[1].screening)


def test_rank_for_village_boundary_on_the_46th_birthday():
    """不超过45周岁 includes the 45th year: eligible the day before the 46th birthday."""
    c = make("甲", birth_date=date(1979, 6, 2))
    assert rank_for_village([c], role="team_member", needs=(), on=ON)[0].eligible
    c = make("甲", birth_date=date(1979, 6, 1))
    assert not rank_for_village([c], role="team_member", needs=(), on=ON)[0].eligible


def test_rank_for_village_reasons_are_info_only_and_cite_clauses():
    c = make("甲", is_xuandiao=True, family_hardship=True)
    for r in rank_for_village([c], role="team_leader", needs=["industry"], on=ON):
        assert r.reasons and all(f.severity == "info" for f in r.reasons)
        assert all(f"{f.clause}" in f.message or f.clause == "SEL.COND.NO4" for f in r.reasons)


def test_rank_for_village_reasons_when_no_need_is_recorded_or_met():
    c = make("甲")
    [r] = rank_for_village([c], role="team_member", needs=(), on=ON)
    assert "未记录需求" in r.reasons[-1].message
    [r] = rank_for_village([c], role="team_member", needs="基层治理", on=ON)
    assert "均不对应" in r.reasons[-1].message and "基层治理" in r.reasons[-1].message


def test_rank_for_village_refuses_unknown_need_or_role():
    with pytest.raises(ValueError):
        rank_for_village([BASE], role="team_member", needs=["tourism"], on=ON)
    with pytest.raises(ValueError):
        rank_for_village([BASE], role="captain", needs=(), on=ON)


# ---- properties -----------------------------------------------------------------------------

flags = st.booleans()
candidates = st.builds(
    lambda i, r, a, t, p, o, x, old: make(
        f"人{i}",
        rural_experience=r,
        agri_specialty=a,
        tech_commissioner=t,
        talent_program=p,
        is_organ_cadre=o,
        is_xuandiao=x,
        birth_date=date(1960, 1, 1) if old else BASE.birth_date,
    ),
    st.integers(0, 10_000),
    flags,
    flags,
    flags,
    flags,
    flags,
    flags,
    flags,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(candidates, max_size=12),
    st.sampled_from(["first_secretary", "team_leader", "team_member"]),
    st.lists(st.sampled_from(list(NEED_LABELS)), max_size=4),
)
def test_property_ranking_keeps_everyone_sorted_and_stable(people, role, needs):
    """SEL.METHOD.NEED: every candidate once; keys non-decreasing; ties in input order."""
    ranked = rank_for_village(people, role=role, needs=needs, on=ON)
    assert sorted(map(id, (r.candidate for r in ranked))) == sorted(map(id, people))
    assert [r.rank for r in ranked] == list(range(1, len(people) + 1))
    keys = [r.key for r in ranked]
    assert keys == sorted(keys)
    position = {id(c): i for i, c in enumerate(people)}
    for a, b in zip(ranked, ranked[1:], strict=False):
        if a.key == b.key:
            assert position[id(a.candidate)] < position[id(b.candidate)]
    assert all(f.severity == "info" for r in ranked for f in r.reasons)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(candidates, max_size=10),
    st.sampled_from(["first_secretary", "team_member"]),
)
def test_property_without_needs_the_eligible_follow_rank_candidates(people, role):
    """With no need recorded, the order among those who pass screening is rank_candidates'."""
    ranked = rank_for_village(people, role=role, needs=(), on=ON)
    eligible = [r.candidate for r in ranked if r.eligible]
    assert [id(c) for c in eligible] == [
        id(c) for c in rank_candidates([c for c in people if c in eligible], role=role)
    ]
    assert all(r.eligible for r in ranked[: len(eligible)])
