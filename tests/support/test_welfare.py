"""GUA.2.EXAM and GUA.2.INSURE: missing exams and gaps in the accident insurance cover."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.support.selectors import welfare as read
from zhucun.support.services import welfare as write

D = dt.date
TODAY = D(2025, 6, 1)


def test_gua_2_exam_missing_listed_for_the_unit(world):
    unit = world.users["unit"]
    tm_a = world.cadres["tm_a"].pk
    assert [p.cadre_id for p in read.missing_exams(user=unit, year=2025)] == [tm_a]
    write.exam_record(
        actor=unit, cadre_id=tm_a, year=2025, exam_on=D(2025, 4, 2), place="芒市人民医院"
    )
    assert list(read.missing_exams(user=unit, year=2025)) == []
    county = {p.cadre_id for p in read.missing_exams(user=world.users["county"], year=2025)}
    assert world.cadres["fs_a"].pk in county and tm_a not in county
    with pytest.raises(ValidationFailed) as e:
        write.exam_record(
            actor=unit, cadre_id=tm_a, year=2025, exam_on=D(2025, 5, 2), place="芒市人民医院"
        )
    assert "已登记" in e.value.errors["year"]
    with pytest.raises(Forbidden):
        write.exam_record(
            actor=world.users["county"],
            cadre_id=tm_a,
            year=2024,
            exam_on=D(2024, 5, 2),
            place="医院",
        )


def gap_of(world, cadre="tm_a"):
    qs = read.insurance_gaps(user=world.users["unit"], today=TODAY)
    rows = read.insurance_gap_rows(qs, today=TODAY)
    found = [r for r in rows if r.posting.cadre_id == world.cadres[cadre].pk]
    return found[0] if found else None


def test_gua_2_insure_ending_before_planned_end_gap_from_next_day(world):
    """GUA.2.INSURE: a policy ending before the planned end (2026-03-01) leaves a gap from the
    day after it ends."""
    write.insurance_record(
        actor=world.users["unit"],
        cadre_id=world.cadres["tm_a"].pk,
        policy_number="PICC-2024-001",
        insurer="中国人民财产保险",
        start=D(2024, 3, 1),
        end=D(2025, 2, 28),
    )
    row = gap_of(world)
    assert (row.gap_from, row.gap_to) == (D(2025, 3, 1), D(2026, 3, 1))
    assert "2025年3月1日" in row.message and "GUA.2.INSURE" in row.message


def test_gua_2_insure_two_adjoining_policies_no_gap(world):
    for start, end in ((D(2024, 3, 1), D(2025, 2, 28)), (D(2025, 3, 1), D(2026, 3, 1))):
        write.insurance_record(
            actor=world.users["unit"],
            cadre_id=world.cadres["tm_a"].pk,
            policy_number=f"P{start.year}",
            insurer="中国人寿",
            start=start,
            end=end,
        )
    row = gap_of(world)
    assert row is None or row.gap_from is None


def test_gua_2_insure_one_policy_covering_all_is_not_a_candidate(world):
    write.insurance_record(
        actor=world.users["unit"],
        cadre_id=world.cadres["tm_a"].pk,
        policy_number="P1",
        insurer="中国人寿",
        start=D(2024, 1, 1),
        end=D(2026, 12, 31),
    )
    assert gap_of(world) is None


def test_gua_2_insure_end_before_start_refused(world):
    with pytest.raises(ValidationFailed) as e:
        write.insurance_record(
            actor=world.users["unit"],
            cadre_id=world.cadres["tm_a"].pk,
            policy_number="P",
            insurer="X",
            start=D(2025, 3, 1),
            end=D(2025, 2, 1),
        )
    assert "end" in e.value.errors


def test_first_gap_cases():
    assert read.first_gap(D(2025, 1, 1), D(2025, 1, 10), []) == (D(2025, 1, 1), D(2025, 1, 10))
    assert read.first_gap(D(2025, 1, 1), D(2025, 1, 10), [(D(2025, 1, 3), D(2025, 1, 10))]) == (
        D(2025, 1, 1),
        D(2025, 1, 2),
    )
    assert read.first_gap(
        D(2025, 1, 1),
        D(2025, 1, 10),
        [(D(2024, 1, 1), D(2025, 1, 4)), (D(2025, 1, 6), D(2025, 2, 1))],
    ) == (D(2025, 1, 5), D(2025, 1, 5))
