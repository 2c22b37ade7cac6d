"""Attendance in the demo (MGT.1, MGT.3; issue 4 item 10): three months and a bit of check-ins,
work diaries, leave and rotation rest for every cadre in post, with the last full month closed.

The period runs from the first day of the third month before the demo's today (timeline.py)
to the day before it: three complete months, and the current month up to yesterday — the
newest check-in is from the last working day before today. The latest complete month is
closed. The scripted scenarios' days: attendance_days.py.

How it is written
-----------------
* **Leave and rotation rest** (~300 requests) go through ``attendance.services`` one by one,
  each step by its own actor: the cadre asks (``leave_request_create``), the routed approver
  decides (``leave_decide``: a team member's leave by the village's first secretary, a first
  secretary's by the township), the cadre closes it (``leave_return``, 销假). So the ⅓ and
  once-a-quarter rules are checked by the services themselves; a request they refuse is simply
  not made. Small teams (1–2 people) rest one at a time: ⅓ rounded down, never below one
  (CLAUSES.md settled reading of MGT.1.REST). Each chain
  costs ~30 ms, which is what keeps the number of requests modest.
* **Check-ins** (~80,000) are too many for ``checkin_record`` (one audit-chain lock per row):
  they are judged in Python with the very functions the service calls — ``judge_checkin``
  (status, counts, distance, findings, and through it ``checkin_day``) and ``fraud_signals``
  — with the same arguments, fed with the facts the service would read from the database
  (the previous check-in by device time, the other cadres on the device, repeats of the exact
  coordinates, approved leave), replayed in the order the server would have received them.
  They are written in one ``executemany`` (``_insert``: ``bulk_create`` spends ~0.3 ms a row
  compiling SQL), grouped by cadre and month so that each cadre-month has one contiguous id
  range, and the fraud signals with ``bulk_create``.
* **Work diaries** (~70,000) likewise, on most days at the post and some days away on duty.
* **One audit event per cadre-month** (``attendance.record_batch``, actor the cadre's own
  account): the month's check-ins (count, id range, counted, counts by status, signals by
  kind) and diary entries (count, id range, duties) — ~4,100 events instead of ~150,000.
* The township's **reviews** of exceptions (``checkin_review``, by the township's account),
  the **month close** of the three complete months for every township at once (``month_close``
  without an actor, as ``zhucun close-month YYYY-MM`` runs it after each month), the demo
  village's **monthly summaries** (the month before the latest: ``summary_prepare`` by shuji →
  ``summary_sign`` by cunshuji → ``summary_submit``; the latest: prepared, waiting for
  cunshuji's signature, an item of cunshuji's 待办; the other first secretaries of 遮放镇 have
  prepared theirs) and one **interview**
  (``interview_record`` by the organisation department managing the cadre) go through the
  services.

Accounts: every township gets an account ``xz`` + its 9-digit code (遮放镇 keeps ``zhefang``)
and every cadre in post one named after their mobile number (the demo's ``shuji`` and
``duiyuan`` keep theirs); all with the demo password, none of them audited (as accounts.py).

What it leaves behind on purpose (``_Loader.cast`` picks the cadres): an offline burst (three days' check-ins of a
cadre in a mountain village arriving together on the fourth morning, within the 72-hour
window, so they count), a check-in uploaded after the window (recorded, not counted), two
cadres on one phone, a fake-location cadre (exactly repeated coordinates), a check-in on a day
of approved leave, an impossible-speed pair, a 6-person team with 2 resting in one week (its
⅓ limit), and a cadre in 遮放镇 far below the pace with many unexplained missing days, on
the closed month's interview list and interviewed.

Deterministic with the seed; ``load`` does nothing when there are check-ins or leave already.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import services as att
from zhucun.attendance.models import (
    CheckIn,
    DiaryEntry,
    FraudSignal,
    LeaveKind,
    LeaveRequest,
    LeaveState,
    MonthClose,
    MonthlyAttendance,
    MonthlySummary,
)
from zhucun.attendance.models.leave import EXCUSED_KINDS, TAKEN_STATES
from zhucun.attendance.services._common import findings_json
from zhucun.attendance.services.checkin_record import fraud_signal_of
from zhucun.audit.services import event_record
from zhucun.core.errors import ValidationFailed
from zhucun.core.rows import column_adapter
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import Parameters, WorkCalendar
from zhucun.policy.checkin import judge_checkin
from zhucun.policy.dates import month_label
from zhucun.policy.fraud import CheckinFact, fraud_signals
from zhucun.policy.geo import distance_m, to_wgs84
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus, Role, Village

from . import attendance_text as T
from . import people
from .accounts import DEMO_VILLAGE, Account, Hashes
from .attendance_days import Days
from .places import COUNTY_BY_CODE, EXCEPTION_VILLAGE, PREFECTURE, TOWNSHIP_BY_CODE
from .timeline import Timeline

ZHEFANG = "533103102000"
MOUNTAIN_VILLAGE = "533103204201"  # 芒市中山乡: where the offline burst happens
LIMIT_VILLAGE = EXCEPTION_VILLAGE  # 6 people: 2 may rest at once (⅓ limit)
BATCH = 2000
_TZ = ZoneInfo(settings.TIME_ZONE)


# ---- entry points ----------------------------------------------------------------------------


def load(rng: random.Random, hashes: Hashes, *, timeline: Timeline) -> bool:
    """Write the attendance demo inside the loader's transaction; False (and nothing written)
    when the demo village is missing or attendance data exist already."""
    if not Village.objects.filter(jurisdiction__code=DEMO_VILLAGE).exists():
        return False
    if CheckIn.objects.exists() or LeaveRequest.objects.exists():
        return False
    _Loader(rng, hashes, timeline).run()
    return True


def township_username(code: str) -> str:
    return "xz" + code[:9]


def extra_accounts(hashes: Hashes) -> list[Account]:
    """Two of the many accounts the attendance demo adds, for the account table: the first
    secretary of the team at its ⅓ rest limit and that village's township."""
    from .accounts import _account, _chain

    rows: list[Account] = []
    village = Village.objects.filter(jurisdiction__code=LIMIT_VILLAGE).first()
    if village is None:
        return rows
    fs = (
        Posting.objects.filter(
            village=village, status=PostingStatus.ACTIVE, role=Role.FIRST_SECRETARY
        )
        .select_related("cadre")
        .first()
    )
    user = User.objects.filter(cadre=fs.cadre).first() if fs else None
    if fs is not None and user is not None:
        scope = f"{_chain(village.jurisdiction)} 第一书记 {fs.cadre.name}(6人队,轮休达⅓上限)"
        rows.append(_account(hashes, user, scope))
    township = User.objects.filter(
        role=UserRole.TOWNSHIP, jurisdiction_id=village.township_id
    ).first()
    if township is not None:
        rows.append(_account(hashes, township, _chain(township.jurisdiction)))
    return rows


