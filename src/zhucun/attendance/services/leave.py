"""MGT.1.LEAVE / MGT.1.REST: leave requests and their workflow, rotation rest under the ⅓ and
once-a-quarter rules, special periods.

States: pending → approved | rejected | cancelled; approved → returned (销假) | cancelled
(before it starts). Routing (policy ``leave_approver``): a first secretary's (team leader's)
leave is approved by the township of the village, a team member's by the village's first
secretary. Anyone else who can see the request gets 403; who cannot, 404.

Rotation rest is checked with ``policy.check_rest`` when requested (errors refuse it) and
again when approved, under row locks on the village and the cadre, so that concurrent
approvals can never put more than ⅓ of a team at rest on one day nor give one cadre two rests
in a quarter: every approval of a rest in a village serialises on the village row before it
counts the approved rests. A team too small for anyone to rest (warning) needs a reason
recorded by the township (``leave_override_record``, or ``override_reason`` when the township
is the approver itself)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.notices.services import notice_send, users_of_cadre
from zhucun.params.selectors import parameters_current
from zhucun.policy import Finding
from zhucun.policy.leave import LEAVE_KINDS, approver_findings, leave_approver, overlap_findings
from zhucun.policy.rest import check_rest, quarter_of
from zhucun.registry import scopes as registry_scopes
from zhucun.registry.models import Cadre, Level, Posting, PostingStatus, Village

from .. import scopes
from ..models import ApproverLevel, LeaveKind, LeaveRequest, LeaveState, SpecialPeriod
from ..models.leave import LIVE_STATES, TAKEN_STATES
from ._common import cadre_posting, days_between, findings_json, parse_date, raise_errors, text
from .monthclose import lock_township, month_reclose_touched

DECLARE_ROLES = (UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY)


# ---- request -------------------------------------------------------------------------------


@transaction.atomic
def leave_request_create(
    *, actor: User, kind: str, start: Any, end: Any, reason: str
) -> LeaveRequest:
    """A cadre asks for leave for themself."""
    posting = cadre_posting(actor)
    errors: dict[str, str] = {}
    if kind not in LEAVE_KINDS:
        errors["kind"] = "请假类别应为:" + "、".join(LEAVE_KINDS.values())
    s = parse_date(start, "start", errors, "开始日期")
    e = parse_date(end, "end", errors, "结束日期")
    reason = text(reason, "reason", errors, "事由", max_len=300)
    if s and e and e < s:
        errors["end"] = "结束日期不能早于开始日期"
    if s and s < posting.arrival_date:
        errors["start"] = f"开始日期不能早于到岗日期{posting.arrival_date}"
    if errors:
        raise ValidationFailed(errors)
    assert s is not None and e is not None
    cadre = Cadre.objects.select_for_update().get(pk=posting.cadre_id)  # one request at a time
    raise_errors(_overlaps(cadre, s, e, exclude=None), "请假时间重叠")
    findings: list[Finding] = []
    if kind == LeaveKind.ROTATION_REST:
        findings = _rest_findings(cadre=cadre, village=posting.village, start=s, end=e)
        raise_errors(findings, "不符合轮休规定")
    leave = LeaveRequest.objects.create(
        cadre=cadre,
        posting=posting,
        village=posting.village,
        kind=kind,
        start=s,
        end=e,
        reason=reason,
        approver_level=leave_approver(posting.role),
        findings=findings_json(findings),
    )
    event_record(actor=actor, action="leave.request", obj=leave, after=model_snapshot(leave))
    return leave


def _overlaps(cadre: Cadre, start: dt.date, end: dt.date, *, exclude: int | None) -> list[Finding]:
    qs = LeaveRequest.objects.filter(cadre=cadre, state__in=LIVE_STATES, start__lte=end).filter(
        Q(actual_end__gte=start) | Q(actual_end__isnull=True, end__gte=start)
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    existing = [(r.start, r.effective_end, r.kind) for r in qs]
    return overlap_findings(name=cadre.name, start=start, end=end, existing=existing)


def _rest_findings(
    *, cadre: Cadre, village: Village, start: dt.date, end: dt.date, exclude: int | None = None
) -> list[Finding]:
    """check_rest with the team's approved rests counted now (call under the village lock
    when approving)."""
    year, quarter = quarter_of(start)
    q_start = dt.date(year, 3 * quarter - 2, 1)
    q_end = dt.date(
        year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1
    ) - dt.timedelta(days=1)
    rests = LeaveRequest.objects.filter(kind=LeaveKind.ROTATION_REST, state__in=TAKEN_STATES)
    if exclude is not None:
        rests = rests.exclude(pk=exclude)
    this_quarter = rests.filter(cadre=cadre, start__gte=q_start, start__lte=q_end).count()
    team = Posting.objects.filter(village=village, status=PostingStatus.ACTIVE)
    team_size = max(team.count(), 1)
    resting: Counter[dt.date] = Counter()
    others = (
        rests.filter(cadre_id__in=team.values("cadre_id"), start__lte=end)
        .exclude(cadre=cadre)
        .filter(Q(actual_end__gte=start) | Q(actual_end__isnull=True, end__gte=start))
    )
    for r in others:
        for day in days_between(max(r.start, start), min(r.effective_end, end)):
            resting[day] += 1
    code = village.jurisdiction.code
    periods = [
        (p.start, p.end, p.reason)
        for p in SpecialPeriod.objects.filter(
            jurisdiction__code__in=village.jurisdiction.chain_codes(),
            start__lte=end,
            end__gte=start,
        )
    ]
    return check_rest(
        name=cadre.name,
        start=start,
        end=end,
        rests_this_quarter=this_quarter,
        team_size=team_size,
        resting_by_day=resting,
        special_periods=periods,
        params=parameters_current(),
        jurisdiction=code,
    )


# ---- decide --------------------------------------------------------------------------------


def _approver_ok(actor: User, leave: LeaveRequest) -> bool:
    if leave.approver_level == ApproverLevel.TOWNSHIP:
        return (
            actor.role == UserRole.TOWNSHIP
            and actor.jurisdiction_id is not None
            and leave.village.jurisdiction.path.startswith(actor.jurisdiction.path)
        )
    return (
        actor.role == UserRole.FIRST_SECRETARY
        and actor.cadre_id is not None
        and actor.cadre_id != leave.cadre_id
        and registry_scopes.own_village_id(actor) == leave.village_id
    )


def _load_for_approver(actor: User, leave_id: Any) -> LeaveRequest:
    leave = (
        scopes.leave_visible(actor)
        .select_related("cadre", "posting", "village__jurisdiction")
        .filter(pk=_int(leave_id))
        .first()
    )
    if leave is None:
        raise NotFound("请假申请不存在或不在您的管辖范围内")
    if not _approver_ok(actor, leave):
        approver = {UserRole.TOWNSHIP: "township", UserRole.FIRST_SECRETARY: "first_secretary"}
        found = approver_findings(
            name=leave.cadre.name,
            role=leave.posting.role,
            approver=approver.get(actor.role, actor.get_role_display()),
        )
        raise Forbidden(found[0].message if found else "您不是该请假的审批人(MGT.1.LEAVE)")
    return leave


def _lock(leave: LeaveRequest) -> LeaveRequest:
    """Lock the team (village row), then the cadre, then re-read the request."""
    Village.objects.select_for_update().filter(pk=leave.village_id).first()
    Cadre.objects.select_for_update().filter(pk=leave.cadre_id).first()
    return (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("cadre", "posting", "village__jurisdiction", "village__township")
        .get(pk=leave.pk)
    )


@transaction.atomic
def leave_decide(
    *, actor: User, leave_id: Any, approve: bool, note: str = "", override_reason: str = ""
) -> LeaveRequest:
    """The routed approver approves or rejects a pending request."""
    leave = _lock(_load_for_approver(actor, leave_id))
    errors: dict[str, str] = {}
    note = text(note, "note", errors, "审批意见", max_len=300, required=not approve)
    override_reason = text(
        override_reason, "override_reason", errors, "理由", max_len=300, required=False
    )
    if leave.state != LeaveState.PENDING:
        errors["state"] = f"该请假当前状态为“{leave.get_state_display()}”,不能审批"
    if errors:
        raise ValidationFailed(errors)
    before = {"state": leave.state}
    if approve:
        raise_errors(
            _overlaps(leave.cadre, leave.start, leave.end, exclude=leave.pk), "请假时间重叠"
        )
        if leave.kind == LeaveKind.ROTATION_REST:
            findings = _rest_findings(
                cadre=leave.cadre,
                village=leave.village,
                start=leave.start,
                end=leave.end,
                exclude=leave.pk,
            )
            raise_errors(findings, "不符合轮休规定")
            _require_override(actor, leave, findings, override_reason)
            leave.findings = findings_json(findings)
        leave.state = LeaveState.APPROVED
    else:
        leave.state = LeaveState.REJECTED
    if approve:
        lock_township(leave.village.township_id)
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.decision_note = note
    leave.save()
    event_record(
        actor=actor,
        action="leave.approve" if approve else "leave.reject",
        obj=leave,
        before=before,
        after={"state": leave.state, "override_reason": leave.override_reason},
        note=note,
    )
    if approve:
        _touch(actor, leave, "批准请假")
    notice_send(  # MGT.1.LEAVE: the decision reaches the cadre who asked
        users=users_of_cadre(leave.cadre_id),
        kind="leave_decided",
        title=f"您{leave.start.month}月{leave.start.day}日起的{leave.get_kind_display()}"
        + ("已获批准" if approve else "未获批准"),
        body=note,
        url="/m/leave/",
        clause="MGT.1.LEAVE",
    )
    return leave


def _require_override(
    actor: User, leave: LeaveRequest, findings: list[Finding], override_reason: str
) -> None:
    warnings = [f for f in findings if f.severity == "warning"]
    if not warnings or leave.override_reason:
        return
    message = ";".join(f.message for f in warnings)
    if actor.role != UserRole.TOWNSHIP:
        raise ValidationFailed(
            {"MGT.1.REST": message + " —— 须由乡镇(街道)党(工)委记录理由后方可批准"},
            message="存在须乡镇党委说明理由的提示事项",
        )
    if not override_reason:
        raise ValidationFailed(
            {"MGT.1.REST": message + " —— 如确需批准,请填写理由"},
            message="存在须说明理由的提示事项",
            needs_reason=True,
        )
    leave.override_reason = override_reason
    leave.override_by = actor


@transaction.atomic
def leave_override_record(*, actor: User, leave_id: Any, reason: str) -> LeaveRequest:
    """The township records its reason to let a small team's rotation rest through (the ⅓
    rule allows nobody); the routed approver (e.g. the first secretary) may then approve."""
    leave = (
        scopes.leave_visible(actor)
        .select_for_update(of=("self",))
        .filter(pk=_int(leave_id))
        .first()
    )
    if leave is None:
        raise NotFound("请假申请不存在或不在您的管辖范围内")
    if actor.role != UserRole.TOWNSHIP:
        raise Forbidden("小规模工作队轮休的理由由乡镇(街道)党(工)委记录(MGT.1.REST)")
    errors: dict[str, str] = {}
    reason = text(reason, "reason", errors, "理由", max_len=300)
    if leave.kind != LeaveKind.ROTATION_REST:
        errors["leave_id"] = "只有轮休需要记录理由"
    if leave.state != LeaveState.PENDING:
        errors["state"] = f"该请假当前状态为“{leave.get_state_display()}”"
    if errors:
        raise ValidationFailed(errors)
    leave.override_reason = reason
    leave.override_by = actor
    leave.save(update_fields=["override_reason", "override_by"])
    event_record(actor=actor, action="leave.override", obj=leave, after={"override_reason": reason})
    return leave


# ---- return, cancel ------------------------------------------------------------------------


@transaction.atomic
def leave_return(*, actor: User, leave_id: Any, returned_on: Any) -> LeaveRequest:
    """销假: the cadre (or the approver) records the day back at the post; the leave then
    covers ``start`` to the day before (never past its planned end)."""
    leave = (
        scopes.leave_visible(actor)
        .select_for_update(of=("self",))
        .select_related("cadre", "posting", "village__jurisdiction", "village__township")
        .filter(pk=_int(leave_id))
        .first()
    )
    if leave is None:
        raise NotFound("请假申请不存在或不在您的管辖范围内")
    if actor.cadre_id != leave.cadre_id and not _approver_ok(actor, leave):
        raise Forbidden("销假由本人或审批人办理(MGT.1.LEAVE)")
    errors: dict[str, str] = {}
    back = parse_date(returned_on, "returned_on", errors, "返岗日期")
    if leave.state != LeaveState.APPROVED:
        errors["state"] = f"该请假当前状态为“{leave.get_state_display()}”,不能销假"
    if back and back < leave.start:
        errors["returned_on"] = f"返岗日期不能早于请假开始日期{leave.start}"
    if back and back > timezone.localdate():
        errors["returned_on"] = "返岗日期不能晚于今天"
    if errors:
        raise ValidationFailed(errors)
    assert back is not None
    before = {"state": leave.state, "end": leave.end}
    lock_township(leave.village.township_id)
    leave.state = LeaveState.RETURNED
    leave.returned_on = back
    leave.actual_end = min(leave.end, back - dt.timedelta(days=1))
    leave.save(update_fields=["state", "returned_on", "actual_end"])
    event_record(
        actor=actor,
        action="leave.return",
        obj=leave,
        before=before,
        after={"state": leave.state, "returned_on": back, "actual_end": leave.actual_end},
    )
    _touch(actor, leave, "销假", days=days_between(leave.start, leave.end))
    return leave


@transaction.atomic
def leave_cancel(*, actor: User, leave_id: Any, reason: str = "") -> LeaveRequest:
    """The cadre withdraws a pending request, or an approved one that has not started."""
    leave = (
        scopes.leave_visible(actor)
        .select_for_update(of=("self",))
        .select_related("village__township")
        .filter(pk=_int(leave_id))
        .first()
    )
    if leave is None:
        raise NotFound("请假申请不存在或不在您的管辖范围内")
    if actor.cadre_id != leave.cadre_id:
        raise Forbidden("只有申请人本人可以撤回请假")
    was = leave.state
    if was not in (LeaveState.PENDING, LeaveState.APPROVED):
        raise ValidationFailed({"state": f"该请假当前状态为“{leave.get_state_display()}”,不能撤回"})
    if was == LeaveState.APPROVED and leave.start <= timezone.localdate():
        raise ValidationFailed({"state": "已开始的请假请办理销假"})
    leave.state = LeaveState.CANCELLED
    leave.save(update_fields=["state"])
    event_record(
        actor=actor,
        action="leave.cancel",
        obj=leave,
        before={"state": was},
        after={"state": leave.state},
        note=str(reason or "")[:300],
    )
    return leave


def _touch(actor: User, leave: LeaveRequest, what: str, days: list[dt.date] | None = None) -> None:
    month_reclose_touched(
        actor=actor,
        township_id=leave.village.township_id,
        days=days or days_between(leave.start, leave.effective_end),
        reason=f"{what}:{leave.cadre.name} {leave.start}至{leave.end} {leave.get_kind_display()}",
    )


# ---- special periods -----------------------------------------------------------------------


@transaction.atomic
def special_period_declare(
    *, actor: User, jurisdiction_code: str, start: Any, end: Any, reason: str
) -> SpecialPeriod:
    """A county or the prefecture declares a special period (no rotation rest in it)."""
    if actor.role not in DECLARE_ROLES:
        raise Forbidden("特殊时期由县(市)或州驻村工作领导协调机构宣布(MGT.1.REST)")
    j = registry_scopes.jurisdictions_visible(actor).filter(code=str(jurisdiction_code)).first()
    if j is None:
        raise NotFound("区划不存在或不在您的管辖范围内")
    errors: dict[str, str] = {}
    if j.level not in (Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP):
        errors["jurisdiction_code"] = "特殊时期应针对州、县(市)或乡镇(街道)宣布"
    s = parse_date(start, "start", errors, "开始日期")
    e = parse_date(end, "end", errors, "结束日期")
    reason = text(reason, "reason", errors, "事由", max_len=200)
    if s and e and e < s:
        errors["end"] = "结束日期不能早于开始日期"
    if errors:
        raise ValidationFailed(errors)
    period = SpecialPeriod.objects.create(
        jurisdiction=j, start=s, end=e, reason=reason, declared_by=actor
    )
    event_record(
        actor=actor,
        action="special_period.declare",
        obj=period,
        after={"jurisdiction": j.code, "start": s, "end": e, "reason": reason},
    )
    return period


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


__all__ = [
    "leave_cancel",
    "leave_decide",
    "leave_override_record",
    "leave_request_create",
    "leave_return",
    "special_period_declare",
]
