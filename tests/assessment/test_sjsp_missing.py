"""MGT.8.SJSP: 每季度开展 — the villages whose team served in the quarter without an event are
listed per township; a village with its event is not."""

from __future__ import annotations

import datetime as dt

from tests.assessment.sjsp_helpers import event, record, set_threshold
from zhucun.assessment.selectors.sjsp import missing_events, summary_totals, township_summary
from zhucun.registry.models import PostingStatus


def names(world, role, year=2026, quarter=3):
    return [
        v.jurisdiction.name
        for v in missing_events(user=world.users[role], year=year, quarter=quarter)
    ]


def test_mgt_8_sjsp_missing_event_listed_per_township(world):
    """MGT.8.SJSP: 拉勐村 had 排早腊 in Q3 and no event → listed; 弄坎村 held one → not."""
    event(world, "A")
    assert names(world, "township") == ["拉勐村"]
    assert names(world, "county") == ["拉勐村"]
    assert names(world, "prefecture") == ["团结村", "拉勐村"]  # 勐卯街道 (533102…) first
    rows = list(missing_events(user=world.users["admin"], year=2026, quarter=3))
    assert [v.township.code for v in rows] == sorted(v.township.code for v in rows)
    assert {v.jurisdiction.name: v.team_size for v in rows} == {"拉勐村": 1, "团结村": 1}
    assert names(world, "unit") == []


def test_mgt_8_sjsp_missing_only_with_a_team_in_the_quarter(world):
    p = world.postings["fs_b"]
    p.status, p.actual_end = PostingStatus.ENDED, dt.date(2026, 6, 30)
    p.save()
    assert "拉勐村" not in names(world, "county")  # ended before Q3
    assert "拉勐村" in names(world, "county", quarter=2)


def test_mgt_8_sjsp_township_summary(world):
    set_threshold(world)
    event(world, "A")
    ev_b = event(world, "B")
    record(world, ev_b, cadre="fs_b", good=1, fairly_good=1, average=5, poor=3)
    qs = township_summary(user=world.users["county"], year=2026, quarter=3)
    (row,) = list(qs)
    assert row.name == "遮放镇"
    assert (row.villages_posted, row.events_held, row.cadres_evaluated) == (2, 2, 1)
    assert (row.cadres_below, row.open_rectifications) == (1, 1)
    assert summary_totals(user=world.users["county"], year=2026, quarter=3)["cadres_below"] == 1
    rows = {
        t.name: t.events_held
        for t in township_summary(user=world.users["admin"], year=2026, quarter=3)
    }
    assert rows == {"遮放镇": 2, "勐卯街道": 0}
