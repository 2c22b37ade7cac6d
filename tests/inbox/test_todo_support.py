"""待办 of 培训保障 (issue 16, point 1): the organiser's training to hold, its participants to
record and the cadres it has still to cover (MGT.7.*); funds nothing has been allocated to
(GUA.2.*_FUND); the unit's subsidies overdue (GUA.2.PAY), exams missing (GUA.2.EXAM) and cover
lapsed (GUA.2.INSURE); a payment recorded is notified to the cadre only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.notices.models import Notice
from zhucun.support.selectors import subsidies as subsidy_read
from zhucun.support.services.funds import fund_record
from zhucun.support.services.subsidies import subsidy_payment_record
from zhucun.support.services.training import training_attendance_set, training_event_create
from zhucun.support.services.welfare import exam_record, insurance_record

from .helpers import opens, todo


def _event(actor, start: dt.date, end: dt.date):
    return training_event_create(
        actor=actor, title="驻村干部轮训", start=start, end=end, days="2", content="政策解读"
    )


def test_training_to_hold_record_and_cover_MGT_7(client, world):
    county, pref = world.users["county"], world.users["prefecture"]
    today = timezone.localdate()
    for user in (county, pref):
        item = todo(user)["training_hold"]
        assert item.count == 1 and item.due == dt.date(today.year, 12, 31)
        assert item.clause == "MGT.7.ANNUAL"
        opens(client, user, item)
    assert "training_hold" not in todo(world.users["township"])  # it does not organise
    start = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=3))
    ev = _event(county, start, start + dt.timedelta(days=1))
    items = todo(county)
    assert "training_hold" not in items and "training_hold" in todo(pref)
    gap = items["training_gap"]
    assert gap.count == 3 and gap.clause == "MGT.7.COVER"  # nobody trained by the county yet
    opens(client, county, gap)
    if ev.end < today:  # ended without participants: to record
        record = items["training_record"]
        assert record.count == 1
        opens(client, county, record)
    team = [world.cadres[k].pk for k in ("fs_a", "tm_a", "fs_b")]
    training_attendance_set(actor=county, event_id=ev.pk, cadre_ids=team)
    items = todo(county)
    assert "training_record" not in items and "training_gap" not in items


def test_prefecture_covers_first_secretaries_only_MGT_7_COVER(world):
    pref = world.users["prefecture"]
    today = timezone.localdate()
    start = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=3))
    ev = _event(pref, start, start + dt.timedelta(days=1))
    assert todo(pref)["training_gap"].count == 3  # 岳文华, 排早腊, 李国强
    training_attendance_set(actor=pref, event_id=ev.pk, cadre_ids=[world.cadres["tm_a"].pk])
    assert todo(pref)["training_gap"].count == 3  # a team member does not count
    fs = [world.cadres[k].pk for k in ("fs_a", "fs_b", "fs_c", "tm_a")]
    training_attendance_set(actor=pref, event_id=ev.pk, cadre_ids=fs)
    assert "training_gap" not in todo(pref)


def test_funds_with_nothing_allocated_GUA_2_FUND(client, world):
    county, unit = world.users["county"], world.users["unit"]
    today = timezone.localdate()
    items = todo(county)
    assert items["fund_fs"].count == 2 and items["fund_village"].count == 2  # 芒市: A, B
    assert items["fund_fs"].clause == "GUA.2.FS_FUND"
    opens(client, county, items["fund_fs"])
    assert todo(unit)["fund_unit"].count == 1  # 线美玲
    assert not {"fund_fs", "fund_unit"} & set(todo(world.users["township"]))
    base = {"year": today.year, "on": today, "note": "芒财〔2026〕3号", "allocated": "5000"}
    for key in ("fs_a", "fs_b"):
        fund_record(actor=county, kind="fs", cadre_id=world.cadres[key].pk, **base)
    for key in ("A", "B"):
        fund_record(actor=county, kind="village", village_id=world.villages[key].pk, **base)
    fund_record(actor=unit, kind="unit", cadre_id=world.cadres["tm_a"].pk, **base)
    assert not {"fund_fs", "fund_village"} & set(todo(county))
    assert "fund_unit" not in todo(unit)
    assert todo(world.users["prefecture"])["fund_fs"].count == 1  # 瑞丽's 李国强 still


def test_unit_subsidies_overdue_and_the_payment_told_to_the_cadre_GUA_2_PAY(client, world):
    unit, tm = world.users["unit"], world.users["team_member"]
    today = timezone.localdate()
    due = list(subsidy_read.overdue_payments(user=unit, today=today))
    assert due  # months of transport subsidy unpaid (the rate per km is policy)
    item = todo(unit)["subsidy_overdue"]
    assert item.count == item.overdue == len(due)
    assert item.working_days_left is not None and item.working_days_left < 0
    opens(client, unit, item)
    assert "subsidy_overdue" not in todo(world.users["county"])  # the unit pays
    for row in due:
        month = row["due_month"]
        month = dt.date.fromisoformat(month) if isinstance(month, str) else month
        subsidy_payment_record(
            actor=unit,
            cadre_id=row["cadre_id"],
            month=month,
            kind=row["due_kind"],
            amount="187.00",
            paid_on=today,
            reference="芒医财2026-01",
        )
    assert "subsidy_overdue" not in todo(unit)
    notices = Notice.objects.all()
    assert len(notices) == len(due) and {n.user for n in notices} == {tm}
    assert all(n.clause == "GUA.2.PAY" and "已发放187.00元" in n.title for n in notices)


def test_unit_exams_and_insurance_GUA_2_EXAM_INSURE(client, world):
    unit = world.users["unit"]
    today = timezone.localdate()
    items = todo(unit)
    exam, cover = items["exam_missing"], items["insurance_lapsed"]
    assert exam.count == 1 and exam.due == dt.date(today.year, 12, 31)
    assert cover.count == 1 and cover.clause == "GUA.2.INSURE"
    opens(client, unit, exam)
    opens(client, unit, cover)
    other = User.objects.create_user(
        "pref_unit", password="pw", role=UserRole.UNIT, unit=world.units["pref"]
    )
    assert todo(other)["exam_missing"].count == 2  # its own 岳文华 and 排早腊 only
    tm_a = world.cadres["tm_a"].pk
    exam_record(actor=unit, cadre_id=tm_a, year=today.year, exam_on=today, place="芒市人民医院")
    insurance_record(
        actor=unit,
        cadre_id=tm_a,
        policy_number="PICC-2026-001",
        insurer="中国人民财产保险",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=335),
    )
    items = todo(unit)
    assert "exam_missing" not in items and "insurance_lapsed" not in items
