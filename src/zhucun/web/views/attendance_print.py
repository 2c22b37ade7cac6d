"""The attendance documents offices print and sign (issue 16, point 3), each on the one print
layout (web/_print_base.html: A4, title, issuing body, bordered table, 签字/盖章/日期 boxes,
page numbers): 请销假审批表 (MGT.1.LEAVE, MGT.1.REST), 约谈记录 (MGT.3.TALK), the team's
月度在岗情况汇总表 (MGT.3.SUMMARY) and the month's 出勤率排名表 (MGT.3.RANK). Each object is
read through the attendance selectors/scopes, so a page outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import scopes, selectors
from zhucun.attendance.models import LeaveRequest, MonthlySummary
from zhucun.core.errors import NotFound
from zhucun.policy.dates import date_label

from ._common import page_view
from .attendance_cadre import pct
from .attendance_common import (
    CADRES,
    SUMMARY_ROLES,
    TOWNSHIP,
    UPPER,
    month_label,
    month_param,
    refuse_unless,
)
from .attendance_team import summary_rows
from .print_layout import limited, pairs, signed

# Scoped like the object's pages: who has a page showing the object may print it.
RANKING_ROLES = UPPER | TOWNSHIP  # /township/month/, /attendance/rankings/
LEAVE_ROLES = (
    CADRES | TOWNSHIP | {UserRole.ADMIN}
)  # /m/leave/, /team/approvals/, /township/approvals/
INTERVIEW_ROLES = UPPER | TOWNSHIP  # /attendance/interviews/, /township/month/
SUMMARY_PRINT_ROLES = (
    SUMMARY_ROLES | TOWNSHIP | {UserRole.ADMIN}
)  # /team/summary/, /township/summaries/


def _village_names(village: Any) -> tuple[str, str, str]:
    """(village, township, county) names of a village."""
    township = village.township
    county = township.parent.name if township.parent_id else ""
    return village.jurisdiction.name, township.name, county


def _days(start: Any, end: Any) -> int:
    return (end - start).days + 1


# ---- 请销假审批表 -------------------------------------------------------------------------------


def _leave(user: User, pk: int) -> LeaveRequest:
    leave = (
        selectors.leave_list(user=user)
        .select_related("cadre__unit", "posting", "village__township__parent", "override_by")
        .filter(pk=pk)
        .first()
    )
    if leave is None:
        raise NotFound("请假记录不存在或不在您的管辖范围内")
    return leave


@page_view
def leave_print(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := refuse_unless(request, LEAVE_ROLES)) is not None:
        return refused
    leave = _leave(request.user, pk)
    village, township, county = _village_names(leave.village)
    township_level = leave.approver_level == "township"
    approver = f"{township}党(工)委" if township_level else f"{village}驻村第一书记"
    end = leave.effective_end
    decision = leave.get_state_display()
    if leave.decision_note:
        decision += f":{leave.decision_note}"
    if leave.decided_by_id:
        decision += f"(审批人:{leave.decided_by}"
        decision += (
            f",{date_label(timezone.localtime(leave.decided_at).date())})"
            if leave.decided_at
            else ")"
        )
    returned = "—"
    if leave.returned_on:
        returned = f"{date_label(leave.returned_on)}返岗(实际最后休假日{date_label(end)})"
    rows = pairs(
        ("姓名", leave.cadre.name, "性别", leave.cadre.get_gender_display()),
        ("派出单位", leave.cadre.unit.name, "驻村职务", leave.posting.get_role_display()),
        ("驻村", f"{county}{township}{village}", "审批层级", leave.get_approver_level_display()),
        (
            "类别",
            leave.get_kind_display(),
            "申请日期",
            date_label(timezone.localtime(leave.created_at).date()),
        ),
        (
            "请假时间",
            f"{date_label(leave.start)}至{date_label(leave.end)},共{_days(leave.start, leave.end)}天",
            "状态",
            leave.get_state_display(),
        ),
        ("事由", leave.reason),
        *(
            [
                (
                    "提示事项",
                    "\n".join(
                        f"[{f.get('clause', '')}] {f.get('message', '')}" for f in leave.findings
                    ),
                )
            ]
            if leave.findings
            else []
        ),
        *(
            [("乡镇党委说明理由", f"{leave.override_reason}(MGT.1.REST)")]
            if leave.override_reason
            else []
        ),
        ("审批意见", decision),
        ("销假情况", returned),
    )
    title = "驻村干部轮休审批表" if leave.kind == "rotation_rest" else "驻村干部请销假审批表"
    return render(
        request,
        "web/attendance/leave_print.html",
        {
            "leave": leave,
            "title": title,
            "issuer": f"{county}{township}",
            "rows": rows,
            "signatures": [
                signed("申请人", name=leave.cadre.name),
                signed(approver, seal=township_level, name=str(leave.decided_by or "")),
                signed("销假确认"),
            ],
        },
    )


# ---- 约谈记录 -----------------------------------------------------------------------------------


@page_view
def interview_print(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := refuse_unless(request, INTERVIEW_ROLES)) is not None:
        return refused
    user = request.user
    interview = (
        scopes.interviews_visible(user)
        .select_related(
            "cadre__unit", "village__jurisdiction", "village__township__parent", "recorded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        raise NotFound("约谈记录不存在或不在您的管辖范围内")
    village, township, county = _village_names(interview.village)
    month = month_label(interview.month)
    row = (
        selectors.monthly_list(user=user, month=interview.month)
        .filter(cadre_id=interview.cadre_id)
        .first()
    )
    attendance = "本月尚无结账数据"
    if row is not None:
        attendance = (
            f"应出勤{row.workdays}天,实际在岗{row.duty_workdays}天,出勤率{pct(row.rate)},"
            f"乡镇排名第{row.rank}名" + (",末位" if row.is_bottom else "")
        )
    rows = pairs(
        ("被约谈人", interview.cadre.name, "派出单位", interview.cadre.unit.name),
        ("驻村", f"{county}{township}{village}", "约谈日期", date_label(interview.held_on)),
        ("约谈事由", f"{month}无正当理由在岗天数未达当月工作日天数(MGT.3.TALK)"),
        ("当月出勤", attendance),
        (
            "约谈人",
            f"乡镇党委负责同志:{interview.township_leader};派出单位分管领导:{interview.unit_leader}",
        ),
        ("约谈记录", interview.record),
    )
    return render(
        request,
        "web/attendance/interview_print.html",
        {
            "interview": interview,
            "title": "驻村干部约谈记录",
            "issuer": f"{county}{township} · {month}",
            "rows": rows,
            "signatures": [
                signed("被约谈人", name=interview.cadre.name),
                signed("乡镇党委负责同志", name=interview.township_leader),
                signed("派出单位分管领导", name=interview.unit_leader),
                signed("记录人", name=str(interview.recorded_by)),
            ],
        },
    )


# ---- 月度在岗情况汇总表 ---------------------------------------------------------------------------


@page_view
def summary_print(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := refuse_unless(request, SUMMARY_PRINT_ROLES)) is not None:
        return refused
    summary: MonthlySummary | None = (
        selectors.summary_list(user=request.user)
        .select_related("village__township__parent")
        .filter(pk=pk)
        .first()
    )
    if summary is None:
        raise NotFound("在岗情况汇总不存在或不在您的管辖范围内")
    village, township, county = _village_names(summary.village)
    month = month_label(summary.month)

    def on(moment: Any) -> Any:
        return timezone.localtime(moment).date() if moment else None

    return render(
        request,
        "web/attendance/summary_print.html",
        {
            "summary": summary,
            "title": f"{village}{month}驻村工作队在岗情况汇总表",
            "issuer": f"{county}{township}{village}驻村工作队",
            "doc_date": f"依据乡镇结账第{summary.close_version}版 · {summary.get_state_display()}",
            "rows": summary_rows(summary),
            "signatures": [
                signed(
                    "驻村第一书记(汇总)", name=summary.prepared_by.name, on=on(summary.prepared_at)
                ),
                signed("村党组织书记", name=str(summary.signed_by or ""), on=on(summary.signed_at)),
                signed(f"{township}党(工)委(接收)", seal=True, on=on(summary.submitted_at)),
            ],
        },
    )


# ---- 出勤率排名表 -------------------------------------------------------------------------------


@page_view
def ranking_print(request: HttpRequest) -> HttpResponse:
    """The township's whole ranking of a month; for a county or the prefecture the bottom of
    every township in scope (as /attendance/rankings/ shows, filters included)."""
    if (refused := refuse_unless(request, RANKING_ROLES)) is not None:
        return refused
    user = request.user
    month = month_param(request)
    county = request.GET.get("county", "").strip()
    township = request.GET.get("township", "").strip()
    whole = user.role == UserRole.TOWNSHIP
    qs = selectors.ranking_list(
        user=user, month=month, county=county, township=township, bottom_only=not whole
    ).select_related("cadre__unit", "village__jurisdiction", "township__parent")
    rows, more = limited(qs)
    for r in rows:
        r.pct = pct(r.rate)
    none = (
        []
        if whole
        else list(
            selectors.townships_without_bottom(
                user=user, month=month, county=county, township=township
            ).select_related("township__parent")[:500]
        )
    )
    scope = user.jurisdiction.name if user.jurisdiction_id else "德宏州"
    kind = "出勤率排名表" if whole else "出勤率排名末位名单"
    return render(
        request,
        "web/attendance/ranking_print.html",
        {
            "title": f"{scope}{month_label(month)}驻村工作队员{kind}",
            "issuer": scope,
            "doc_date": f"制表日期:{date_label(timezone.localdate())}",
            "rows": rows,
            "more": more,
            "none": none,
            "whole": whole,
            "month": month,
            "query": request.GET.urlencode(),
            "signatures": [signed("制表人"), signed("审核人"), signed(f"{scope}(单位)", seal=True)],
        },
    )


__all__ = ["interview_print", "leave_print", "ranking_print", "summary_print"]
