"""MGT.3 month close: the SQL (window functions, INSERT … SELECT) equals a slow reference
built on policy.rank_township / needs_interview with per-cadre Python counting; idempotent;
a late correction re-closes only the township-month it touches; unknown calendar years."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn, LeaveRequest, MonthClose, MonthlyAttendance
from zhucun.attendance.models.leave import DUTY_KINDS, EXCUSED_KINDS, TAKEN_STATES
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy.attendance import attendance_rate, needs_interview, rank_township
from zhucun.registry import services as reg
from zhucun.registry.models import Posting, PostingStatus, Village

from .conftest import TZ, add_member

D = dt.date
OCT = D(2024, 10, 1)  # 国庆 1–7 October off; Saturday 12 October a working day (调休)


def month_days(month):
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return [month + dt.timedelta(days=i) for i in range((nxt - month).days)]


def store_checkin(cadre, village, day, counts=True, hour=9):
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)
    return CheckIn.objects.create(
        cadre=cadre,
        village=village,
        client_key=uuid.uuid4(),
        day=day,
        device_time=moment,
        received_at=moment,
        lat=Decimal("24.258928"),
        lng=Decimal("98.275715"),
        accuracy_m=10,
        distance_m=5,
        status="ok" if counts else "off_fence",
        counts=counts,
    )


def store_leave(cadre, kind, start, end, state="approved", actual_end=None):
    posting = Posting.objects.filter(cadre=cadre).order_by("-arrival_date").first()
    return LeaveRequest.objects.create(
        cadre=cadre,
        posting=posting,
        village=posting.village,
        kind=kind,
        start=start,
        end=end,
        reason="生成",
        state=state,
        approver_level="township",
        actual_end=actual_end,
    )


def generate_month(world, seed, month=OCT):
    """A township (遮放镇) of ~12 cadres with random check-ins and leave, and a forced tie
    at the bottom boundary; plus 瑞丽's 李国强 in another township."""
    rng = random.Random(seed)
    days = month_days(month)
    a, b = world.villages["A"], world.villages["B"]
    for i in range(9):
        add_member(world, f"队员{seed}_{i}", village=rng.choice("AB"))
    late = add_member(world, f"迟到{seed}", village="B", arrival=month + dt.timedelta(days=14))
    ended = add_member(world, f"离任{seed}", village="A")
    Posting.objects.filter(cadre=ended.cadre).update(
        status=PostingStatus.ENDED, actual_end=month + dt.timedelta(days=19)
    )
    mover = add_member(world, f"调动{seed}", village="A")  # moves to 瑞丽's village C
    Posting.objects.filter(cadre=mover.cadre).update(
        status=PostingStatus.ENDED, actual_end=month + dt.timedelta(days=9)
    )
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": mover.cadre.id_number,
            "village_code": world.villages["C"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": month + dt.timedelta(days=10),
            "planned_end": D(2027, 3, 1),
        },
    )
    postings = Posting.objects.select_related("cadre", "village")
    for p in postings:
        cadre, village = p.cadre, p.village
        rate = rng.choice([0.3, 0.6, 0.8, 0.9, 1.0, 1.0])
        for day in days:
            if rng.random() < rate:
                store_checkin(cadre, village, day, counts=rng.random() < 0.9)
                if rng.random() < 0.2:  # a second counted check-in the same day
                    store_checkin(cadre, village, day, hour=17)
        for _ in range(rng.randint(0, 2)):
            start = rng.choice(days)
            end = min(start + dt.timedelta(days=rng.randint(0, 5)), days[-1])
            kind = rng.choice([*DUTY_KINDS, *EXCUSED_KINDS])
            state = rng.choice(["approved", "approved", "returned", "pending", "rejected"])
            actual = (
                (start + dt.timedelta(days=rng.randint(-1, 3))) if state == "returned" else None
            )
            store_leave(cadre, kind, start, end, state=state, actual_end=actual)
    # Force a tie at the bottom: two cadres with exactly the same (low) duty days and no leave.
    t1, t2 = (add_member(world, f"并列{seed}_{k}", village="A").cadre for k in (1, 2))
    for cadre in (t1, t2):
        for day in days[:3]:
            store_checkin(cadre, a, day)
    assert late and b
    return month


