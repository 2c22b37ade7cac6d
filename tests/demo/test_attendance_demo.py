"""The attendance demo (demo/attendance.py) on the full demo prefecture, built as of the
machine's date: check-ins, diaries, leave and rest for the three complete months before the
current month and the current month up to yesterday, with the latest complete month closed.
The same demo built as of another day: tests/demo_seed/test_timeline.py."""

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.attendance import services as att
from zhucun.attendance.models import (
    CheckIn,
    CheckInReview,
    DiaryEntry,
    FraudSignal,
    Interview,
    LeaveRequest,
    MonthClose,
    MonthlyAttendance,
    MonthlySummary,
)
from zhucun.attendance.selectors import leave_approval_queue
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.core.errors import ValidationFailed
from zhucun.demo.accounts import DEMO_VILLAGE
from zhucun.demo.build import counts, load_demo
from zhucun.demo.places import TOWNSHIP_BY_CODE
from zhucun.inbox.selectors import todo_list
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy.checkin import judge_checkin
from zhucun.policy.rest import rest_limit
from zhucun.registry.models import Jurisdiction, Posting, Village
from zhucun.support.models import TrainingAttendance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

TAKEN = ("approved", "returned")


def leave_days(leave):
    end = leave.actual_end or leave.end
    return [leave.start + dt.timedelta(days=i) for i in range((end - leave.start).days + 1)]


def test_counts_in_range(timeline, days):
    posted = Posting.objects.filter(status="active").count()
    n = CheckIn.objects.count()
    assert 60_000 <= n <= 100_000
    assert 0.97 <= CheckIn.objects.filter(counts=True).count() / n
    assert DiaryEntry.objects.count() >= 0.8 * n
    statuses = Counter(CheckIn.objects.values_list("status", flat=True))
    assert {"ok", "off_fence", "low_accuracy", "no_position", "late"} <= set(statuses)
    assert statuses["off_fence"] < 0.01 * n
    # every cadre in post before November has check-ins; none on a day off, none from today on
    with_checkins = set(CheckIn.objects.values_list("cadre_id", flat=True))
    early = Posting.objects.filter(status="active", arrival_date__lt=timeline.current)
    assert set(early.values_list("cadre_id", flat=True)) <= with_checkins
    assert len(with_checkins) <= posted
    calendar = work_calendar()
    seen = set(CheckIn.objects.values_list("day", flat=True))
    assert min(seen) == days.past[0] and days.past[0] < timeline.start + dt.timedelta(days=10)
    assert all(calendar.is_workday(d) for d in seen)
    # issue 10: loaded on any date, the newest check-in is from the last working day before it
    newest = max(seen)
    assert newest < timeline.today and calendar.is_workday(newest)
    assert calendar.working_days(newest + dt.timedelta(days=1), timeline.today) == (
        1 if calendar.is_workday(timeline.today) else 0
    )
    assert newest == days.last_workday
    # diaries tagged with the duties, in Chinese
    entry = DiaryEntry.objects.order_by("id").first()
    assert entry.duties and set(entry.duties) <= {"DUT.1", "DUT.2", "DUT.3", "DUT.4", "DUT.5"}
    tags = Counter(d for ds in DiaryEntry.objects.values_list("duties", flat=True) for d in ds)
    assert set(tags) == {"DUT.1", "DUT.2", "DUT.3", "DUT.4", "DUT.5"}
    visits = DiaryEntry.objects.filter(text__contains="脱贫监测户").values_list("duties", flat=True)
    assert visits and all("DUT.2" in d for d in visits)
    # leave of every kind, in every state the workflow has
    kinds = Counter(LeaveRequest.objects.values_list("kind", flat=True))
    assert set(kinds) == {"personal", "sick", "business_trip", "training", "meeting"} | {
        "rotation_rest",
        "after_term",  # granted on a term end (GUA.3.LEAVE15, demo/tenure.py)
    }
    states = Counter(LeaveRequest.objects.values_list("state", flat=True))
    assert {"approved", "returned", "rejected", "pending"} <= set(states)
    assert LeaveRequest.objects.filter(reason="州委组织部第一书记示范培训班").count() >= 20


# the on-duty days of a training are recorded with its attendance, by the organiser (MGT.7)
TRAINING_LEAVE = TrainingAttendance.objects.exclude(leave=None).values("leave_id")


