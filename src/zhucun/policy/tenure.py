"""The end of a posting: MGT.TERM (no early end without MGT.9 / MGT.4), MGT.9.HANDOVER
(期满轮换、压茬交接 — one in, one out, no gap in coverage) and GUA.3.LEAVE15 (补假15天).

Periods follow 民法典 第201–202条 (CLAUSES.md): the day an event happens is not counted, the
period starts the next day.  A leaver whose last day is ``leaver_end`` covers the village
through that day; the replacement covers it from ``replacement_arrival`` on.

Public API
----------
``coverage_gap(*, leaver_end, replacement_arrival)``
    The days nobody covers: ``(first, last)`` from the day after ``leaver_end`` to the day
    before ``replacement_arrival``, or ``None`` when the replacement arrives on or before the
    day after the leaver's end.  Leaver ends 01-31, replacement arrives 02-06 ⇒ 02-01…02-05.
``gap_days(gap)``
    The number of days of a gap (0 for ``None``).
``handover_findings(*, name, leaver_end, replacement_name, replacement_arrival)``
    An end before the replacement's arrival ⇒ one error (MGT.9.HANDOVER) naming both people,
    the dates and the uncovered days; otherwise ``[]``.
``early_end_findings(*, name, end, regular_end, cause, reference)``
    ``cause == "term"`` and ``end`` before ``regular_end`` ⇒ one error (MGT.TERM); causes
    ``rotation`` (MGT.9.APPLY) and ``recall`` (MGT.4) may end early only with a reference
    (the granted application or the recall decision) ⇒ otherwise one error (MGT.TERM).
``leave_after_term(*, term_end, params=None, jurisdiction=())``
    ``(start, end)`` of the one-off leave: start the day after ``term_end``, ``end`` =
    start + ``leave_after_term_days`` − 1 in calendar days, weekends included (GUA.3.LEAVE15).
``term_end_notice_window(*, today, params=None, jurisdiction=())``
    ``(today, last)``: regular ends in this window are shown on the upcoming term-end list
    (``term_end_notice_days``, MGT.9.HANDOVER).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal, get_args

from .dates import date_label
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

Cause = Literal["term", "rotation", "recall"]
CAUSES: tuple[str, ...] = get_args(Cause)
CAUSE_NAMES = {"term": "任期届满", "rotation": "轮换调整(申请已批准)", "recall": "召回撤换"}
_DAY = timedelta(days=1)

Gap = tuple[date, date] | None


def coverage_gap(*, leaver_end: date, replacement_arrival: date) -> Gap:
    """The uncovered days between a leaver's last day and the replacement's arrival."""
    first = leaver_end + _DAY
    last = replacement_arrival - _DAY
    if last < first:
        return None
    return (first, last)


def gap_days(gap: Gap) -> int:
    if gap is None:
        return 0
    return (gap[1] - gap[0]).days + 1


def gap_label(gap: Gap) -> str:
    if gap is None:
        return "无空档"
    if gap[0] == gap[1]:
        return f"{date_label(gap[0])}(1天)"
    return f"{date_label(gap[0])}至{date_label(gap[1])}({gap_days(gap)}天)"


def handover_findings(
    *, name: str, leaver_end: date, replacement_name: str, replacement_arrival: date
) -> list[Finding]:
    """MGT.9.HANDOVER: the leaver stays until the replacement arrives (压茬交接)."""
    if leaver_end >= replacement_arrival:
        return []
    gap = coverage_gap(leaver_end=leaver_end, replacement_arrival=replacement_arrival)
    uncovered = f",{gap_label(gap)}无人驻村" if gap else ""
    return [
        Finding(
            "MGT.9.HANDOVER",
            "error",
            f"{name} 的结束日期{date_label(leaver_end)}早于接替人员{replacement_name}的到岗日期"
            f"{date_label(replacement_arrival)}{uncovered};“期满轮换、压茬交接”,"
            f"须待接替人员到岗后离岗,确需提前的须写明例外理由(MGT.9.HANDOVER)",
            {
                "name": name,
                "leaver_end": leaver_end.isoformat(),
                "replacement": replacement_name,
                "replacement_arrival": replacement_arrival.isoformat(),
                "gap_days": gap_days(gap),
            },
        )
    ]


def early_end_findings(
    *, name: str, end: date, regular_end: date, cause: str, reference: str
) -> list[Finding]:
    """MGT.TERM / SEL.COND.MUST2: no end before the regular end without MGT.9 or MGT.4."""
    if cause not in CAUSES:
        raise ValueError(f"未知的结束原因 {cause!r}(应为 {' / '.join(CAUSES)})")
    if end >= regular_end:
        return []
    data = {
        "name": name,
        "end": end.isoformat(),
        "regular_end": regular_end.isoformat(),
        "cause": cause,
    }
    if cause != "term" and reference.strip():
        return []
    how = (
        "须经批准的轮换调整申请(MGT.9.APPLY)或召回撤换(MGT.4)"
        if cause == "term"
        else f"{CAUSE_NAMES[cause]}须附批准文号或申请编号"
    )
    return [
        Finding(
            "MGT.TERM",
            "error",
            f"{name} 的任期正常期满日为{date_label(regular_end)},不能在{date_label(end)}提前"
            f"结束任职:任期未满,“保持稳定,不准随意换人”,{how}(MGT.TERM)",
            data,
        )
    ]


def leave_after_term(
    *, term_end: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> tuple[date, date]:
    """GUA.3.LEAVE15: the one-off leave after the term, in calendar days from the next day."""
    params = params or get_parameters()
    days = params.int_value("leave_after_term_days", on=term_end, jurisdiction=jurisdiction)
    start = term_end + _DAY
    return (start, start + timedelta(days=days - 1))


def term_end_notice_window(
    *, today: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> tuple[date, date]:
    """MGT.9.HANDOVER: the regular ends that are announced on the upcoming term-end list."""
    params = params or get_parameters()
    days = params.int_value("term_end_notice_days", on=today, jurisdiction=jurisdiction)
    return (today, today + timedelta(days=days))
