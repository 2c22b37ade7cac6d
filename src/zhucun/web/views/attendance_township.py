"""The township party committee's attendance pages (MGT.1, MGT.3): 请假审批 (first
secretaries' leave; its reason for a small team's rotation rest), 签到异常 (off-fence,
low-accuracy, late and no-position check-ins to accept or reject; fraud signals), 月度考勤
(the 月结 button, the ranking with the bottom three, the interview list and its records,
the two .xlsx downloads) and 在岗汇总 (the teams' monthly summaries received)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.attendance import exports, selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import LeaveKind, LeaveState, SummaryState
from zhucun.policy.attendance import INTERVIEWEES

from ._common import not_found, page_view, paginate
from ._sorting import in_order, sort_param
from .attendance_cadre import pct
from .attendance_common import (
    TOWNSHIP,
    month_choices,
    month_label,
    month_param,
    refuse_unless,
    run_action,
)
from .attendance_lists import decided_leave, exception_checkins
from .attendance_team import decide, with_findings
from .imports import xlsx_response

SUMMARY_SORTS = {
    "village": ("village__jurisdiction__code", "-month"),
    "month": ("month", "village__jurisdiction__code"),
    "state": (in_order("state", SummaryState.values), "village__jurisdiction__code"),
}
ALL_MONTHS = "all"  # ?month=all: the summaries of every month (sortable by month)

# ---- approvals ---------------------------------------------------------------------------------


@page_view
def approvals(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, TOWNSHIP)) is not None:
        return refused
    user = request.user
    if request.method == "POST":
        return decide(request, "/township/approvals/")
    queue = with_findings(selectors.leave_approval_queue(user=user))
    rests = with_findings(
        selectors.leave_list(user=user, state=LeaveState.PENDING, kind=LeaveKind.ROTATION_REST)
        .filter(approver_level="first_secretary", override_reason="")
        .order_by("start", "id")[:100]
    )
    return render(
        request,
        "web/attendance/approvals.html",
        {
            "nav_key": "township_approvals",
            "title": "第一书记请假审批",
            "rule": "第一书记外出报乡镇(街道)党(工)委审批(MGT.1.LEAVE);"
            "小规模工作队的轮休须由乡镇党委记录理由(MGT.1.REST)",
            "queue": queue,
            "overrides": [leave for leave in rests if leave.needs_reason],
            **decided_leave(request, approver_level="township"),
            "township": True,
        },
    )


# ---- exceptions and fraud signals ----------------------------------------------------------------


@page_view
def exceptions(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, TOWNSHIP)) is not None:
        return refused
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "resolve":
            return run_action(
                request,
                lambda: att.fraud_signal_resolve(
                    actor=user,
                    signal_id=request.POST.get("signal_id"),
                    note=request.POST.get("note", ""),
                ),
                "已记录核查意见(MGT.1.FRAUD)",
                "/township/exceptions/",
            )
        accept = action == "accept"
        return run_action(
            request,
            lambda: att.checkin_review(
                actor=user,
                checkin_id=request.POST.get("checkin_id"),
                accept=accept,
                reason=request.POST.get("reason", ""),
            ),
            lambda r: (
                f"已{'认可' if accept else '不认可'}{r.checkin.cadre.name}"
                f"{r.checkin.day:%m月%d日}的签到(MGT.1.CHECKIN)"
            ),
            "/township/exceptions/",
        )
    listing = exception_checkins(request)
    page = listing["page"]
    for c in page.object_list:
        c.finding_list = [
            f for f in (c.findings or []) if f.get("severity") in ("warning", "error")
        ]
    signals = selectors.fraud_signal_list(user=user)
    return render(
        request,
        "web/attendance/exceptions.html",
        {
            "nav_key": "township_exceptions",
            **listing,
            "signals": signals[:100],
            "signal_count": signals.count(),
        },
    )


# ---- month close, ranking, interviews ------------------------------------------------------------


@page_view
def month_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, TOWNSHIP)) is not None:
        return refused
    user = request.user
    month = month_param(request)
    back = f"/township/month/?month={month:%Y-%m}"
    if request.method == "POST":

        def close_message(result: att.MonthCloseResult) -> str:
            t = result.townships[0] if result.townships else None
            if t is None:
                return "本辖区没有需要结账的乡镇"
            state = "已结账" if t.changed else "结果无变化(重复结账不改变任何数据)"
            return f"{month_label(month)}{state}:{t.rows}人,当月工作日{result.workdays}天,第{t.version}版"

        return run_action(
            request,
            lambda: att.month_close(actor=user, month=month, township_id=user.jurisdiction_id),
            close_message,
            back,
        )
    close = selectors.month_close_list(user=user, month=month).first()
    ranking = paginate(request, selectors.ranking_list(user=user, month=month), per_page=50)
    for r in ranking.object_list:
        r.pct = pct(r.rate)
    talk = list(selectors.interview_list(user=user, month=month))
    for r in talk:
        r.pct = pct(r.rate)
    records = selectors.interview_records(user=user, month=month)
    return render(
        request,
        "web/attendance/township_month.html",
        {
            "nav_key": "township_month",
            "month": month,
            "label": month_label(month),
            "months": month_choices(month),
            "close": close,
            "page": ranking,
            "talk": talk,
            "records": records,
            "interviewees": "、".join(INTERVIEWEES),
        },
    )


EXPORTS = {"monthly": "月度考勤统计表", "ranking": "出勤率排名表"}


def workbook(user, kind: str, month, *, county: str = "", township: str = "") -> bytes:
    if kind == "monthly":
        qs = selectors.monthly_list(user=user, month=month, county=county, township=township)
        return exports.monthly_workbook(qs, month=month)
    qs = selectors.ranking_list(user=user, month=month, county=county, township=township)
    none = selectors.townships_without_bottom(
        user=user, month=month, county=county, township=township
    )
    return exports.ranking_workbook(qs, month=month, townships_none=none, unit=str(user))


@page_view
def month_export(request: HttpRequest, kind: str) -> HttpResponse:
    if (refused := refuse_unless(request, TOWNSHIP)) is not None:
        return refused
    if kind not in EXPORTS:
        return not_found(request)
    user = request.user
    month = month_param(request)
    name = user.jurisdiction.name if user.jurisdiction_id else ""
    return xlsx_response(
        workbook(user, kind, month), f"{name}{month_label(month)}{EXPORTS[kind]}.xlsx"
    )


# ---- summaries received -------------------------------------------------------------------------


@page_view
def summaries(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, TOWNSHIP)) is not None:
        return refused
    user = request.user
    every_month = request.GET.get("month", "") == ALL_MONTHS
    month = month_param(request)
    state = request.GET.get("state", "")
    state = state if state in SummaryState.values else ""
    qs = selectors.summary_list(user=user, month=None if every_month else month, state=state)
    sort = sort_param(request, SUMMARY_SORTS, "village")
    page = paginate(request, sort.apply(qs), per_page=30)
    return render(
        request,
        "web/attendance/township_summaries.html",
        {
            "nav_key": "township_summaries",
            "month": month,
            "every_month": every_month,
            "all_months": ALL_MONTHS,
            "label": "全部月份" if every_month else month_label(month),
            "months": [(v, lbl, sel and not every_month) for v, lbl, sel in month_choices(month)],
            "page": page,
            "sort": sort,
            "state": state,
            "states": SummaryState.choices,
            "submitted": qs.filter(state=SummaryState.SUBMITTED).count() if not state else None,
        },
    )