def reference(month):
    """The slow, obvious computation: Python counting per cadre + policy functions."""
    calendar = work_calendar()
    work = {d for d in month_days(month) if calendar.is_workday(d)}
    first, last = month, max(month_days(month))
    params = parameters_current()
    by_cadre = {}
    for p in Posting.objects.exclude(status="planned").select_related("village__township"):
        if p.arrival_date > last or (p.actual_end and p.actual_end < first):
            continue
        entry = by_cadre.setdefault(p.cadre_id, {"postings": []})
        entry["postings"].append(p)
    rows = {}
    for cadre_id, entry in by_cadre.items():
        ps = entry["postings"]
        home = max(ps, key=lambda p: (p.arrival_date, p.pk))
        in_post = {
            d
            for p in ps
            for d in work
            if d >= p.arrival_date and (not p.actual_end or d <= p.actual_end)
        }
        if not in_post:
            continue
        duty = set(
            CheckIn.objects.filter(cadre_id=cadre_id, counts=True).values_list("day", flat=True)
        )
        excused = set()
        for lv in LeaveRequest.objects.filter(cadre_id=cadre_id, state__in=TAKEN_STATES):
            span = {d for d in work if lv.start <= d <= lv.effective_end}
            (duty if lv.kind in DUTY_KINDS else excused).update(span)
        duty &= in_post
        excused = (excused & in_post) - duty
        rows[cadre_id] = {
            "township_id": home.village.township_id,
            "village_id": home.village_id,
            "workdays": len(in_post),
            "duty_workdays": len(duty),
            "excused_workdays": len(excused),
        }
    for township_id in {r["township_id"] for r in rows.values()}:
        code = Village.objects.filter(township_id=township_id).first().township.code
        mine = {c: r for c, r in rows.items() if r["township_id"] == township_id}
        ranked = rank_township(
            [(c, attendance_rate(r["duty_workdays"], r["workdays"])) for c, r in mine.items()],
            params=params,
            on=month,
            jurisdiction=code,
        )
        ratio = params.fraction_value("talk_min_attendance_ratio", on=month, jurisdiction=code)
        for rr in ranked:
            r = mine[rr.cadre_id]
            short = r["duty_workdays"] < r["workdays"] * ratio
            valid = short and r["duty_workdays"] + r["excused_workdays"] >= r["workdays"] * ratio
            r.update(
                rate=Decimal(rr.rate.numerator) / Decimal(rr.rate.denominator),
                rank=rr.rank,
                bottom_rank=rr.bottom_rank,
                is_bottom=rr.is_bottom,
                tie=rr.tie,
                boundary_tie=rr.boundary_tie,
                needs_interview=needs_interview(
                    duty_workdays=r["duty_workdays"],
                    workdays=r["workdays"],
                    valid_reason=valid,
                    params=params,
                    on=month,
                    jurisdiction=code,
                ),
                valid=valid,
            )
    return rows


def stored(month):
    out = {}
    for m in MonthlyAttendance.objects.filter(month=month):
        out[m.cadre_id] = {
            "township_id": m.township_id,
            "village_id": m.village_id,
            "workdays": m.workdays,
            "duty_workdays": m.duty_workdays,
            "excused_workdays": m.excused_workdays,
            "rate": m.rate,
            "rank": m.rank,
            "bottom_rank": m.bottom_rank,
            "is_bottom": m.is_bottom,
            "tie": m.tie,
            "boundary_tie": m.boundary_tie,
            "needs_interview": m.needs_interview,
            "valid": bool(m.valid_reason),
        }
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_mgt_3_rank_sql_equals_reference(world, seed):
    month = generate_month(world, seed)
    result = att.month_close(month=month)
    assert result.workdays == 19  # October 2024: 23 weekdays − 5 holidays + 1 调休 Saturday
    expected = reference(month)
    got = stored(month)
    assert set(got) == set(expected)
    for cadre_id, exp in expected.items():
        row = got[cadre_id]
        assert row["rate"] == exp["rate"].quantize(Decimal("0.0001")), cadre_id
        for key in (
            "township_id",
            "village_id",
            "workdays",
            "duty_workdays",
            "excused_workdays",
            "rank",
            "bottom_rank",
            "is_bottom",
            "tie",
            "boundary_tie",
            "needs_interview",
            "valid",
        ):
            assert row[key] == exp[key], (cadre_id, key, row, exp)
    # the generated month really has the interesting cases
    assert any(r["tie"] for r in got.values())
    assert any(r["workdays"] < 19 for r in got.values())  # arrived / left mid-month
    assert any(r["needs_interview"] for r in got.values())