def period() -> tuple[dt.date, dt.date]:
    """The first and the last day with a check-in (the demo's period, as loaded)."""
    days = CheckIn.objects.aggregate(first=models.Min("day"), last=models.Max("day"))
    return days["first"], days["last"]


def summary_lines() -> list[str]:
    """What the command prints about the attendance demo: where to look."""
    if not CheckIn.objects.exists():
        return []
    by_status = Counter(CheckIn.objects.values_list("status", flat=True))
    counted = CheckIn.objects.filter(counts=True).count()
    signals = Counter(FraudSignal.objects.values_list("kind", flat=True))
    leave = Counter(
        LeaveRequest.objects.exclude(state=LeaveState.CANCELLED).values_list("kind", flat=True)
    )
    labels = dict(LeaveKind.choices)
    lines = [
        f"签到 {sum(by_status.values())} 条(计入在岗 {counted} 条;"
        + "、".join(f"{k} {n}" for k, n in sorted(by_status.items()))
        + f"),工作日志 {DiaryEntry.objects.count()} 篇,请假 "
        + "、".join(f"{labels[k]} {leave[k]}" for k in labels if leave[k]),
        "异常签到提示(MGT.1.FRAUD):" + "、".join(f"{k} {n}" for k, n in sorted(signals.items())),
    ]
    closed = MonthClose.objects.order_by("-month").values_list("month", flat=True).first()
    closes = MonthClose.objects.filter(month=closed).count()
    interview = MonthlyAttendance.objects.filter(month=closed, needs_interview=True)
    lines.append(
        f"{month_label(closed)}已结账的乡镇(街道) {closes} 个,列入约谈名单 {interview.count()} 人;"
        "南棒村月度在岗情况汇总已由村党组织书记签字并报乡镇"
    )
    lines.append(
        "另有:每个乡镇(街道)党(工)委账号 xz+9位乡镇代码(遮放镇为 zhefang),"
        "每名在岗驻村干部账号(用户名为本人手机号),密码同上"
    )
    return lines


# ---- the loader ------------------------------------------------------------------------------


class _MemoParameters(Parameters):
    """The parameters in force, remembering each lookup (80,000 check-ins ask the same few)."""

    def __init__(self, base: Parameters) -> None:
        super().__init__(list(base), home_jurisdiction=base.home_jurisdiction)
        self._memo: dict[tuple[Any, ...], Any] = {}

    def lookup(self, name: str, *, on: dt.date, jurisdiction: Any = ()) -> Any:
        key = (name, on, jurisdiction if isinstance(jurisdiction, str) else tuple(jurisdiction))
        if key not in self._memo:
            self._memo[key] = super().lookup(name, on=on, jurisdiction=jurisdiction)
        return self._memo[key]

    def int_value(self, name: str, *, on: dt.date, jurisdiction: Any = ()) -> int:
        key = (
            "int",
            name,
            on,
            jurisdiction if isinstance(jurisdiction, str) else tuple(jurisdiction),
        )
        if key not in self._memo:
            self._memo[key] = super().int_value(name, on=on, jurisdiction=jurisdiction)
        return self._memo[key]


class _MemoCalendar(WorkCalendar):
    def __init__(self, base: WorkCalendar) -> None:
        super().__init__(extra=base.extra, extra_years=base.extra_years)
        self._days: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day not in self._days:
            self._days[day] = super().is_workday(day)
        return self._days[day]


@dataclass
class _Post:
    posting: Posting
    user: User
    code: str  # village code
    centre: tuple[float, float]  # the fixed point in WGS-84
    point: tuple[float, float, str] | None  # as stored, for judge_checkin
    device: str
    away: set[dt.date] = field(default_factory=set)  # days away on leave (any kind)
    duty_away: dict[dt.date, tuple[str, str]] = field(default_factory=dict)  # day → kind, what
    cadre_id: int = 0  # the constants judge() needs 80,000 times, read once
    name: str = ""
    village_id: int = 0
    village_name: str = ""
    radius_m: int | None = None
    miss: float = 0.0015  # chance of an unexplained missing working day
    diary: float = 0.9  # chance of a diary entry on a day at the post
    special: str = ""

    @property
    def cadre(self) -> Any:
        return self.posting.cadre

    @property
    def village(self) -> Village:
        return self.posting.village

    @property
    def is_fs(self) -> bool:
        return self.posting.role in (Role.FIRST_SECRETARY, Role.TEAM_LEADER)


@dataclass
class _Spec:
    """One check-in as the phone sends it."""

    post: _Post
    device_time: dt.datetime
    received_at: dt.datetime
    lat: Decimal | None
    lng: Decimal | None
    accuracy: float | None
    device: str
    offline: bool | None = False
    no_position_reason: str = ""
    review: tuple[bool, str] | None = None  # the township's decision, if any


