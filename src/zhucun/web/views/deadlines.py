"""时限提醒: 第一书记任命 10个工作日 (SEL.METHOD.APPOINT10) and 党组织关系转接 15个工作日
(SEL.METHOD.TRANSFER15) — open items worst first, with a 登记完成 form per row."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.core.errors import ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy import PolicyError
from zhucun.registry import validation
from zhucun.selection.deadlines import (
    KINDS,
    deadline_queryset,
    deadline_rows,
    posting_record_milestone,
)

from ..chrome import BACK_OFFICE
from ..words import failure_errors
from ._common import not_found, page_view, paginate, place_filters
from ._sorting import sort_param
from .selection import finding_rows

TABS = [  # (kind, label, parameter of the deadline in working days, clause)
    ("appoint", "第一书记任命", "appoint_fs_within_working_days", "SEL.METHOD.APPOINT10"),
    ("transfer", "党组织关系转接", "party_transfer_within_working_days", "SEL.METHOD.TRANSFER15"),
]
# Who records a milestone: the roles posting_record_milestone accepts (it checks again);
# the township party committee appoints the first secretary (SEL.METHOD.APPOINT10).
RECORD_ROLES = {
    "appoint": {UserRole.ADMIN, UserRole.TOWNSHIP},
    "transfer": {UserRole.ADMIN, UserRole.COUNTY, UserRole.TOWNSHIP},
}
# The due dates are worked out per row on the calendar (deadline_rows), not in SQL: the list
# sorts by the columns the database holds; the default, earliest arrival, is the worst first.
DEADLINE_SORTS = {
    "arrival": ("arrival_date", "village__jurisdiction__code"),
    "village": ("village__jurisdiction__code", "arrival_date"),
    "name": ("cadre__name", "arrival_date"),
}


def working_days_in_force(parameter: str, today) -> int:
    """The deadline's working days as the parameters in force say (shown, never typed)."""
    return parameters_current().int_value(parameter, on=today)


def status_class(status: str) -> str:
    if status == "已逾期":
        return "error"
    if status == "即将到期":
        return "warning"
    if status.startswith("请录入"):
        return "calendar"
    if status.startswith("已完成"):
        return "ok"
    return "info"


def _no_business(request: HttpRequest) -> HttpResponse | None:
    if request.user.role not in BACK_OFFICE:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    return None


@page_view
def deadline_page(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    kind = request.GET.get("kind", "appoint")
    if kind not in KINDS:
        kind = "appoint"
    today = timezone.localdate()
    if request.method == "POST":
        _record(request, kind)
        return redirect(request.get_full_path())
    place = {k: request.GET.get(k, "").strip() for k in ("county", "township")}
    sort = sort_param(request, DEADLINE_SORTS, "arrival")
    page = paginate(request, sort.apply(deadline_queryset(user=user, kind=kind, **place)))
    rows = [
        {"row": r, "class": status_class(r.status), "findings": finding_rows(r.findings)}
        for r in deadline_rows(list(page.object_list), kind=kind, today=today)
    ]
    tabs = [
        {
            "kind": k,
            "label": label,
            "days": f"{working_days_in_force(parameter, today)}个工作日",
            "clause": clause,
            "query": urlencode(
                {"kind": k, **{n: v for n, v in place.items() if v}}
                | ({"sort": sort.param} if sort.param else {})
            ),
            "count": deadline_queryset(user=user, kind=k, **place).count(),
            "active": k == kind,
        }
        for k, label, parameter, clause in TABS
    ]
    return render(
        request,
        "web/selection/deadlines.html",
        {
            "nav_key": "deadlines",
            "kind": kind,
            "tab": next(t for t in tabs if t["active"]),
            "tabs": tabs,
            "page": page,
            "rows": rows,
            "today": today,
            "can_record": user.role in RECORD_ROLES[kind],
            "sort": sort,
            "f": place,
            **place_filters(user, place["county"]),
        },
    )


def _record(request: HttpRequest, kind: str) -> None:
    post = request.POST
    posting_id = post.get("posting_id", "")
    try:
        on = validation.date(post.get("on", ""))
    except validation.FieldError as exc:
        messages.error(request, f"完成日期{exc}")
        return
    if not posting_id.isdigit():
        messages.error(request, "请选择要登记的驻村任职")
        return
    try:
        p = posting_record_milestone(
            actor=request.user,
            posting_id=int(posting_id),
            kind=kind,
            on=on,
            note=post.get("note", "").strip(),
        )
    except (ValidationFailed, PolicyError) as exc:
        messages.error(request, "未登记:" + ";".join(failure_errors(exc).values()))
    else:
        messages.success(request, f"已登记{p.cadre.name}的{KINDS[kind]}完成日期 {on:%Y-%m-%d}。")


def overdue_counts(user, today) -> dict[str, int]:
    """已逾期 items per kind among the user's open items (for the home pages)."""
    out = {}
    for kind in KINDS:
        postings = list(deadline_queryset(user=user, kind=kind))
        rows = deadline_rows(postings, kind=kind, today=today)
        out[kind] = sum(1 for r in rows if r.status == "已逾期")
    out["total"] = out["appoint"] + out["transfer"]
    return out
