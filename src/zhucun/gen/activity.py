"""Check-ins, leave and the work diary of the generated months.

Each cadre checks in once on every working day of the State Council calendar (weekends and
holidays skipped, 调休 workdays included — ``attendance.services.working_days_of``) except the
days of their approved leave. Status mix (MGT.1.CHECKIN): 95.5 % ``ok`` (counted), 2 %
``off_fence``, 1.5 % ``late`` (uploaded more than 72 hours later), 1 % ``low_accuracy``; only
``ok`` counts. One cadre in ten takes one approved leave of 1–3 working days a month
(personal, sick, business trip, training or meeting; a team member's approved by the first
secretary, a first secretary's by the township), and a diary entry is written on about one
day in five. The leave plan of a month is drawn from its own seeded generator, so the
check-ins, the leave and the diary tables draw the same plan again instead of keeping it."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator

from . import names
from .people import cadre_user, local_utc, township_user
from .world import Row, World

P_LEAVE = 0.1
P_DIARY = 0.2
METRES_PER_DEGREE = 111_195.0
LATE_WINDOW_H = 72
MIN_ACCURACY_M = 100
KINDS = [k for k, _ in names.LEAVE_KINDS]
KIND_WEIGHTS = [w for _, w in names.LEAVE_KINDS]

# cadre id → (first, last) index into the month's working days, kind, reason index
LeavePlan = dict[int, tuple[int, int, str, int]]


def leave_plan(world: World, month: dt.date, workdays: list[dt.date]) -> LeavePlan:
    rng = world.rng(f"leave:{month.isoformat()}")
    plan: LeavePlan = {}
    n = len(workdays)
    if not n:
        return plan
    for cid in sorted(rng.sample(range(1, world.cadres + 1), round(world.cadres * P_LEAVE))):
        first = rng.randrange(n)
        last = min(first + rng.randint(0, 2), n - 1)
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        plan[cid] = (first, last, kind, rng.randrange(len(names.LEAVE_REASONS[kind])))
    return plan


# ---- check-ins -----------------------------------------------------------------------------

CHECKIN_FIELDS = (
    "id",
    "cadre",
    "village",
    "client_key",
    "day",
    "device_time",
    "received_at",
    "lat",
    "lng",
    "accuracy_m",
    "distance_m",
    "status",
    "counts",
    "device_id",
    "no_position_reason",
    "findings",
)
# The check-in values are all generated strings without tabs, newlines or backslashes (the
# findings are JSON of fixed Chinese messages and numbers): nothing to escape in the hot loop.
CHECKIN_ESCAPE: tuple[str, ...] = ()


def _finding(status: str, message: str, **data: object) -> str:
    remedy = "township_correction" if status == "late" else "township_acceptance"
    return json.dumps(
        [
            {
                "clause": "MGT.1.CHECKIN",
                "severity": "warning",
                "message": f"{message}(MGT.1.CHECKIN)",
                "data": {"status": status, "remedy": remedy, **data},
            }
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]


def checkin_rows(world: World, months: list[tuple[dt.date, list[dt.date]]]) -> Iterator[Row]:
    """Day by day, cadre by cadre (the table's natural, time-ordered layout). The hot loop of
    the generator (20 million rows at national scale): every value is already a ``str``."""
    rng = world.rng("checkins")
    rand, getrandbits = rng.random, rng.getrandbits
    cos, sin, sqrt, pi2 = math.cos, math.sin, math.sqrt, 2 * math.pi
    clock = CLOCK
    n = world.cadres
    c_village, v_lat, v_lng, v_radius = world.c_village, world.v_lat, world.v_lng, world.v_radius
    lng_scale = [METRES_PER_DEGREE * math.cos(math.radians(lat)) for lat in v_lat]
    devices = [f"gen-{(cid * 0x9E3779B1) & 0xFFFFFFFF:08x}" for cid in range(n + 1)]
    cid_id = 0
    for month, workdays in months:
        plan = leave_plan(world, month, workdays)
        for wi, day in enumerate(workdays):
            day_s = day.isoformat()
            prev_s = (day - dt.timedelta(days=1)).isoformat()
            on_leave = {cid for cid, p in plan.items() if p[0] <= wi <= p[1]}
            for cid in range(1, n + 1):
                if cid in on_leave:
                    continue
                cid_id += 1
                v = c_village[cid - 1]
                radius = v_radius[v]
                r = rand()
                accuracy = 5.0 + 45.0 * rand()
                local = 27_000 + int(rand() * 10_800)  # 07:30–10:30 local time
                utc = local - 28_800
                device = f"{day_s} {clock[utc]}" if utc >= 0 else f"{prev_s} {clock[utc + 86_400]}"
                if r < 0.955:
                    status, counts, findings = "ok", "1", "[]"
                    dist = radius * 0.9 * sqrt(rand())
                else:
                    status, counts, dist, findings = _problem(r, radius, rand)
                    if status == "low_accuracy":
                        accuracy = 120.0 + 300.0 * rand()
                        findings = _finding(
                            status,
                            f"定位精度{accuracy:.0f}米,大于{MIN_ACCURACY_M}米",
                            accuracy_m=round(accuracy, 1),
                        )
                if status == "late":
                    hours = LATE_WINDOW_H + 1 + int(rand() * 128)
                    when = dt.datetime.fromisoformat(device) + dt.timedelta(
                        hours=hours, seconds=int(rand() * 3600)
                    )
                    received = when.strftime("%Y-%m-%d %H:%M:%S")
                    findings = _finding(
                        status, f"签到{hours}小时后才上传,超过{LATE_WINDOW_H}小时", hours=hours
                    )
                else:
                    sent = utc + 1 + int(rand() * 40)
                    received = (
                        f"{day_s} {clock[sent]}"
                        if sent >= 0
                        else f"{prev_s} {clock[sent + 86_400]}"
                    )
                theta = pi2 * rand()
                yield (
                    str(cid_id),
                    str(cid),
                    str(v + 1),
                    f"{getrandbits(128):032x}",
                    day_s,
                    device,
                    received,
                    f"{v_lat[v] + dist * cos(theta) / METRES_PER_DEGREE:.6f}",
                    f"{v_lng[v] + dist * sin(theta) / lng_scale[v]:.6f}",
                    f"{accuracy:.1f}",
                    f"{dist:.1f}",
                    status,
                    counts,
                    devices[cid],
                    "",
                    findings,
                )


def _problem(r: float, radius: int, rand: Callable[[], float]) -> tuple[str, str, float, str]:
    """(status, counts, distance, findings) of a check-in that does not count."""
    if r < 0.975:
        dist = radius * (1.2 + 3.0 * rand())
        message = f"签到位置距本村签到点{dist:.0f}米,超出签到范围{radius}米"
        finding = _finding("off_fence", message, distance_m=round(dist, 1), radius_m=radius)
        return "off_fence", "0", dist, finding
    dist = radius * 0.9 * math.sqrt(rand())
    return ("late" if r < 0.99 else "low_accuracy"), "0", dist, ""


# ---- leave ---------------------------------------------------------------------------------

LEAVE_FIELDS = (
    "id",
    "cadre",
    "posting",
    "village",
    "kind",
    "start",
    "end",
    "reason",
    "state",
    "approver_level",
    "findings",
    "created_at",
    "decided_by",
    "decided_at",
    "decision_note",
    "override_reason",
    "override_by",
    "returned_on",
    "actual_end",
)


def leave_rows(world: World, months: list[tuple[dt.date, list[dt.date]]]) -> Iterator[Row]:
    lid = 0
    for month, workdays in months:
        plan = leave_plan(world, month, workdays)
        for cid in sorted(plan):
            first, last, kind, reason = plan[cid]
            v = world.c_village[cid - 1]
            fs = world.c_fs[cid - 1]
            start, end = workdays[first], workdays[last]
            asked = start - dt.timedelta(days=3)
            approver = (
                township_user(world, world.v_township[v])
                if fs
                else cadre_user(world, world.village_fs[v])
            )
            lid += 1
            yield (
                lid,
                cid,
                cid,
                v + 1,
                kind,
                start.isoformat(),
                end.isoformat(),
                names.LEAVE_REASONS[kind][reason],
                "approved",
                "township" if fs else "first_secretary",
                "[]",
                local_utc(asked, 9),
                approver,
                local_utc(asked, 11),
                "同意",
                "",
                None,
                None,
                None,
            )


# ---- diary ---------------------------------------------------------------------------------

DIARY_FIELDS = (
    "id",
    "cadre",
    "village",
    "day",
    "duties",
    "text",
    "created_at",
    "updated_at",
    "created_by",
)


def diary_rows(world: World, months: list[tuple[dt.date, list[dt.date]]]) -> Iterator[Row]:
    rng = world.rng("diary")
    rand, choice = rng.random, rng.choice
    dlist = names.DUTY_LIST
    did = 0
    for month, workdays in months:
        plan = leave_plan(world, month, workdays)
        stamps = [local_utc(d, 20, 30) for d in workdays]
        for cid in range(1, world.cadres + 1):
            away = plan.get(cid)
            v = world.c_village[cid - 1] + 1
            user = cadre_user(world, cid)
            for wi, day in enumerate(workdays):
                if away and away[0] <= wi <= away[1]:
                    continue
                if rand() >= P_DIARY:
                    continue
                duty = choice(dlist)
                duties = [duty] if rand() < 0.7 else sorted({duty, choice(dlist)})
                did += 1
                yield (
                    did,
                    cid,
                    v,
                    day.isoformat(),
                    json.dumps(duties),
                    choice(names.DIARY_TEXTS[duty]),
                    stamps[wi],
                    stamps[wi],
                    user,
                )
