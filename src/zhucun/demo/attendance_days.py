"""The days of the attendance demo's scripted scenarios, worked out from the demo's today
(timeline.py) on the working-day calendar: each scenario keeps its place — in the closed month,
in the month before it, or in the last working days before today — whatever day the demo is
loaded on.

* months[0] (the first complete month): a team member's personal leave, the counties'
  two-day training of team members;
* months[1]: the leave with a check-in (MGT.1.FRAUD on_leave), the first secretaries'
  training, shuji's rotation rest;
* the closed month: the offline burst (three days sent on the fourth morning), the 6-person
  team with two resting in one week (⅓ limit), duiyuan's rest, shuji's meeting, the
  fake-location cadre's repeated coordinates;
* the last working days before today: two cadres on one phone, the impossible speed, the
  check-in sent after the 72-hour window; the township has not reviewed most exceptions of
  these days yet; the interview after the close;
* after today: requests waiting for a decision, next month's rest already approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhucun.policy import WorkCalendar
from zhucun.policy.dates import month_label
from zhucun.policy.rest import quarter_of

from .timeline import Timeline, month_end

Week = tuple[dt.date, dt.date]  # Monday, Friday


def full_weeks(calendar: WorkCalendar, first: dt.date, last: dt.date) -> list[Week]:
    """Monday–Friday weeks of working days between ``first`` and ``last``, each in one quarter."""
    out = []
    day = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    while day + dt.timedelta(days=4) <= last:
        friday = day + dt.timedelta(days=4)
        days = [day + dt.timedelta(days=i) for i in range(5)]
        if all(calendar.is_workday(d) for d in days) and quarter_of(day) == quarter_of(friday):
            out.append((day, friday))
        day += dt.timedelta(days=7)
    return out


def _span(week: Week, first: int, n: int) -> tuple[dt.date, ...]:
    return tuple(week[0] + dt.timedelta(days=first + i) for i in range(n))


@dataclass(frozen=True)
class Days:
    timeline: Timeline
    past: tuple[dt.date, ...]  # the working days from the start up to yesterday
    burst_days: tuple[dt.date, ...]
    burst_arrival: dt.datetime  # local time, the fourth morning
    limit_week: Week
    repeat_days: tuple[dt.date, ...]
    duiyuan_rest: Week
    shuji_meeting: dt.date
    on_leave: tuple[dt.date, dt.date]  # 事假; checked in on the second day
    fs_training: tuple[dt.date, dt.date]  # 州委组织部第一书记示范培训班
    shuji_rest: Week
    duiyuan_personal: dt.date
    tm_training: tuple[dt.date, ...]  # the first days of the counties' two-day trainings
    shared_days: tuple[dt.date, dt.date]
    speed_day: dt.date
    late_day: dt.date
    late_arrival: dt.datetime  # local time, four days later: after the 72-hour window
    recent_from: dt.date  # exceptions from this day on: mostly not reviewed yet
    behind_from: dt.date  # the cadre far below the pace misses many days from here
    interview_day: dt.date
    rest_periods: tuple[list[Week], ...]  # per quarter: the weeks ordinary rest may take
    next_month_weeks: list[Week]  # next month's rest, already approved

    @property
    def last_workday(self) -> dt.date:
        """The newest check-in's day: the last working day before the demo's today."""
        return self.past[-1]

    @classmethod
    def of(cls, timeline: Timeline, calendar: WorkCalendar) -> Days:
        m0, m1, closed, current = timeline.months
        today = timeline.today

        def weeks(month: dt.date) -> list[Week]:
            found = full_weeks(calendar, month, month_end(month))
            if not found:
                raise RuntimeError(f"演示数据:{month_label(month)}没有完整的工作周")
            return found

        def wk(found: list[Week], i: int) -> Week:
            return found[min(i, len(found) - 1)]

        past, day = [], timeline.start
        while day < today:
            if calendar.is_workday(day):
                past.append(day)
            day += dt.timedelta(days=1)
        c, w1, w0 = weeks(closed), weeks(m1), weeks(m0)
        burst = _span(c[0], 0, 3)
        late = past[-10]
        rest_periods = []
        for first, last in _quarters(timeline.start, past[-1]):
            rest_periods.append(full_weeks(calendar, first, last))
        return cls(
            timeline=timeline,
            past=tuple(past),
            burst_days=burst,
            burst_arrival=dt.datetime.combine(burst[-1] + dt.timedelta(days=1), dt.time(7, 55, 12)),
            limit_week=wk(c, 1),
            repeat_days=_span(c[-1], 0, 4),
            duiyuan_rest=wk(c, 1),
            shuji_meeting=wk(c, 1)[0] + dt.timedelta(days=3),
            on_leave=_span(w1[0], 0, 2),  # type: ignore[arg-type]
            fs_training=(wk(w1, 1)[0] + dt.timedelta(days=1), wk(w1, 1)[0] + dt.timedelta(days=3)),
            shuji_rest=w1[2] if len(w1) > 2 else w1[0],
            duiyuan_personal=wk(w0, 2)[0] + dt.timedelta(days=3),
            tm_training=tuple(wk(w0, i)[0] + dt.timedelta(days=1) for i in range(3)),
            shared_days=(past[-5], past[-4]),
            speed_day=past[-8],
            late_day=late,
            late_arrival=dt.datetime.combine(late + dt.timedelta(days=4), dt.time(9, 12, 40)),
            recent_from=late,
            behind_from=timeline.start + dt.timedelta(days=16),
            interview_day=min(calendar.add_working_days(month_end(closed), 5), today),
            rest_periods=tuple(rest_periods),
            next_month_weeks=full_weeks(
                calendar, timeline.next_month, month_end(timeline.next_month)
            ),
        )


def _quarters(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut at the quarters' boundaries."""
    out, start = [], first
    while start <= last:
        q_end = month_end(dt.date(start.year, (start.month - 1) // 3 * 3 + 3, 1))
        out.append((start, min(q_end, last)))
        start = q_end + dt.timedelta(days=1)
    return out