def test_mgt_3_rank_tie_at_boundary_all_included(world):
    """Rates 1, 0.9, 0.8, 0.8, 0.8 (+ the FS with nothing): bottom three by rank with every
    tie at the boundary included and marked."""
    month = OCT
    work = [d for d in month_days(month) if work_calendar().is_workday(d)]
    a = world.villages["A"]
    cadres = [add_member(world, f"成员{i}").cadre for i in range(5)]
    for cadre, n in zip(cadres, (19, 17, 15, 15, 15), strict=True):
        for d in work[:n]:
            store_checkin(cadre, a, d)
    for key in ("fs_a", "tm_a", "fs_b"):
        for d in work:
            store_checkin(world.cadres[key], world.postings[key].village, d)
    att.month_close(month=month, township_id=a.township_id)
    rows = {r.cadre_id: r for r in MonthlyAttendance.objects.filter(month=month)}
    low = [rows[c.pk] for c in cadres[2:]]
    assert all(r.is_bottom and r.tie and r.bottom_rank == 1 and r.rank == 6 for r in low)
    assert not rows[cadres[1].pk].is_bottom  # 0.9: bottom_rank 4
    assert sum(r.is_bottom for r in rows.values()) == 3
    assert all(r.needs_interview for r in low) and not rows[cadres[0].pk].needs_interview


def test_mgt_3_rank_valid_reason_keeps_off_the_interview_list(world):
    month = OCT
    work = [d for d in month_days(month) if work_calendar().is_workday(d)]
    a = world.villages["A"]
    sick, absent = (add_member(world, n).cadre for n in ("病假者", "缺勤者"))
    for cadre in (sick, absent):
        for d in work[:-3]:
            store_checkin(cadre, a, d)
    store_leave(sick, "sick", work[-3], work[-1])
    store_leave(absent, "business_trip", work[-3], work[-2], state="pending")  # not approved
    att.month_close(month=month, township_id=a.township_id)
    s = MonthlyAttendance.objects.get(month=month, cadre=sick)
    x = MonthlyAttendance.objects.get(month=month, cadre=absent)
    assert (s.duty_workdays, s.excused_workdays, s.needs_interview) == (16, 3, False)
    assert s.valid_reason == "已批准请假3个工作日"
    assert (x.duty_workdays, x.needs_interview, x.valid_reason) == (16, True, "")


def test_mgt_3_rank_business_trip_counts_as_duty(world):
    month = OCT
    work = [d for d in month_days(month) if work_calendar().is_workday(d)]
    a = world.villages["A"]
    c = add_member(world, "出差者").cadre
    for d in work[:-5]:
        store_checkin(c, a, d)
    store_leave(c, "training", work[-5], work[-1], state="returned", actual_end=work[-3])
    store_checkin(c, a, work[-2])  # back after 销假
    store_checkin(c, a, D(2024, 10, 5))  # a holiday: not a working day, not counted
    att.month_close(month=month, township_id=a.township_id)
    row = MonthlyAttendance.objects.get(month=month, cadre=c)
    assert (row.workdays, row.duty_workdays) == (19, 14 + 3 + 1)


def test_mgt_3_month_close_idempotent(world):
    month = generate_month(world, 7)
    first = att.month_close(month=month)
    assert {t.version for t in first.townships} == {1} and all(t.changed for t in first.townships)
    ids = sorted(MonthlyAttendance.objects.values_list("pk", flat=True))
    events = Event.objects.count()
    again = att.month_close(month=month)
    assert not again.changed and {t.version for t in again.townships} == {1}
    assert Event.objects.count() == events
    assert sorted(MonthlyAttendance.objects.values_list("pk", flat=True)) == ids
    call_command("close_month", "2024-10")
    assert Event.objects.count() == events


def test_mgt_3_month_close_reopens_only_the_touched_township(world, users):
    month = generate_month(world, 8)
    att.month_close(month=month)
    zhefang, mengmao = world.villages["A"].township_id, world.villages["C"].township_id
    store = CheckIn.objects.filter(
        cadre=world.cadres["tm_a"],
        counts=False,
        day__in=[d for d in month_days(month) if work_calendar().is_workday(d)],
    )
    missing = [
        d
        for d in month_days(month)
        if work_calendar().is_workday(d)
        and not CheckIn.objects.filter(cadre=world.cadres["tm_a"], day=d, counts=True).exists()
    ]
    assert missing
    ci = store.filter(day__in=missing).first() or store_checkin(
        world.cadres["tm_a"], world.villages["A"], missing[0], counts=False
    )
    before = MonthlyAttendance.objects.get(month=month, cadre=world.cadres["tm_a"])
    att.checkin_review(
        actor=users["township"], checkin_id=ci.pk, accept=True, reason="入户走访,核实在村"
    )
    after = MonthlyAttendance.objects.get(month=month, cadre=world.cadres["tm_a"])
    assert after.duty_workdays == before.duty_workdays + 1
    assert MonthClose.objects.get(month=month, township_id=zhefang).version == 2
    assert MonthClose.objects.get(month=month, township_id=mengmao).version == 1
    ev = Event.objects.filter(action="attendance.month_reclose").get()
    assert "签到核查" in ev.note and ev.after["version"] == 2
    expected, got = reference(month), stored(month)
    assert all(got[c]["rank"] == expected[c]["rank"] for c in expected)
    assert all(got[c]["duty_workdays"] == expected[c]["duty_workdays"] for c in expected)