class _Loader:
    def __init__(self, rng: random.Random, hashes: Hashes, timeline: Timeline) -> None:
        self.rng, self.hashes, self.timeline = rng, hashes, timeline
        self.last = timeline.today  # nothing on or after the demo's today
        self.calendar = _MemoCalendar(work_calendar())
        self.params = _MemoParameters(parameters_current())
        self.days = Days.of(timeline, self.calendar)
        self.closed = timeline.closed
        self.past = list(self.days.past)
        self.posts: list[_Post] = []
        self.by_village: dict[int, list[_Post]] = defaultdict(list)
        self.township_users: dict[int, User] = {}
        self.specs: list[_Spec] = []
        self.used: set[int] = set()  # cadres with a scripted role
        self.state = _Stored()  # what checkin_record would find stored, during the replay

    def run(self) -> None:
        self.accounts()
        self.cast()
        self.leave()
        self.checkins()
        self.close()

    # -- accounts --------------------------------------------------------------------------

    def accounts(self) -> None:
        townships = list(
            Jurisdiction.objects.filter(level=Level.TOWNSHIP, township_villages__isnull=False)
            .distinct()
            .order_by("code")
        )
        have = {
            u.jurisdiction_id: u
            for u in User.objects.filter(role=UserRole.TOWNSHIP).order_by("id")
            if u.jurisdiction_id
        }
        taken = set(User.objects.values_list("username", flat=True))
        new = []
        for t in townships:
            if t.pk not in have and township_username(t.code) not in taken:
                party = "党工委" if t.name.endswith("街道") else "党委"
                new.append(
                    User(
                        username=township_username(t.code),
                        role=UserRole.TOWNSHIP,
                        display_name=f"{t.name}{party}",
                        jurisdiction=t,
                        password=self.hashes.make(),
                    )
                )
        postings = list(
            Posting.objects.filter(status=PostingStatus.ACTIVE)
            .select_related("cadre__unit", "village__jurisdiction", "village__township")
            .order_by("village__jurisdiction__code", "role", "id")
        )
        users = {u.cadre_id: u for u in User.objects.filter(cadre__isnull=False)}
        for p in postings:
            if p.cadre_id not in users and p.cadre.phone not in taken:
                fs = p.role in (Role.FIRST_SECRETARY, Role.TEAM_LEADER)
                new.append(
                    User(
                        username=p.cadre.phone,
                        role=UserRole.FIRST_SECRETARY if fs else UserRole.TEAM_MEMBER,
                        display_name=p.cadre.name,
                        cadre=p.cadre,
                        password=self.hashes.make(),
                    )
                )
        User.objects.bulk_create(new, batch_size=500)
        for u in User.objects.filter(role=UserRole.TOWNSHIP).order_by("-id"):
            if u.jurisdiction_id:
                self.township_users[u.jurisdiction_id] = u
        zhefang = User.objects.filter(username="zhefang").first()
        if zhefang is not None and zhefang.jurisdiction_id:
            self.township_users[zhefang.jurisdiction_id] = zhefang
        users = {u.cadre_id: u for u in User.objects.filter(cadre__isnull=False)}
        rng = self.rng
        for p in postings:
            if p.cadre_id not in users:
                continue
            v = p.village
            point = None
            seat = TOWNSHIP_BY_CODE[v.jurisdiction.code[:9]]
            centre = (seat.lat, seat.lng)
            if v.checkin_lat is not None and v.checkin_lng is not None:
                point = (float(v.checkin_lat), float(v.checkin_lng), v.checkin_datum)
                centre = to_wgs84(*point)
            brand = rng.choice(["HUAWEI", "HONOR", "OPPO", "vivo", "Xiaomi", "iPhone"])
            post = _Post(
                posting=p,
                user=users[p.cadre_id],
                code=v.jurisdiction.code,
                centre=centre,
                point=point,
                device=f"{brand}-{rng.getrandbits(48):012x}",
                cadre_id=p.cadre_id,
                name=p.cadre.name,
                village_id=v.pk,
                village_name=v.jurisdiction.name,
                radius_m=v.checkin_radius_m,
            )
            if rng.random() < 0.03:  # a sloppier cadre: now and then no check-in, no reason
                post.miss = 0.02
            self.posts.append(post)
            self.by_village[v.pk].append(post)

    # -- who plays which part ----------------------------------------------------------------

    def cast(self) -> None:
        posts = self.posts
        by_user = {p.user.username: p for p in posts}
        self.shuji, self.duiyuan = by_user.get("shuji"), by_user.get("duiyuan")
        for p in (self.shuji, self.duiyuan):
            if p is not None:
                p.special, p.diary = "demo", 0.97
                self.used.add(p.cadre.pk)
        zhefang = [p for p in posts if p.code.startswith(ZHEFANG[:9]) and p.code != DEMO_VILLAGE]
        demo_team = [p for p in posts if p.code == DEMO_VILLAGE and p.cadre.pk not in self.used]
        mountain = [
            p for p in posts if TOWNSHIP_BY_CODE[p.code[:9]].mountain and p.code[:9] != ZHEFANG[:9]
        ]
        mountain.sort(key=lambda p: (p.code != MOUNTAIN_VILLAGE, p.code, p.is_fs))
        limit = [p for p in posts if p.code == LIMIT_VILLAGE]
        self.limit_team = limit if len(limit) >= 6 else []
        for p in self.limit_team:
            p.special = "limit"
        self.behind = self.pick("behind", zhefang, tm=True)
        if self.behind is not None:
            self.behind.miss, self.behind.diary = 0.45, 0.6
        self.burst = self.pick("burst", mountain, tm=True)
        self.late = self.pick("late", mountain, tm=False)
        pairs = [
            [p for p in self.by_village[v] if not p.is_fs and not p.special]
            for v in self.by_village
        ]
        pairs = [t for t in pairs if len(t) >= 2]
        pairs.sort(key=lambda t: (not t[0].code.startswith(ZHEFANG[:9]), t[0].code))
        self.shared: tuple[_Post, _Post] | None = None
        if pairs:
            self.shared = (pairs[0][0], pairs[0][1])
            for p in self.shared:
                p.special = "shared"
                self.used.add(p.cadre.pk)
        self.repeat = self.pick("repeat", demo_team + zhefang, tm=True)
        self.on_leave = self.pick("on_leave", zhefang + posts, tm=False)
        self.speed = self.pick("speed", zhefang + posts, tm=False)

    def pick(self, role: str, pool: Iterable[_Post], *, tm: bool) -> _Post | None:
        pool = list(pool)
        for fs in (not tm, tm):  # the role asked for first, the other if there is none
            for p in pool:
                if p.cadre.pk in self.used or p.special or p.is_fs != fs:
                    continue
                if p.posting.arrival_date > self.timeline.start:
                    continue
                p.special = role
                self.used.add(p.cadre.pk)
                return p
        return None

    # -- leave, through the services ------------------------------------------------------

    def approver(self, post: _Post) -> User | None:
        if post.is_fs:
            return self.township_users.get(post.village.township_id)
        fs = next((p for p in self.by_village[post.village.pk] if p.is_fs), None)
        return fs.user if fs is not None else None

    def ask(
        self,
        post: _Post,
        kind: str,
        start: dt.date,
        end: dt.date,
        reason: str,
        *,
        outcome: str = "returned",
        back: dt.date | None = None,
    ) -> LeaveRequest | None:
        """One request through the services; None when they refuse it."""
        if start < post.posting.arrival_date:
            return None
        approver = self.approver(post)
        if approver is None:
            return None
        try:
            leave = att.leave_request_create(
                actor=post.user, kind=kind, start=start, end=end, reason=reason
            )
        except ValidationFailed:
            return None
        if outcome == "pending":
            self.mark(post, leave)
            return leave
        approve = outcome != "rejected"
        leave = att.leave_decide(
            actor=approver,
            leave_id=leave.pk,
            approve=approve,
            note="同意" if approve else T.REJECT_NOTE,
        )
        if approve and outcome == "returned" and (back or self.rng.random() < 0.75):
            back = back or self.calendar.add_working_days(end, 1)  # 销假 (a quarter not yet)
            if back <= self.last:
                leave = att.leave_return(actor=post.user, leave_id=leave.pk, returned_on=back)
        if approve:
            self.mark(post, leave)
        return leave

    def mark(self, post: _Post, leave: LeaveRequest) -> None:
        """The days the cadre is away (no check-in at the post); pending leave past counts."""
        day = leave.start
        while day <= leave.effective_end:
            post.away.add(day)
            if leave.kind in (LeaveKind.BUSINESS_TRIP, LeaveKind.TRAINING, LeaveKind.MEETING):
                post.duty_away[day] = (leave.kind, leave.reason)
            day += dt.timedelta(days=1)

    def free(self, post: _Post, start: dt.date, end: dt.date) -> bool:
        day = start
        while day <= end:
            if day in post.away:
                return False
            day += dt.timedelta(days=1)
        return start >= post.posting.arrival_date

    def leave(self) -> None:
        rng = self.rng
        self.scripted_leave()
        periods = self.days.rest_periods
        chances = [0.05] + [0.06] * (len(periods) - 1)
        upcoming = self.days.next_month_weeks
        for team in self.by_village.values():
            for post in sorted(team, key=lambda p: (not p.is_fs, p.cadre.pk)):
                if post.special:  # the scripted cadres rest only as scripted
                    continue
                for weeks, chance in zip(periods, chances, strict=True):
                    if rng.random() >= chance:
                        continue
                    for start, end in rng.sample(weeks, min(3, len(weeks))):
                        if not self.free(post, start, end):
                            continue
                        if rng.random() < 0.2:  # a whole week, weekend included
                            end += dt.timedelta(days=2)
                        if self.ask(
                            post,
                            LeaveKind.ROTATION_REST,
                            start,
                            end,
                            rng.choice(T.REST),
                        ):
                            break
                if rng.random() < 0.012 and upcoming:  # next month's rest, already approved
                    start, end = rng.choice(upcoming)
                    self.ask(
                        post, LeaveKind.ROTATION_REST, start, end, rng.choice(T.REST), outcome=""
                    )
        for post in self.posts:
            if post.special in ("", "limit"):
                self.ordinary_leave(post)
        self.pending()

    def scripted_leave(self) -> None:
        rng, days = self.rng, self.days
        if self.shuji is not None:
            self.ask(
                self.shuji, LeaveKind.ROTATION_REST, *days.shuji_rest, "季度轮休,回芒市家中休整"
            )
            self.ask(
                self.shuji,
                LeaveKind.TRAINING,
                *days.fs_training,
                T.FS_TRAINING,
                back=days.fs_training[1] + dt.timedelta(days=1),
            )
            self.ask(
                self.shuji,
                LeaveKind.MEETING,
                days.shuji_meeting,
                days.shuji_meeting,
                "参加县驻村工作推进会",
            )
        if self.duiyuan is not None:
            self.ask(
                self.duiyuan, LeaveKind.ROTATION_REST, *days.duiyuan_rest, "季度轮休,回家探望父母"
            )
            self.ask(
                self.duiyuan,
                LeaveKind.PERSONAL,
                days.duiyuan_personal,
                days.duiyuan_personal,
                "孩子开学报到,需回家办理",
            )
        if len(self.limit_team) >= 6:  # two of six at rest in one week: the ⅓ limit
            members = [p for p in self.limit_team if not p.is_fs][:2]
            for post in members:
                self.ask(post, LeaveKind.ROTATION_REST, *days.limit_week, rng.choice(T.REST))
        if self.on_leave is not None:
            self.ask(
                self.on_leave, LeaveKind.PERSONAL, *days.on_leave, "家中老人生病住院,需回家照料"
            )
        # The first secretaries' training: about a third of them, the demo's shuji included.
        for post in self.posts:
            if post.is_fs and not post.special and rng.random() < 0.12:
                if self.free(post, *days.fs_training):
                    self.ask(
                        post,
                        LeaveKind.TRAINING,
                        *days.fs_training,
                        T.FS_TRAINING,
                        back=days.fs_training[1] + dt.timedelta(days=1),
                    )
        # The counties' training of team members: two days in the first month, a few of them.
        for post in self.posts:
            if not post.is_fs and not post.special and rng.random() < 0.03:
                start = days.tm_training[int(post.code[4:6]) % 3]
                end = start + dt.timedelta(days=1)
                if self.free(post, start, end):
                    self.ask(post, LeaveKind.TRAINING, start, end, T.TM_TRAINING)

    def ordinary_leave(self, post: _Post) -> None:
        rng = self.rng
        plans = [
            (LeaveKind.PERSONAL, 0.04, (1, 2), T.PERSONAL),
            (LeaveKind.SICK, 0.02, (1, 3), T.SICK),
            (LeaveKind.BUSINESS_TRIP, 0.02, (2, 3), T.BUSINESS_TRIP),
            (LeaveKind.MEETING, 0.025, (1, 1), T.MEETING),
        ]
        for kind, chance, (low, high), reasons in plans:
            if rng.random() >= chance:
                continue
            days = [d for d in self.past if d >= post.posting.arrival_date]
            if len(days) < 10:
                continue
            for _ in range(3):
                start = rng.choice(days[:-4])
                end = self.calendar.add_working_days(start, rng.randint(low, high) - 1)
                if end >= self.last or not self.free(post, start, end):
                    continue
                outcome, back = "returned", None
                if kind == LeaveKind.PERSONAL and rng.random() < 0.06:
                    outcome = "rejected"
                elif kind == LeaveKind.SICK and end > start and rng.random() < 0.4:
                    back = end  # back a day early: the leave ends the day before
                self.ask(post, kind, start, end, rng.choice(reasons), outcome=outcome, back=back)
                break

    def pending(self) -> None:
        """Requests still waiting: in the demo village (for shuji) and in 遮放镇 (zhefang)."""
        rng, calendar, today = self.rng, self.calendar, self.timeline.today
        demo_team = [p for p in self.posts if p.code == DEMO_VILLAGE and not p.is_fs]
        others = [p for p in demo_team if p is not self.duiyuan and p is not self.repeat]
        if others:
            start = calendar.add_working_days(today, 3)
            self.ask(
                others[0],
                LeaveKind.PERSONAL,
                start,
                calendar.add_working_days(start, 1),
                "参加直系亲属婚礼",
                outcome="pending",
            )
        fs = [p for p in self.posts if p.is_fs and p.code.startswith(ZHEFANG[:9]) and not p.special]
        if fs:
            start = calendar.add_working_days(today, 6)
            self.ask(
                fs[0],
                LeaveKind.BUSINESS_TRIP,
                start,
                calendar.add_working_days(start, 2),
                "赴昆明对接农产品销售",
                outcome="pending",
            )
        for post in rng.sample(self.posts, min(12, len(self.posts))):
            if post.special:
                continue
            kind = rng.choice([LeaveKind.PERSONAL, LeaveKind.BUSINESS_TRIP, LeaveKind.MEETING])
            start = calendar.add_working_days(today, rng.randint(1, 13))
            reasons = {
                LeaveKind.PERSONAL: T.PERSONAL,
                LeaveKind.BUSINESS_TRIP: T.BUSINESS_TRIP,
                LeaveKind.MEETING: T.MEETING,
            }[kind]
            self.ask(post, kind, start, start, rng.choice(reasons), outcome="pending")

    # -- check-ins ----------------------------------------------------------------------------

    def checkins(self) -> None:
        """Plan, judge (in the order received), write check-ins, signals and diaries in bulk,
        one audit event per cadre-month; then the township's reviews through the service."""
        for post in self.posts:
            self.plan_checkins(post)
        self.scripted_checkins()
        self.specs.sort(key=lambda s: (s.received_at, s.post.cadre.pk))
        leave = self.excused_leave()
        judged = [self.judge(s, leave) for s in self.specs]
        # Written grouped by cadre and month, so each batch has one contiguous id range.
        judged.sort(key=lambda j: (j.row["cadre_id"], j.row["day"], j.row["device_time"]))
        _insert(CheckIn, [j.row for j in judged])
        att.checkin_keys_fill()
        FraudSignal.objects.bulk_create(
            [
                fraud_signal_of(
                    f,
                    cadre_id=j.row["cadre_id"],
                    village_id=j.row["village_id"],
                    checkin_id=j.row["id"],
                )
                for j in judged
                for f in j.signals
            ],
            batch_size=BATCH,
        )
        diary = self.diary_rows(judged)
        _insert(DiaryEntry, diary)
        self.record_batches(judged, diary)
        self.reviews(judged)

    def record_batches(self, judged: list[_Judged], diary: list[dict[str, Any]]) -> None:
        """One audit event per cadre-month: its check-ins and diary entries, with the counts and
        the id ranges (each range is contiguous: the rows were written in that order)."""
        users = {p.cadre.pk: p.user for p in self.posts}
        entries = _grouped(diary)
        for (cadre_id, month), batch in _grouped(judged, row=True).items():
            rows = [j.row for j in batch]
            mine = entries.pop((cadre_id, month), [])
            self.event(users[cadre_id], cadre_id, month, rows, batch, mine)
        for (cadre_id, month), mine in entries.items():  # a month away: diary only
            self.event(users[cadre_id], cadre_id, month, [], [], mine)

    def event(
        self,
        user: User,
        cadre_id: int,
        month: dt.date,
        rows: list[dict[str, Any]],
        batch: list[_Judged],
        diary: list[dict[str, Any]],
    ) -> None:
        after: dict[str, Any] = {"cadre": cadre_id, "month": month.strftime("%Y-%m")}
        if rows:
            after["checkins"] = {
                "count": len(rows),
                "first_id": rows[0]["id"],
                "last_id": rows[-1]["id"],
                "counted": sum(r["counts"] for r in rows),
                "by_status": dict(Counter(r["status"] for r in rows)),
                "signals": dict(
                    Counter(str(f.data.get("signal")) for j in batch for f in j.signals)
                ),
            }
        if diary:
            after["diary"] = {
                "count": len(diary),
                "first_id": diary[0]["id"],
                "last_id": diary[-1]["id"],
                "duties": dict(Counter(d for e in diary for d in e["duties"])),
            }
        first = rows[0]["id"] if rows else diary[0]["id"]
        last = rows[-1]["id"] if rows else diary[-1]["id"]
        event_record(
            actor=user,
            action="attendance.record_batch",
            object_type="attendance.checkin" if rows else "attendance.diaryentry",
            object_id=f"{first}-{last}",
            after=after,
            note="演示数据:本人本月的签到和工作日志批量写入,每人每月一条审计事件;"
            "签到的判定和异常提示与 checkin_record 相同(policy.judge_checkin、fraud_signals)",
        )

    def plan_checkins(self, post: _Post) -> None:
        rng = self.rng
        for day in self.past:
            if day < post.posting.arrival_date or day in post.away:
                continue
            miss = post.miss if post.special != "behind" or day >= self.days.behind_from else 0.1
            if rng.random() < miss:
                continue
            if post.special and post.special not in ("limit",) and self.scripted_day(post, day):
                continue
            r = rng.random()
            if post.special in ("demo",) and day < self.timeline.current:
                r = 1.0  # the demo accounts' closed months stay clean
            if r < 0.0025:
                self.off_fence(post, day)
            elif r < 0.0037:
                self.specs.append(self.spec(post, day, accuracy=rng.uniform(150, 450)))
            elif r < 0.0042:
                spec = self.spec(post, day)
                spec.lat = spec.lng = spec.accuracy = None
                spec.no_position_reason = T.NO_POSITION_REASON
                self.specs.append(spec)
                again = self.spec(post, day)
                again.device_time = spec.device_time + dt.timedelta(minutes=rng.randint(2, 9))
                again.received_at = again.device_time + dt.timedelta(seconds=rng.uniform(1, 9))
                self.specs.append(again)
            else:
                self.specs.append(self.spec(post, day))

    def scripted_day(self, post: _Post, day: dt.date) -> bool:
        """Days the scripted scenarios write themselves (True: skip the ordinary check-in)."""
        s, d = post.special, self.days
        return (
            (s == "burst" and day in d.burst_days)
            or (s == "late" and day == d.late_day)
            or (s == "shared" and post is self.shared[1] and day in d.shared_days)  # type: ignore[index]
            or (s == "repeat" and day in d.repeat_days)
            or (s == "on_leave" and day == d.on_leave[1])
            or (s == "speed" and day == d.speed_day)
        )

    def spec(
        self,
        post: _Post,
        day: dt.date,
        *,
        at: tuple[float, float] | None = None,
        accuracy: float | None = None,
        spread: float = 90.0,
    ) -> _Spec:
        rng = self.rng
        minutes = rng.randint(0, 150) if rng.random() < 0.9 else rng.randint(150, 600)
        local = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(
            minutes=minutes, seconds=rng.randint(0, 59)
        )
        device_time = local.replace(tzinfo=_TZ)
        received = device_time + dt.timedelta(seconds=round(rng.uniform(0.4, 25.0), 3))
        # A phone is never exactly on the point: a few metres to ~spread away, mostly near.
        lat, lng = self.near(at or post.centre, rng.triangular(4, spread, 20))
        if accuracy is None:
            accuracy = float(round(rng.triangular(5, 60, 14)))
        return _Spec(post, device_time, received, lat, lng, accuracy, post.device)

    def near(self, centre: tuple[float, float], metres: float) -> tuple[Decimal, Decimal]:
        bearing = self.rng.uniform(0, 2 * math.pi)
        lat = centre[0] + metres * math.cos(bearing) / 111_320
        lng = centre[1] + metres * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
        return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")

    def off_fence(self, post: _Post, day: dt.date) -> None:
        rng = self.rng
        where, _said, accept = rng.choice(T.OFF_FENCE)
        if where == "county":
            c = COUNTY_BY_CODE[post.code[:6]]
            at = (c.lat, c.lng)
        elif where == "township":
            t = TOWNSHIP_BY_CODE[post.code[:9]]
            at = (t.lat, t.lng)
        else:
            at = (PREFECTURE[2], PREFECTURE[3])
        radius = post.village.checkin_radius_m or 500
        if distance_m(*at, *post.centre) < radius + 1500:  # the seat is next door: 3 km away
            at = (post.centre[0] + 0.027, post.centre[1])
        spec = self.spec(post, day, at=at, spread=300)
        if day >= self.days.recent_from:  # the township has not looked at most of these yet
            review = None if rng.random() < 0.7 else (True, accept)
        elif rng.random() < 0.08:
            review = (False, T.REJECT_REVIEW)
        else:
            review = (True, accept)
        spec.review = review
        self.specs.append(spec)

    def scripted_checkins(self) -> None:
        d = self.days
        if self.burst is not None:  # offline three days, all sent on the fourth morning
            arrival = d.burst_arrival.replace(tzinfo=_TZ)
            for i, day in enumerate(d.burst_days):
                spec = self.spec(self.burst, day)
                # in the morning, so that the fourth morning is within the 72-hour window
                minutes = self.rng.randint(5, 70)
                spec.device_time = dt.datetime.combine(day, dt.time(8, 0), tzinfo=_TZ)
                spec.device_time += dt.timedelta(minutes=minutes, seconds=self.rng.randint(0, 59))
                spec.received_at = arrival + dt.timedelta(seconds=i * 2 + 0.35)
                spec.offline = True
                self.specs.append(spec)
        if self.late is not None:  # sent four days later: after the 72-hour window
            spec = self.spec(self.late, d.late_day)
            spec.received_at = d.late_arrival.replace(tzinfo=_TZ)
            spec.offline = True
            self.specs.append(spec)
        if self.shared is not None:  # B checks in on A's phone
            a, b = self.shared
            for day in d.shared_days:
                spec = self.spec(b, day)
                spec.device = a.device
                self.specs.append(spec)
        if self.repeat is not None:  # a fake-location app: the same coordinates every day
            first = self.spec(self.repeat, d.repeat_days[0])
            self.specs.append(first)
            for day in d.repeat_days[1:]:
                spec = self.spec(self.repeat, day)
                spec.lat, spec.lng, spec.accuracy = first.lat, first.lng, first.accuracy
                self.specs.append(spec)
        if self.on_leave is not None:  # someone checked in for them on a day of leave
            self.specs.append(self.spec(self.on_leave, d.on_leave[1]))
        if self.speed is not None:  # the village at 8:20, 芒市 twelve minutes later
            here = self.spec(self.speed, d.speed_day)
            here.device_time = dt.datetime.combine(d.speed_day, dt.time(8, 20, 7), tzinfo=_TZ)
            here.received_at = here.device_time + dt.timedelta(seconds=3.2)
            there = self.spec(self.speed, d.speed_day, at=(PREFECTURE[2], PREFECTURE[3]))
            there.device_time = here.device_time + dt.timedelta(minutes=12, seconds=31)
            there.received_at = there.device_time + dt.timedelta(seconds=2.7)
            self.specs += [here, there]

    def excused_leave(self) -> dict[int, list[tuple[dt.date, dt.date]]]:
        """Approved (or returned) personal / sick leave and rest, as checkin_record sees it."""
        out: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for cadre_id, start, end, actual in LeaveRequest.objects.filter(
            state__in=TAKEN_STATES, kind__in=list(EXCUSED_KINDS)
        ).values_list("cadre_id", "start", "end", "actual_end"):
            out[cadre_id].append((start, actual if actual is not None else end))
        return out

    def judge(self, s: _Spec, leave: dict[int, list[tuple[dt.date, dt.date]]]) -> _Judged:
        """What checkin_record would store for ``s``, given what was stored before it."""
        post = s.post
        cadre_id, name = post.cadre_id, post.name
        flat = float(s.lat) if s.lat is not None else None
        flng = float(s.lng) if s.lng is not None else None
        judgement = judge_checkin(
            name=name,
            lat=flat,
            lng=flng,
            accuracy_m=s.accuracy,
            point=post.point,
            radius_m=post.radius_m,
            device_time=s.device_time,
            received_at=s.received_at,
            params=self.params,
            jurisdiction=post.code,
            village=post.village_name,
            tz=settings.TIME_ZONE,
        )
        day = judgement.day
        assert day is not None
        state = self.state
        others = [n for cid, n in state.devices.get(s.device, {}).items() if cid != cadre_id]
        identical = 1
        if s.lat is not None:
            identical += state.coords[cadre_id][(s.lat, s.lng)]
        times = state.times[cadre_id]
        i = bisect.bisect_right(times, s.device_time)
        previous = None
        if i:
            prev = state.facts[cadre_id][i - 1]
            previous = CheckinFact(cadre_id, name, prev[0], prev[1], times[i - 1], *prev[2:])
        on_leave = any(a <= day <= b for a, b in leave.get(cadre_id, ()))
        found = fraud_signals(
            current=CheckinFact(cadre_id, name, flat, flng, s.device_time, s.received_at, s.device),
            previous=previous,
            other_cadres_on_device=others[:20],
            identical_coordinates_count=identical,
            on_leave=on_leave,
            params=self.params,
            jurisdiction=post.code,
            offline=s.offline,
        )
        # What is stored now, for the check-ins received after this one.
        if s.device:
            state.devices[s.device].setdefault(cadre_id, name)
        if s.lat is not None:
            state.coords[cadre_id][(s.lat, s.lng)] += 1
        times.insert(i, s.device_time)
        state.facts[cadre_id].insert(i, (flat, flng, s.received_at, s.device))
        row = {
            "cadre_id": cadre_id,
            "village_id": post.village_id,
            "client_key": uuid.UUID(int=self.rng.getrandbits(128), version=4),
            "day": day,
            "device_time": s.device_time,
            "received_at": s.received_at,
            "lat": s.lat,
            "lng": s.lng,
            "accuracy_m": s.accuracy,
            "distance_m": judgement.distance_m,
            "status": judgement.status,
            "counts": judgement.counts,
            "device_id": s.device,
            "no_position_reason": s.no_position_reason,
            "findings": findings_json(judgement.findings) if judgement.findings else [],
        }
        return _Judged(row, found, s)

    def reviews(self, judged: list[_Judged]) -> None:
        """The township's decisions on the kept exceptions, through ``checkin_review``: the
        scripted ones, and the low-accuracy check-ins of the months before the current one."""
        for j in judged:
            row, review = j.row, j.spec.review
            if row["counts"]:
                continue
            current = self.timeline.current
            if review is None and row["status"] == "low_accuracy" and row["day"] < current:
                review = (True, T.LOW_ACCURACY_ACCEPT)
            township = self.township_users.get(j.spec.post.village.township_id)
            if review is None or township is None:
                continue
            accept, reason = review
            att.checkin_review(actor=township, checkin_id=row["id"], accept=accept, reason=reason)

    def diary_rows(self, judged: list[_Judged]) -> list[dict[str, Any]]:
        """MGT.1.DIARY on most days at the post (any check-in that day) and on some days away
        on duty (training, meetings, trips), as the cadre would have written them."""
        rng = self.rng
        at_post: dict[int, set[dt.date]] = defaultdict(set)
        for j in judged:
            at_post[j.row["cadre_id"]].add(j.row["day"])
        now = timezone.now()
        # 70,000 entries drawn from a few thousand written ones: the texts vary by month and
        # by whether the village is on the border (边境管控), not by the day.
        pool = {
            (month, border): [T.diary_entry(rng, month, border=border) for _ in range(300)]
            for month in self.timeline.months
            for border in (False, True)
        }
        rows = []
        for post in self.posts:
            border, days = post.village.border, at_post[post.cadre.pk]
            for day in self.past:
                if day < post.posting.arrival_date:
                    continue
                if day in days:
                    if rng.random() >= post.diary:
                        continue
                    duties, text = rng.choice(pool[(day.replace(day=1), border)])
                elif day in post.duty_away:
                    if rng.random() >= 0.6:
                        continue
                    duties, text = T.away_diary(*post.duty_away[day])
                else:
                    continue
                rows.append(
                    {
                        "cadre_id": post.cadre.pk,
                        "village_id": post.village.pk,
                        "day": day,
                        "duties": duties,
                        "text": text,
                        "created_at": now,
                        "updated_at": now,
                        "created_by_id": post.user.pk,
                    }
                )
        return rows

    # -- month close, summary, interview --------------------------------------------------

    def close(self) -> None:
        # As ``zhucun close-month YYYY-MM`` runs after each month ends: every township at once,
        # the three complete months in order (the charts draw the attendance rate over them).
        for month in self.timeline.months[:3]:
            att.month_close(actor=None, month=month)
        if self.shuji is not None:
            # the month before: prepared, signed by the village secretary, submitted
            earlier = self.timeline.months[1]
            summary = att.summary_prepare(
                actor=self.shuji.user,
                month=earlier,
                note="本月工作队按规定驻村,请销假手续齐全;日志已按日填写",
            )
            secretary = User.objects.filter(
                role=UserRole.VILLAGE_SECRETARY, village=self.shuji.village
            ).first()
            if secretary is not None:
                att.summary_sign(actor=secretary, summary_id=summary.pk)
                att.summary_submit(actor=self.shuji.user, summary_id=summary.pk)
            # the latest month: prepared, waiting for the village secretary's signature (待办)
            att.summary_prepare(
                actor=self.shuji.user,
                month=self.closed,
                note="本月工作队按规定驻村,请销假手续齐全;日志已按日填写",
            )
        for post in self.posts:  # the other first secretaries of 遮放镇 have prepared theirs
            if post.is_fs and post.code.startswith(ZHEFANG[:9]) and post is not self.shuji:
                if not MonthlySummary.objects.filter(
                    month=self.closed, village=post.village
                ).exists():
                    att.summary_prepare(actor=post.user, month=self.closed)
        self.interview()

    def interview(self) -> None:
        rng = self.rng
        post = self.behind
        row = (
            MonthlyAttendance.objects.filter(
                month=self.closed, cadre=post.cadre, needs_interview=True
            ).first()
            if post is not None
            else None
        )
        if post is None or row is None:
            return
        # MGT.3.TALK: the organisation department managing the cadre by the unit's level
        unit = post.cadre.unit
        managing = (
            User.objects.filter(
                role=UserRole.COUNTY, jurisdiction__code__startswith=unit.jurisdiction.code[:6]
            )
            if unit.level == "county"
            else User.objects.filter(role=UserRole.PREFECTURE)
        ).first()
        if managing is None:
            return
        leader = people.person_name(rng, "汉族", False)
        unit_leader = people.person_name(rng, "汉族", rng.random() < 0.3)
        att.interview_record(
            actor=managing,
            cadre_id=post.cadre.pk,
            month=self.closed,
            township_leader=f"{TOWNSHIP_BY_CODE[post.code[:9]].name}党委副书记 {leader}",
            unit_leader=f"{post.cadre.unit.name}分管领导 {unit_leader}",
            held_on=self.days.interview_day,
            record=T.INTERVIEW_RECORD.format(
                month=month_label(self.closed),
                duty=row.duty_workdays,
                workdays=row.workdays,
                missing=row.workdays - row.duty_workdays - row.excused_workdays,
            ),
        )