def test_leave_was_approved_by_the_right_people():
    # granted on a term end; recorded with a training's attendance (issue 15, MGT.7)
    requested = LeaveRequest.objects.exclude(kind="after_term").exclude(pk__in=TRAINING_LEAVE)
    for leave in requested.exclude(decided_by=None).select_related(
        "posting", "decided_by__jurisdiction", "village__jurisdiction"
    ):
        approver = leave.decided_by
        if leave.posting.role == "first_secretary":
            assert approver.role == "township"
            assert leave.village.jurisdiction.path.startswith(approver.jurisdiction.path)
        else:
            assert approver.role == "first_secretary"
            fs = Posting.objects.get(cadre_id=approver.cadre_id, status="active")
            assert fs.village_id == leave.village_id and fs.role == "first_secretary"
    # no check-in on a day of leave except the scripted one (fraud: on_leave)
    away = {(lv.cadre_id, d) for lv in LeaveRequest.objects.filter(state__in=TAKEN)
            for d in leave_days(lv)}  # fmt: skip
    seen = {(c, d) for c, d in CheckIn.objects.values_list("cadre_id", "day") if (c, d) in away}
    assert len(seen) == 1


def test_checkins_are_judged_as_the_service_judges_them():
    """Recompute the judgement of a sample with judge_checkin, as checkin_record calls it; a
    township review overrides ``counts`` (the latest decision)."""
    params = parameters_current()
    rng = random.Random(4)
    ids = list(CheckIn.objects.values_list("id", flat=True))
    sample = set(rng.sample(ids, 300))
    sample |= set(CheckIn.objects.exclude(status="ok").values_list("id", flat=True)[:200])
    reviews = {r.checkin_id: r.decision for r in CheckInReview.objects.order_by("decided_at")}
    for c in CheckIn.objects.filter(id__in=sample).select_related("cadre", "village__jurisdiction"):
        v = c.village
        j = judge_checkin(
            name=c.cadre.name,
            lat=float(c.lat) if c.lat is not None else None,
            lng=float(c.lng) if c.lng is not None else None,
            accuracy_m=c.accuracy_m,
            point=(float(v.checkin_lat), float(v.checkin_lng), v.checkin_datum),
            radius_m=v.checkin_radius_m,
            device_time=c.device_time,
            received_at=c.received_at,
            params=params,
            jurisdiction=v.jurisdiction.code,
            village=v.jurisdiction.name,
        )
        assert (c.status, c.day) == (j.status, j.day), c.pk
        assert c.distance_m == j.distance_m or math.isclose(c.distance_m, j.distance_m)
        assert c.counts == (reviews[c.pk] == "accept" if c.pk in reviews else j.counts)
        assert [f["message"] for f in c.findings] == [f.message for f in j.findings]


def test_positions_and_accuracy_are_realistic():
    rows = CheckIn.objects.filter(status="ok").values_list("accuracy_m", "distance_m")
    acc = [a for a, _ in rows]
    assert 5 <= min(acc) and max(acc) <= 60
    assert max(d for _, d in rows) < 300
    # half the villages store their point in GCJ-02: check-ins there are inside the fence only
    # because the point was converted (the raw GCJ-02 point is ~350 m off in Dehong)
    gcj = CheckIn.objects.filter(status="ok", village__checkin_datum="GCJ-02")
    assert gcj.count() > 0.3 * len(acc)


def test_exceptions_reviewed_by_the_township(days):
    reviews = CheckInReview.objects.select_related("decided_by", "checkin")
    assert reviews.filter(decision="accept", reason__contains="到县里开会").exists()
    assert reviews.filter(decision="reject").exists()
    assert {r.decided_by.role for r in reviews} == {"township"}
    for r in reviews:
        assert r.checkin.counts == (r.decision == "accept")
    pending = CheckIn.objects.filter(status="off_fence", counts=False, reviews__isnull=True)
    assert pending.exists() and pending.filter(day__gte=days.recent_from).exists()
    zhefang = User.objects.get(username="zhefang")
    assert reviews.filter(decided_by=zhefang).exists() or pending.filter(
        village__jurisdiction__code__startswith="533103102"
    )


