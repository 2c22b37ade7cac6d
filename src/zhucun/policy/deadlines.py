"""SEL — deadlines in working days: first-secretary appointment and party-relation transfer.

Public API
----------
``appointment_due(*, arrival, calendar, params=None, jurisdiction=())``
    SEL.METHOD.APPOINT10: the last day to appoint the first secretary, the
    ``appoint_fs_within_working_days``-th working day after the team's arrival (到位).
``party_transfer_due(*, reported, calendar, params=None, jurisdiction=())``
    SEL.METHOD.TRANSFER15: the last day to transfer a party member's organisation relation to
    the village's party organisation, the ``party_transfer_within_working_days``-th working day
    after reporting (报到).
``deadline_findings(*, kind, name, start, done_on, today, calendar, params=None,
jurisdiction=())``
    ``kind`` ``"appoint"`` or ``"transfer"``; ``start`` is the arrival or reporting day.

    * not done and ``today`` after the due day ⇒ error, with the working days overdue
      (working days after the due day up to and including ``today``; it may be 0 on a weekend
      right after the due day — still overdue) and the calendar days;
    * not done and at most ``appoint_fs_warn_working_days`` / ``party_transfer_warn_working_days``
      working days left (working days after ``today`` up to the due day; 0 on the due day) ⇒
      warning;
    * done after the due day ⇒ info noting the lateness in working days;
    * otherwise nothing.

Convention (``WorkCalendar.add_working_days``): the start day itself is not counted and the
due day still counts as in time.  Parameters are looked up on ``start``.

``CalendarUnknownError`` propagates: when a day that must be counted lies in a year whose
holiday schedule is not entered, these functions raise it ("请录入2027年节假日安排") instead of
guessing.  Only the days actually needed are asked (up to the due day, or up to ``today`` /
``done_on`` when past it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from .calendar import WorkCalendar
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

DeadlineKind = Literal["appoint", "transfer"]
_ONE_DAY = timedelta(days=1)


class _Rule(NamedTuple):
    clause: str
    within: str  # parameter: the deadline in working days
    warn: str  # parameter: the warning window in working days
    start_word: str
    task: str


_RULES: dict[str, _Rule] = {
    "appoint": _Rule(
        "SEL.METHOD.APPOINT10",
        "appoint_fs_within_working_days",
        "appoint_fs_warn_working_days",
        "工作队选派到位",
        "完成第一书记任命",
    ),
    "transfer": _Rule(
        "SEL.METHOD.TRANSFER15",
        "party_transfer_within_working_days",
        "party_transfer_warn_working_days",
        "报到",
        "将党组织关系转接到所驻村党组织",
    ),
}


def _rule(kind: str) -> _Rule:
    try:
        return _RULES[kind]
    except KeyError:
        raise ValueError(f"未知的期限类型 {kind!r}(应为 appoint / transfer)") from None


def _due(
    rule: _Rule,
    start: date,
    calendar: WorkCalendar,
    params: Parameters | None,
    jurisdiction: str | Sequence[str],
) -> tuple[date, int]:
    params = params or get_parameters()
    within = params.int_value(rule.within, on=start, jurisdiction=jurisdiction)
    return calendar.add_working_days(start, within), within


def appointment_due(
    *,
    arrival: date,
    calendar: WorkCalendar,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> date:
    """SEL.METHOD.APPOINT10: the last day (in time) to appoint the first secretary."""
    return _due(_RULES["appoint"], arrival, calendar, params, jurisdiction)[0]


def party_transfer_due(
    *,
    reported: date,
    calendar: WorkCalendar,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> date:
    """SEL.METHOD.TRANSFER15: the last day (in time) to transfer the party relation."""
    return _due(_RULES["transfer"], reported, calendar, params, jurisdiction)[0]


def deadline_findings(
    *,
    kind: DeadlineKind,
    name: str,
    start: date,
    done_on: date | None,
    today: date,
    calendar: WorkCalendar,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """The finding about one deadline as of ``today`` (see module doc); ``[]`` if in order."""
    rule = _rule(kind)
    params = params or get_parameters()
    due, within = _due(rule, start, calendar, params, jurisdiction)
    head = (
        f"{name}:{start.isoformat()}{rule.start_word},应在{within}个工作日内"
        f"(至{due.isoformat()}){rule.task}"
    )
    data: dict[str, Any] = {
        "kind": kind,
        "name": name,
        "start": start.isoformat(),
        "due": due.isoformat(),
        "limit_working_days": within,
        "today": today.isoformat(),
        "done_on": done_on.isoformat() if done_on else None,
    }
    if done_on is not None:
        if done_on <= due:
            return []
        late = calendar.working_days(due + _ONE_DAY, done_on)
        return [
            Finding(
                rule.clause,
                "info",
                f"{head},实际于{done_on.isoformat()}完成,逾期{late}个工作日({rule.clause})",
                {**data, "late_working_days": late, "late_days": (done_on - due).days},
            )
        ]
    if today > due:
        overdue = calendar.working_days(due + _ONE_DAY, today)
        days = (today - due).days
        late_text = (
            f"已逾期{overdue}个工作日({days}天)"
            if overdue
            else f"已超过期限{days}天(其间均为休息日)"
        )
        return [
            Finding(
                rule.clause,
                "error",
                f"{head},截至{today.isoformat()}尚未完成,{late_text}({rule.clause})",
                {**data, "overdue_working_days": overdue, "overdue_days": (today - due).days},
            )
        ]
    remaining = calendar.working_days(today + _ONE_DAY, due)
    window = params.int_value(rule.warn, on=start, jurisdiction=jurisdiction)
    if remaining > window:
        return []
    left = "今日到期" if today == due else f"尚余{remaining}个工作日"
    return [
        Finding(
            rule.clause,
            "warning",
            f"{head},截至{today.isoformat()}尚未完成,{left}({rule.clause})",
            {**data, "remaining_working_days": remaining, "warn_working_days": window},
        )
    ]
