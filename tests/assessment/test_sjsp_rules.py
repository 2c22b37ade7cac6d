"""MGT.8.SJSP: 三讲三评 — satisfaction (好 + 较好) / all votes, exact; exactly at the threshold
needs no rectification, one vote below does; an unset threshold requires nothing; a recount
above the threshold closes the rectification (never deletes it)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from tests.assessment.sjsp_helpers import HELD, event, record, set_threshold
from zhucun.assessment.models import Rectification, SjspEvent, SjspTally
from zhucun.assessment.selectors.sjsp import cadre_satisfaction, event_rows, rectification_list
from zhucun.assessment.services.sjsp import (
    RECOUNT_NOTE,
    rectification_close,
    rectification_plan_set,
    sjsp_tallies_record,
)
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed


def test_mgt_8_sjsp_exactly_at_threshold_needs_no_rectification(world):
    """MGT.8.SJSP: 27 of 30 好+较好 = 90 % exactly → 不低于 the threshold → nothing."""
    set_threshold(world)
    ev = event(world)
    record(world, ev, good=20, fairly_good=7, average=2, poor=1)
    assert not Rectification.objects.exists()
    (row,) = [r for r in event_rows(ev, world.users["township"]) if r["cadre"].name == "岳文华"]
    assert row["satisfaction"] == Fraction(9, 10) and row["findings"] == []


def test_mgt_8_sjsp_one_vote_below_requires_rectification(world):
    """MGT.8.SJSP: 26 of 30 → below 90 % → a rectification, plan and due still to be set."""
    set_threshold(world)
    ev = event(world)
    record(world, ev, good=20, fairly_good=6, average=3, poor=1)
    r = Rectification.objects.get()
    assert (r.cadre_id, r.satisfaction, r.threshold) == (world.cadres["fs_a"].pk, "13/15", "9/10")
    assert r.plan == "" and r.due is None and r.closed_on is None
    (row,) = [x for x in event_rows(ev, world.users["township"]) if x["cadre"].name == "岳文华"]
    (finding,) = row["findings"]
    assert finding.clause == "MGT.8.SJSP" and finding.severity == "error"
    assert "岳文华" in finding.message and "26" in finding.message and "90.0%" in finding.message
    audit = Event.objects.get(action="sjsp.rectification", object_id=str(r.pk))
    assert "(MGT.8.SJSP)" in audit.note and "岳文华" in audit.note
    assert list(rectification_list(user=world.users["county"])) == [r]


def test_mgt_8_sjsp_groups_are_summed(world):
    """MGT.8.SJSP: satisfaction over all three voter groups together."""
    set_threshold(world)
    ev = event(world)
    record(world, ev, group="villagers", good=10, fairly_good=8, average=0, poor=0)
    record(world, ev, group="party_members", good=5, fairly_good=3, average=2, poor=2)
    # 26 of 30 over both groups (18/18 and 8/12)
    assert Rectification.objects.get().satisfaction == "13/15"
    got = cadre_satisfaction(cadre_ids=[world.cadres["fs_a"].pk], year=2026, quarter=3)
    assert got[world.cadres["fs_a"].pk].satisfied == 26 and got[world.cadres["fs_a"].pk].total == 30


def test_mgt_8_sjsp_threshold_unset_requires_nothing(world, client):
    """MGT.8.SJSP: the source fixes no threshold; unset → no rectification, the page says so."""
    ev = event(world)
    record(world, ev, good=1, fairly_good=0, average=10, poor=19)
    assert not Rectification.objects.exists()
    client.force_login(world.users["township"])
    page = client.get(f"/sjsp/{ev.pk}/").content.decode()
    assert "本辖区尚未设置" in page


def test_mgt_8_sjsp_recount_above_closes_not_deletes(world):
    """MGT.8.SJSP: a recount at the threshold closes the open rectification with a note."""
    set_threshold(world)
    ev = event(world)
    record(world, ev, good=20, fairly_good=6, average=3, poor=1)
    r = Rectification.objects.get()
    record(world, ev, good=20, fairly_good=7, average=2, poor=1)
    r.refresh_from_db()
    assert r.closed_on is not None and r.closing_note == RECOUNT_NOTE and r.satisfaction == "9/10"
    assert Rectification.objects.count() == 1 and SjspTally.objects.count() == 1
    assert list(rectification_list(user=world.users["county"])) == []
    assert list(rectification_list(user=world.users["county"], open_only=False)) == [r]
    # below again: listed again
    record(world, ev, good=10, fairly_good=7, average=12, poor=1)
    r.refresh_from_db()
    assert r.closed_on is None and r.closing_note == ""


def test_mgt_8_sjsp_tally_replaced_with_audit(world):
    ev = event(world)
    record(world, ev, good=1, fairly_good=0, average=0, poor=0)
    record(world, ev, good=2, fairly_good=0, average=0, poor=0)
    assert SjspTally.objects.get().good == 2
    e = Event.objects.filter(action="sjsp.tallies").order_by("-seq").first()
    assert e.before["tallies"][0]["good"] == 1 and e.after["tallies"][0]["good"] == 2


def test_mgt_8_sjsp_rows_all_checked_nothing_written(world):
    ev = event(world)
    rows = [
        {
            "cadre_id": world.cadres["fs_a"].pk,
            "group": "villagers",
            "good": 3,
            "fairly_good": 0,
            "average": 0,
            "poor": 0,
        },
        {
            "cadre_id": world.cadres["fs_a"].pk,
            "group": "党员",
            "good": -1,
            "fairly_good": "x",
            "average": 0,
            "poor": 10**9,
        },
        {
            "cadre_id": world.cadres["fs_c"].pk,
            "group": "villagers",
            "good": 1,
            "fairly_good": 0,
            "average": 0,
            "poor": 0,
        },
    ]
    with pytest.raises(ValidationFailed) as exc:
        sjsp_tallies_record(actor=world.users["township"], event_id=ev.pk, rows=rows)
    e = exc.value.errors
    assert "负数" in e["rows.2.good"] and "整数" in e["rows.2.fairly_good"]
    assert "不能超过" in e["rows.2.poor"] and "工作队成员" in e["rows.3.cadre_id"]
    assert not SjspTally.objects.exists()


def test_mgt_8_sjsp_event_rules(world):
    event(world)
    with pytest.raises(ValidationFailed) as exc:
        event(world)
    assert "每村每季度一次" in exc.value.errors["quarter"]
    with pytest.raises(ValidationFailed) as exc:
        event(world, quarter=2, held_on=dt.date(2026, 3, 1))
    assert "不能早于" in exc.value.errors["held_on"]
    with pytest.raises(ValidationFailed) as exc:
        event(world, year=2099, quarter=1)
    assert "year" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        event(world, village="B", held_on=dt.date.today() + dt.timedelta(days=1), quarter=4)
    assert "不能晚于" in exc.value.errors["held_on"]
    with pytest.raises(ValidationFailed) as exc:
        event(world, village="B", summary="=HYPERLINK()")
    assert "公式" in exc.value.errors["summary"]
    with pytest.raises(NotFound):
        event(world, village="C")  # 瑞丽's village: not the township's
    with pytest.raises(Forbidden):
        event(world, role="prefecture")
    assert SjspEvent.objects.count() == 1


def test_mgt_8_sjsp_rectification_plan_and_close(world):
    set_threshold(world)
    ev = event(world)
    record(world, ev, good=10, fairly_good=6, average=13, poor=1)
    r = Rectification.objects.get()
    u = world.users["township"]
    with pytest.raises(ValidationFailed) as exc:
        rectification_close(actor=u, rectification_id=r.pk, closed_on=HELD, closing_note="完成")
    assert "plan" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        rectification_plan_set(actor=u, rectification_id=r.pk, plan="入户走访", due=HELD)
    assert "晚于活动日期" in exc.value.errors["due"]
    rectification_plan_set(
        actor=u, rectification_id=r.pk, plan="每周入户走访", due=dt.date(2026, 10, 31)
    )
    with pytest.raises(Forbidden):
        rectification_close(
            actor=world.users["prefecture"], rectification_id=r.pk, closed_on=HELD, closing_note="x"
        )
    with pytest.raises(NotFound):
        rectification_close(
            actor=world.users["unit"], rectification_id=r.pk, closed_on=HELD, closing_note="x"
        )
    rectification_close(
        actor=u, rectification_id=r.pk, closed_on=dt.date(2026, 10, 30), closing_note="已整改"
    )
    r.refresh_from_db()
    assert r.closed_on == dt.date(2026, 10, 30) and r.plan == "每周入户走访"
    assert Event.objects.filter(action="sjsp.rectification_close").count() == 1


def test_mgt_8_sjsp_concurrent_duplicate_is_a_chinese_400(world, monkeypatch):
    """Two clerks record the same village-quarter at once: the second meets the unique
    constraint after the check passed — a ValidationFailed in Chinese, never a 500."""
    from zhucun.assessment.services import sjsp as service

    event(world)
    monkeypatch.setattr(service, "already_held", lambda *a: False)
    with pytest.raises(ValidationFailed) as exc:
        event(world, role="county")
    assert "每村每季度一次" in exc.value.errors["quarter"]
    assert SjspEvent.objects.count() == 1


def test_mgt_8_sjsp_rectifications_open_first(world):
    set_threshold(world)
    ev = event(world)
    record(world, ev, cadre="fs_a", good=10, fairly_good=6, average=13, poor=1)
    record(world, ev, cadre="tm_a", good=10, fairly_good=6, average=13, poor=1)
    record(world, ev, cadre="fs_a", good=29, fairly_good=1, average=0, poor=0)  # recount
    got = [r.cadre.name for r in rectification_list(user=world.users["county"], open_only=False)]
    assert got == ["线美玲", "岳文华"]