def test_offline_burst_counts(timeline, days):
    burst = [
        c
        for c in CheckIn.objects.filter(counts=True, status="ok").order_by("device_time")
        if c.received_at - c.device_time > dt.timedelta(days=1)
    ]
    assert len(burst) >= 2
    cadre = burst[0].cadre_id
    arrived = burst[0].received_at
    same = CheckIn.objects.filter(
        cadre_id=cadre,
        received_at__gte=arrived - dt.timedelta(hours=1),
        received_at__lte=arrived + dt.timedelta(hours=1),
    )
    late = [c for c in same if c.day < timezone.localdate(c.received_at)]
    assert len(late) == 3 and len({c.day for c in late}) == 3  # three days, one upload
    assert max(c.received_at for c in late) - min(c.received_at for c in late) < dt.timedelta(
        minutes=1
    )
    assert all(c.received_at - c.device_time <= dt.timedelta(hours=72) for c in late)
    assert {c.day for c in late} == set(days.burst_days)
    # the mountain village, and the month close counts those days
    assert TOWNSHIP_BY_CODE[late[0].village.jurisdiction.code[:9]].mountain
    closed = timeline.closed
    row = MonthlyAttendance.objects.get(month=closed, cadre_id=cadre)
    counted = set(
        CheckIn.objects.filter(
            cadre_id=cadre, counts=True, day__year=closed.year, day__month=closed.month
        ).values_list("day", flat=True)
    )
    assert set(days.burst_days) <= counted
    assert row.duty_workdays == len(counted)
    # after the window: recorded, not counted, waiting for the township's correction
    assert CheckIn.objects.filter(status="late", counts=False).count() == 1


def test_fraud_signals_of_each_kind():
    kinds = Counter(FraudSignal.objects.values_list("kind", flat=True))
    assert {"shared_device", "repeated_coordinates", "on_leave", "speed"} <= set(kinds)
    assert set(kinds) <= {"shared_device", "repeated_coordinates", "on_leave", "speed"}
    for s in FraudSignal.objects.select_related("checkin"):
        assert s.checkin.cadre_id == s.cadre_id and s.clause == "MGT.1.FRAUD"
        assert s.resolved_at is None
    # two cadres on one device
    shared = FraudSignal.objects.filter(kind="shared_device").first().checkin.device_id
    assert CheckIn.objects.filter(device_id=shared).values("cadre_id").distinct().count() == 2
    # exactly repeated coordinates, three times or more
    s = FraudSignal.objects.filter(kind="repeated_coordinates").first().checkin
    assert CheckIn.objects.filter(cadre_id=s.cadre_id, lat=s.lat, lng=s.lng).count() >= 3
    # a check-in on a day of approved leave
    s = FraudSignal.objects.get(kind="on_leave").checkin
    assert any(
        s.day in leave_days(lv)
        for lv in LeaveRequest.objects.filter(cadre_id=s.cadre_id, state__in=TAKEN)
    )
    # an impossible speed between two check-ins of one morning
    s = FraudSignal.objects.get(kind="speed")
    assert s.data["speed_kmh"] > s.data["limit_kmh"]
    assert CheckIn.objects.filter(cadre_id=s.cadre_id, day=s.checkin.day).count() == 2