@dataclass
class _Stored:
    """What checkin_record would find in the database: devices → cadres, each cadre's
    coordinates and check-ins by device time."""

    devices: dict[str, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    coords: dict[int, Counter[tuple[Decimal, Decimal]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    times: dict[int, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))
    facts: dict[int, list[tuple[Any, Any, dt.datetime, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )


@dataclass
class _Judged:
    row: dict[str, Any]  # the CheckIn's columns (attnames)
    signals: list[Any]  # the MGT.1.FRAUD findings
    spec: _Spec


def _grouped(rows: Iterable[Any], *, row: bool = False) -> dict[tuple[int, dt.date], list[Any]]:
    out: dict[tuple[int, dt.date], list[Any]] = defaultdict(list)
    for r in rows:
        d = r.row if row else r
        out[(d["cadre_id"], d["day"].replace(day=1))].append(r)
    return out


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (attname → value) with ``executemany`` and set each row's ``id``.
    Values are adapted as ``bulk_create`` adapts them (``get_db_prep_save``; dates, times,
    decimals and JSON through the backend's own adapters directly) — ``bulk_create`` itself
    spends ~0.3 ms a row compiling SQL. The new ids are read back in id order, which is the
    order of insertion in this one transaction; the cadre of every row is checked."""
    # a column with a database default that the rows do not give is left to the database
    # (e.g. a check-in's ``source``: "" for this system's own)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and (not rows or f.attname in rows[0] or f.db_default is models.NOT_PROVIDED)
    ]
    ops = connection.ops

    adapters = [(f.attname, column_adapter(f)) for f in fields]
    values = [
        tuple(r[name] if a is None or r[name] is None else a(r[name]) for name, a in adapters)
        for r in rows
    ]
    table = ops.quote_name(model._meta.db_table)
    cols = ", ".join(ops.quote_name(f.column) for f in fields)
    before = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with connection.cursor() as cursor:
        for i in range(0, len(values), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})",
                values[i : i + BATCH],
            )
    new = model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", "cadre_id")
    written = list(new.iterator(chunk_size=5000))
    if len(written) != len(rows) or any(
        c != r["cadre_id"] for (_, c), r in zip(written, rows, strict=True)
    ):
        raise RuntimeError(f"演示数据:{model._meta.verbose_name}写入后的编号与写入顺序不符")
    for (pk, _), r in zip(written, rows, strict=True):
        r["id"] = pk


__all__ = ["extra_accounts", "load", "period", "summary_lines", "township_username"]