def test_mgt_3_month_close_unknown_calendar_year(world):
    with pytest.raises(ValidationFailed) as exc:
        att.month_close(month=D(2003, 5, 1))
    assert exc.value.errors == {"month": "请录入2003年节假日安排"}
    assert not MonthClose.objects.exists() and not MonthlyAttendance.objects.exists()
    with pytest.raises(CommandError, match="请录入2003年节假日安排"):
        call_command("close_month", "2003-05")


def test_mgt_3_month_close_refuses_an_unfinished_month(world):
    with pytest.raises(ValidationFailed):
        att.month_close(month=dt.date.today())


def test_mgt_3_month_close_scope(world, users):
    month = generate_month(world, 9)
    result = att.month_close(actor=users["township"], month=month)
    assert [t.code for t in result.townships] == ["533103102000"]
    for role in ("first_secretary", "team_member", "unit", "village_secretary"):
        with pytest.raises(Forbidden):
            att.month_close(actor=users[role], month=month)
    with pytest.raises(NotFound):
        att.month_close(
            actor=users["township"], month=month, township_id=world.villages["C"].township_id
        )


def test_mgt_3_close_month_command(world, capsys):
    generate_month(world, 10)
    call_command("close-month", "2024-10", "--township", "533103102000")
    out = capsys.readouterr().out
    assert "遮放镇" in out and "第1版" in out and "勐卯" not in out
    with pytest.raises(CommandError):
        call_command("close_month", "2024-13")


def test_mgt_3_close_month_command_json(world, capsys):
    """For integrators: ``zhucun close-month YYYY-MM --json`` (issue 10)."""
    import json

    generate_month(world, 10)
    call_command("close-month", "2024-10", "--json")
    first = json.loads(capsys.readouterr().out)
    assert first["month"] == "2024-10" and first["workdays"] > 0
    by_code = {t["code"]: t for t in first["townships"]}
    zhefang = by_code["533103102000"]
    assert zhefang["name"] == "遮放镇" and zhefang["version"] == 1 and zhefang["changed"]
    assert zhefang["rows"] > 0 and zhefang["bottom"] >= 1
    assert first["changed"] == len(first["townships"])
    call_command("close-month", "2024-10", "--json")  # idempotent: nothing changes
    again = json.loads(capsys.readouterr().out)
    assert again["changed"] == 0 and all(t["version"] == 1 for t in again["townships"])


def test_mgt_3_month_close_reopens_on_late_leave_approval(world, users):
    """A business trip approved after the close counts as duty: only 遮放镇 is re-closed."""
    month = generate_month(world, 11)
    att.month_close(month=month)
    tm = world.cadres["tm_a"]
    LeaveRequest.objects.filter(cadre=tm).delete()
    CheckIn.objects.filter(cadre=tm, day__gte=D(2024, 10, 21)).update(counts=False)
    att.month_close(month=month)  # the direct edits above: version 2 for 遮放镇
    zhefang = world.villages["A"].township_id
    assert MonthClose.objects.get(month=month, township_id=zhefang).version == 2
    trip = att.leave_request_create(
        actor=users["team_member"],
        kind="business_trip",
        start=D(2024, 10, 21),
        end=D(2024, 10, 25),
        reason="州里培训补登",
    )
    before = MonthlyAttendance.objects.get(month=month, cadre=tm).duty_workdays
    att.leave_decide(actor=users["first_secretary"], leave_id=trip.pk, approve=True, note="同意")
    assert MonthlyAttendance.objects.get(month=month, cadre=tm).duty_workdays == before + 5
    assert MonthClose.objects.get(month=month, township_id=zhefang).version == 3
    assert (
        MonthClose.objects.get(month=month, township_id=world.villages["C"].township_id).version
        == 1
    )
    assert Event.objects.filter(action="attendance.month_reclose").count() == 2