def test_rotation_rest_one_third_rule():
    rests = LeaveRequest.objects.filter(kind="rotation_rest", state__in=TAKEN)
    params = parameters_current()
    sizes = dict(
        Village.objects.annotate(
            n=Count("postings", filter=Q(postings__status="active"))
        ).values_list("id", "n")
    )
    resting = defaultdict(list)
    for r in rests:
        for d in leave_days(r):
            resting[(r.village_id, d)].append(r)
    at_limit = []
    for (village_id, day), rs in resting.items():
        limit = rest_limit(sizes[village_id], params, on=day)
        assert limit >= 1  # never below one person (settled reading of MGT.1.REST)
        assert len(rs) <= limit, (village_id, day)
        if limit >= 2 and len(rs) == limit:
            at_limit.append((village_id, day))
    assert at_limit  # a 6-person team with 2 resting at once
    village_id, day = at_limit[0]
    assert sizes[village_id] >= 6
    # once a quarter per person
    per_quarter = Counter((r.cadre_id, r.start.year, (r.start.month - 1) // 3) for r in rests)
    assert max(per_quarter.values()) == 1
    # a third member of that team asking for that week is refused by the service
    busy = {r.cadre_id for r in resting[(village_id, day)]}
    third = (
        Posting.objects.filter(village_id=village_id, status="active", role="team_member")
        .exclude(cadre_id__in=busy)
        .first()
    )
    user = User.objects.get(cadre_id=third.cadre_id)
    with pytest.raises(ValidationFailed) as refused, transaction.atomic():
        att.leave_request_create(
            actor=user, kind="rotation_rest", start=day, end=day, reason="季度轮休"
        )
    assert "MGT.1.REST" in refused.value.errors
    # a team of two rests one at a time, with no reason to record (MGT.1.REST settled reading)
    small = [v for (v, _), rs in resting.items() if sizes[v] <= 2]
    assert small
    assert not rests.filter(village_id__in=small).exclude(override_reason="").exists()


def test_demo_accounts_have_three_months(timeline):
    for username in ("shuji", "duiyuan"):
        cadre = User.objects.get(username=username).cadre_id
        for m in timeline.months[:3]:
            assert CheckIn.objects.filter(cadre_id=cadre, day__year=m.year, day__month=m.month)
            assert DiaryEntry.objects.filter(cadre_id=cadre, day__year=m.year, day__month=m.month)
        rest = LeaveRequest.objects.filter(cadre_id=cadre, kind="rotation_rest", state__in=TAKEN)
        assert rest.count() == 1
        row = MonthlyAttendance.objects.get(month=timeline.closed, cadre_id=cadre)
        assert row.township.code == "533103102000" and row.township.name == "遮放镇"
    shuji = User.objects.get(username="shuji")
    rest = LeaveRequest.objects.get(cadre_id=shuji.cadre_id, kind="rotation_rest")
    assert rest.decided_by.username == "zhefang"
    duiyuan = User.objects.get(username="duiyuan")
    rest = LeaveRequest.objects.get(cadre_id=duiyuan.cadre_id, kind="rotation_rest")
    assert rest.decided_by == shuji
    # shuji and zhefang have requests waiting for them
    assert leave_approval_queue(user=shuji).exists()
    assert leave_approval_queue(user=User.objects.get(username="zhefang")).exists()


def test_latest_complete_month_closed_with_rankings_and_interviews(timeline):
    closed = timeline.closed  # the latest complete month (2026-10 when the demo was written)
    townships = set(
        Jurisdiction.objects.filter(level="township", township_villages__isnull=False)
        .distinct()
        .values_list("id", flat=True)
    )
    closes = MonthClose.objects.filter(month=closed)
    assert set(closes.values_list("township_id", flat=True)) == townships
    assert {c.workdays for c in closes} == {
        work_calendar().workdays_in_month(closed.year, closed.month)
    }
    rows = MonthlyAttendance.objects.filter(month=closed)
    # MGT.3.RANK: a cadre at full attendance is never on the bottom list (issue 10: 729 of
    # 817 rows were at 100 %); a township where nobody falls short reports 无
    assert not rows.filter(is_bottom=True, duty_workdays__gte=F("workdays")).exists()
    bottom = set(rows.filter(is_bottom=True).values_list("township_id", flat=True))
    assert bottom and bottom <= townships
    short = rows.filter(duty_workdays__lt=F("workdays"))
    for t in townships:
        n = rows.filter(township_id=t, is_bottom=True).count()
        assert n >= min(3, short.filter(township_id=t).count())
        if n > 3:  # ties at the boundary are all included, and marked
            assert rows.filter(township_id=t, boundary_tie=True).exists()
    assert rows.filter(is_bottom=True).count() < rows.count() / 3
    assert rows.filter(needs_interview=True).exists()
    assert rows.filter(excused_workdays__gt=0, needs_interview=False).exists()
    assert rows.exclude(valid_reason="").exists()
    # the cadre far below the pace: 遮放镇, many unexplained missing days, interviewed
    interview = Interview.objects.select_related("cadre").get()
    row = rows.get(cadre=interview.cadre)
    assert row.needs_interview and row.township.code == "533103102000"
    assert row.duty_workdays <= row.workdays * 0.75
    # MGT.3.TALK: held by the organisation department that manages the cadre's unit
    managing = "zhou" if interview.cadre.unit.level != "county" else None
    assert interview.recorded_by.role in ("county", "prefecture") and interview.month == closed
    if managing:
        assert interview.recorded_by.username == managing
    else:
        assert interview.cadre.unit.jurisdiction.path.startswith(
            interview.recorded_by.jurisdiction.path
        )
    # the three complete months are closed (the charts' line), nothing else; again: no change
    assert set(MonthClose.objects.values_list("month", flat=True)) == set(timeline.months[:3])
    result = att.month_close(actor=None, month=closed)
    assert result.changed == [] and len(result.townships) == len(townships)
    assert set(MonthClose.objects.values_list("version", flat=True)) == {1}
    # the current month has not ended: refused by the service and by the command line
    with pytest.raises(ValidationFailed) as refused, transaction.atomic():
        att.month_close(actor=None, month=timeline.current)
    assert "尚未结束,不能结账" in refused.value.errors["month"]
    with pytest.raises(CommandError, match="尚未结束,不能结账"):
        call_command("close-month", f"{timeline.current:%Y-%m}", stdout=StringIO())
    assert not MonthClose.objects.filter(month=timeline.current).exists()


def test_demo_village_summary_signed_and_submitted(timeline):
    """MGT.3.SUMMARY: the month before the latest signed and submitted; the latest prepared,
    waiting in the village secretary's 待办."""
    closed = timeline.closed
    latest = MonthlySummary.objects.get(month=closed, village__jurisdiction__code=DEMO_VILLAGE)
    assert latest.state == "prepared"
    cunshuji = User.objects.get(username="cunshuji")
    items = {i.kind: i for i in todo_list(user=cunshuji, today=timeline.today)}
    assert items["summary_sign"].count == 1
    summary = MonthlySummary.objects.get(
        month=timeline.months[1], village__jurisdiction__code=DEMO_VILLAGE
    )
    assert summary.state == "submitted"
    assert summary.signed_by.username == "cunshuji"
    assert summary.prepared_by == User.objects.get(username="shuji").cadre
    names = {r["name"] for r in summary.rows}
    assert User.objects.get(username="duiyuan").display_name in names
    assert all(r["diary_entries"] > 0 for r in summary.rows)
    others = MonthlySummary.objects.filter(month=closed).exclude(pk=latest.pk)
    assert set(others.values_list("state", flat=True)) <= {"prepared"}


def test_audit_batches_and_chain():
    checked, broken, reason = chain_verify()
    assert broken is None, reason
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    batches = Event.objects.filter(action="attendance.record_batch")
    groups = set(CheckIn.objects.values_list("cadre_id", "day__month").distinct()) | set(
        DiaryEntry.objects.values_list("cadre_id", "day__month").distinct()
    )
    assert batches.count() == len(groups)
    total = 0
    for e in batches.select_related("actor"):
        assert e.actor.cadre_id == e.after["cadre"]
        if "checkins" in e.after:
            b = e.after["checkins"]
            assert b["last_id"] - b["first_id"] + 1 == b["count"]
            total += b["count"]
    assert total == CheckIn.objects.count()
    # per-row events only for the workflow-shaped parts
    actions = Counter(Event.objects.values_list("action", flat=True))
    assert actions["checkin.record"] == 0
    assert actions["checkin.review"] == CheckInReview.objects.count()
    assert (
        actions["leave.request"]
        == LeaveRequest.objects.exclude(kind="after_term").exclude(pk__in=TRAINING_LEAVE).count()
    )
    assert actions["leave.training"] == LeaveRequest.objects.filter(pk__in=TRAINING_LEAVE).count()
    assert actions["leave.after_term"] == LeaveRequest.objects.filter(kind="after_term").count()
    assert actions["attendance.month_close"] == MonthClose.objects.count()
    assert actions["interview.record"] == 1


def test_loading_again_adds_nothing(demo):
    before = (
        counts(),
        CheckIn.objects.count(),
        DiaryEntry.objects.count(),
        LeaveRequest.objects.count(),
        Event.objects.count(),
    )
    again = load_demo()
    assert not again.loaded and not again.attendance
    after = (
        counts(),
        CheckIn.objects.count(),
        DiaryEntry.objects.count(),
        LeaveRequest.objects.count(),
        Event.objects.count(),
    )
    assert after == before
    assert not CheckIn.objects.filter(received_at__lt=F("device_time") - dt.timedelta(hours=1))


def test_command_prints_where_to_look(demo):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "考勤演示" in text and "约谈名单" in text and "xz" in text
    usernames = [a.username for a in demo.accounts]
    assert any(u.startswith("xz") for u in usernames)
    assert len(usernames) < 20  # a few of the many attendance accounts, not all of them
