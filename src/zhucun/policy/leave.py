"""MGT.1.LEAVE / MGT.1.DAYS — leave (外出请销假): kinds, approvers, overlaps, on-duty kinds.

"严格执行外出请销假制度,第一书记报乡镇(街道)党(工)委审批,工作队员报第一书记审批。"

Public API
----------
``LEAVE_KINDS``
    ``{"personal": "事假", "sick": "病假", "business_trip": "因公出差", "training": "培训",
    "meeting": "会议", "rotation_rest": "轮休"}``.  Rotation rest is further checked by
    ``check_rest`` (MGT.1.REST).
``leave_approver(role)``
    Who approves: ``first_secretary`` and ``team_leader`` → ``"township"`` (乡镇(街道)党(工)委);
    ``team_member`` → ``"first_secretary"``.  ``ValueError`` for another role.
``approver_findings(*, name, role, approver)``
    Error (MGT.1.LEAVE) when ``approver`` is not the one ``leave_approver(role)`` names.
``counts_as_duty(kind)``
    MGT.1.DAYS "每年在岗时间不少于…天(含因公出差)": business trips, training and meetings
    away from the village count as on duty; personal and sick leave and rotation rest do not.
    ``ValueError`` for an unknown kind.
``overlap_findings(*, name, start, end, existing)``
    A request overlapping (closed intervals: sharing one day is overlapping) any of the
    person's ``existing`` requests (``(start, end, label)``; a label that is a key of
    ``LEAVE_KINDS`` is shown in Chinese) ⇒ one error each (MGT.1.LEAVE): the earlier request
    must be cancelled or 销假 first.  ``end`` before ``start`` ⇒ one error and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal, get_args

from .findings import Finding
from .selection import ROLE_NAMES

LeaveKind = Literal["personal", "sick", "business_trip", "training", "meeting", "rotation_rest"]
LEAVE_KINDS: Mapping[str, str] = {
    "personal": "事假",
    "sick": "病假",
    "business_trip": "因公出差",
    "training": "培训",
    "meeting": "会议",
    "rotation_rest": "轮休",
}
assert tuple(LEAVE_KINDS) == get_args(LeaveKind)
ON_DUTY_KINDS: frozenset[str] = frozenset({"business_trip", "training", "meeting"})

Approver = Literal["township", "first_secretary"]
APPROVER_NAMES: Mapping[str, str] = {
    "township": "乡镇(街道)党(工)委",
    "first_secretary": "第一书记",
}
_APPROVERS: Mapping[str, Approver] = {
    "first_secretary": "township",
    "team_leader": "township",
    "team_member": "first_secretary",
}
_CLAUSE = "MGT.1.LEAVE"


def leave_approver(role: str) -> Approver:
    """Who approves the leave of a cadre in ``role`` (MGT.1.LEAVE)."""
    try:
        return _APPROVERS[role]
    except KeyError:
        raise ValueError(f"未知的驻村职务 {role!r}(应为 {' / '.join(_APPROVERS)})") from None


def approver_findings(*, name: str, role: str, approver: str) -> list[Finding]:
    """Error when ``approver`` is not who MGT.1.LEAVE names for ``role``."""
    expected = leave_approver(role)
    if approver == expected:
        return []
    shown = APPROVER_NAMES.get(approver, approver)
    return [
        Finding(
            _CLAUSE,
            "error",
            f"{name}({ROLE_NAMES[role]})的请假应报{APPROVER_NAMES[expected]}审批,"
            f"不能由{shown}审批({_CLAUSE})",
            {"name": name, "role": role, "approver": approver, "expected": expected},
        )
    ]


def counts_as_duty(kind: str) -> bool:
    """Whether a day of this kind of absence counts as on duty (MGT.1.DAYS)."""
    if kind not in LEAVE_KINDS:
        raise ValueError(f"未知的请假类型 {kind!r}(应为 {' / '.join(LEAVE_KINDS)})")
    return kind in ON_DUTY_KINDS


def _label(label: str) -> str:
    return LEAVE_KINDS.get(label, label)


def overlap_findings(
    *, name: str, start: date, end: date, existing: Sequence[tuple[date, date, str]]
) -> list[Finding]:
    """Errors for each existing request the new one overlaps (see module doc)."""
    if end < start:
        return [
            Finding(
                _CLAUSE,
                "error",
                f"{name} 的请假结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}"
                f"({_CLAUSE})",
                {"name": name, "start": start.isoformat(), "end": end.isoformat()},
            )
        ]
    findings: list[Finding] = []
    for other_start, other_end, label in existing:
        if other_start <= end and start <= other_end:
            first = max(start, other_start)
            last = min(end, other_end)
            findings.append(
                Finding(
                    _CLAUSE,
                    "error",
                    f"{name} 申请的 {start.isoformat()} 至 {end.isoformat()} 与已有的"
                    f"{_label(label)}({other_start.isoformat()} 至 {other_end.isoformat()})"
                    f"重叠 {(last - first).days + 1} 天,须先撤销或销假({_CLAUSE})",
                    {
                        "name": name,
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "other_start": other_start.isoformat(),
                        "other_end": other_end.isoformat(),
                        "other": label,
                        "overlap_days": (last - first).days + 1,
                    },
                )
            )
    return findings
