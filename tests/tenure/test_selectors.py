"""MGT.9.HANDOVER forward coverage: the upcoming term ends with the replacement's status and
the gaps they will leave (computed before they happen)."""

from __future__ import annotations

import datetime as dt

from zhucun.registry import services as reg
from zhucun.registry.models import Posting, PostingStatus
from zhucun.tenure.selectors import coverage_gaps, term_ends_upcoming

TODAY = dt.date(2026, 1, 10)


def _leaver_ends(world, key: str, end: dt.date) -> Posting:
    p = world.postings[key]
    Posting.objects.filter(pk=p.pk).update(planned_end=end)
    return p


def _replacement(world, *, village: str, arrival: dt.date) -> Posting:
    return reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres["spare"].id_number,
            "village_code": world.villages[village].jurisdiction.code,
            "role": "first_secretary",
            "arrival_date": arrival,
            "planned_end": None,
            "status": PostingStatus.PLANNED,
        },
    )


def test_mgt_9_handover_gap_of_exactly_the_first_five_days(world):
    leaver = _leaver_ends(world, "fs_b", dt.date(2026, 1, 31))
    _replacement(world, village="B", arrival=dt.date(2026, 2, 6))
    (row,) = [
        e for e in coverage_gaps(user=world.users["county"], today=TODAY) if e.posting == leaver
    ]
    assert row.gap == (dt.date(2026, 2, 1), dt.date(2026, 2, 5))
    assert row.gap_days == 5 and row.replacement_status == "posted"


def test_mgt_9_handover_replacement_arriving_before_the_end_shows_no_gap(world):
    leaver = _leaver_ends(world, "fs_b", dt.date(2026, 1, 31))
    _replacement(world, village="B", arrival=dt.date(2026, 1, 25))
    gaps = coverage_gaps(user=world.users["county"], today=TODAY)
    assert leaver.pk not in [e.posting.pk for e in gaps]
    (row,) = [
        e
        for e in term_ends_upcoming(user=world.users["county"], today=TODAY)
        if e.posting == leaver
    ]
    assert row.gap is None and row.gap_days == 0
    assert row.replacement.arrival_date == dt.date(2026, 1, 25)


def test_mgt_9_handover_no_replacement_is_an_open_gap(world):
    leaver = _leaver_ends(world, "fs_b", dt.date(2026, 2, 28))
    (row,) = [
        e for e in coverage_gaps(user=world.users["county"], today=TODAY) if e.posting == leaver
    ]
    assert row.replacement is None and row.replacement_status == "none"
    assert row.gap_days is None and "2026-03-01" in row.gap_text


def test_mgt_9_handover_upcoming_list_is_90_days_and_scoped(world):
    # the world's postings end 2026-03-01: within 90 days of 2026-01-10, not of 2025-10-01
    county = world.users["county"]
    shown = {e.posting.pk for e in term_ends_upcoming(user=county, today=TODAY)}
    assert shown == {world.postings[k].pk for k in ("fs_a", "tm_a", "fs_b")}  # 芒市 only
    assert term_ends_upcoming(user=county, today=dt.date(2025, 10, 1)) == []
    unit = {e.posting.pk for e in term_ends_upcoming(user=world.users["unit"], today=TODAY)}
    assert unit == {world.postings["tm_a"].pk}
