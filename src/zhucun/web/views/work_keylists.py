"""重点任务清单 (DUT.LIST) and 职责任务统计 (DUT.1–5) pages: the lists a user reads with the
issue form for the coordinating bodies, a list's progress matrix (villages × tasks, paginated
by village) with the first secretary's progress form and "转为本村任务", and the duty totals
per village, township or county and month (also .xlsx). Writes call
zhucun.work.services.meetings; scope and rules are decided there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.attendance.models import DUTY_CODES
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.core.files_out import BORDER, Book, Signature, Style
from zhucun.policy.dates import month_label
from zhucun.policy.work import PROGRESS_LABELS
from zhucun.work.scope import LIST_ISSUERS, team_village_id
from zhucun.work.selectors import duty_totals as totals_read
from zhucun.work.selectors import meetings as read
from zhucun.work.services import meetings as svc

from ._common import _window, page_view, paginate
from .attendance_common import month_choices, month_param
from .imports import xlsx_response
from .work_meetings import duty_choices, error_list

ITEM_ROWS = 5
DUT_LIST_TEXT = (
    "乡镇(街道)、县级、州级驻村工作领导协调机构定期向所辖村下达重点任务清单,"
    "各村驻村工作队逐项报告进展(DUT.LIST);未报告的村显示为“未开始”。"
)
TOTALS_TEXT = (
    "工作日志按所标职责任务逐项计数;任务按其类别计当月新建或当月到期的;走访不记类别,"
    "一律计入“巩固脱贫成果”;报告不记类别,单列报送数。"
)


def _window_page(page: Any) -> Any:
    page.window = _window(page.number, page.paginator.num_pages)
    return page


@page_view
def keylist_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_issue = user.role in LIST_ISSUERS and (
        user.role == UserRole.ADMIN or user.jurisdiction_id is not None
    )
    values: dict[str, Any] = {
        "title": "",
        "issued_on": timezone.localdate().isoformat(),
        "note": "",
    }
    rows = [{"title": "", "duty": "", "due": ""} for _ in range(ITEM_ROWS)]
    errors: list[str] = []
    if request.method == "POST":
        if not can_issue:
            raise Forbidden(svc.ISSUERS_TEXT)
        values = {k: request.POST.get(k, "") for k in ("title", "issued_on", "note")}
        rows = [
            {k: request.POST.get(f"item{i}_{k}", "").strip() for k in ("title", "duty", "due")}
            for i in range(ITEM_ROWS)
        ]
        try:
            kl = svc.key_list_issue(actor=user, items=[r for r in rows if r["title"]], **values)
        except ValidationFailed as exc:
            errors = error_list(exc.errors)
        else:
            messages.success(request, f"已下达重点任务清单“{kl.title}”")
            return redirect("web:work_keylist_detail", pk=kl.pk)
    page = paginate(request, read.key_list_list(user=user))
    return render(
        request,
        "web/work/keylist_list.html",
        {
            "nav_key": "work",
            "page": page,
            "can_issue": can_issue,
            "values": values,
            "rows": [{"n": i, **r} for i, r in enumerate(rows)],
            "duties": duty_choices(),
            "errors": errors,
            "text": DUT_LIST_TEXT,
        },
    )


@page_view
def keylist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    kl = read.key_list_get(user=user, pk=pk)
    own = team_village_id(user)
    is_fs = user.role == UserRole.FIRST_SECRETARY and own is not None
    if request.method == "POST":
        if not is_fs:
            raise Forbidden("重点任务进展由本村第一书记报告(DUT.LIST)")
        item_id = request.POST.get("item_id", "")
        try:
            if request.POST.get("action") == "task":
                svc.task_create(
                    actor=user,
                    owner_id=request.POST.get("owner_id"),
                    key_item_id=item_id,
                )
                messages.success(request, "已转为本村任务,见任务清单")
            else:
                svc.key_progress_report(
                    actor=user,
                    item_id=int(item_id) if item_id.isdigit() and len(item_id) < 19 else 0,
                    state=request.POST.get("state", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, "已报告进展")
        except ValidationFailed as exc:
            messages.error(request, ";".join(error_list(exc.errors)))
        return redirect("web:work_keylist_detail", pk=kl.pk)
    matrix = _window_page(
        read.key_progress_matrix(key_list=kl, user=user, page=request.GET.get("page"))
    )
    own_row = None
    owners: list[tuple[int, str]] = []
    if is_fs and own is not None:
        # a first secretary reads only the own village: the matrix is that one row
        own_row = matrix.object_list[0] if matrix.object_list else None
        owners = [
            (p.cadre_id, p.cadre.name)
            for p in svc.team_cadre_ids(own, timezone.localdate()).select_related("cadre")
        ]
    items = [
        {"item": it, "duty": DUTY_CODES.get(it.duty, it.duty)}
        for it in matrix.items  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "web/work/keylist_detail.html",
        {
            "nav_key": "work",
            "kl": kl,
            "items": items,
            "page": matrix,
            "own_row": own_row,
            "owners": owners,
            "states": list(PROGRESS_LABELS.items()),
            "text": DUT_LIST_TEXT,
        },
    )


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level", "village")
    return level if level in totals_read.LEVELS else "village"


@page_view
def duty_totals_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    month = month_param(request, default=timezone.localdate().replace(day=1))
    level = _level(request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _totals_workbook(user, month, level),
            f"职责任务统计_{totals_read.LEVELS[level]}_{month:%Y-%m}.xlsx",
        )
    page = _window_page(
        totals_read.duty_totals(user=user, month=month, level=level, page=request.GET.get("page"))
    )
    return render(
        request,
        "web/work/duty_totals.html",
        {
            "nav_key": "work",
            "page": page,
            "months": month_choices(month),
            "month": month,
            "month_label": month_label(month),
            "level": level,
            "levels": list(totals_read.LEVELS.items()),
            "level_label": totals_read.LEVELS[level],
            "duties": list(DUTY_CODES.items()),
            "text": TOTALS_TEXT,
        },
    )


def _totals_workbook(user: Any, month: dt.date, level: str) -> bytes:
    headers = [totals_read.LEVELS[level]]
    for name in DUTY_CODES.values():
        headers += [f"{name}·日志", f"{name}·任务", f"{name}·走访"]
    headers.append("报送报告")
    cell = Style(border=BORDER)
    with Book() as book:
        sh = book.sheet("职责任务统计")
        sh.table_layout(headers, [18] + [10] * (len(headers) - 1), signed=Signature.of())
        sh.title(f"驻村工作职责任务统计({month_label(month)},DUT.1–DUT.5)")
        sh.header(headers)
        number = 1
        while True:
            pg = totals_read.duty_totals(
                user=user, month=month, level=level, page=number, per_page=200
            )
            for r in pg.object_list:
                values: list[Any] = [r["area"].name]
                for c in r["cells"]:
                    values += [c["diary"], c["tasks"], c["visits"]]
                values.append(r["reports"])
                sh.append(values, cell)
            if not pg.has_next():
                break
            number += 1
        return book.to_bytes()


urlpatterns = [
    path("work/key-tasks/", keylist_list, name="work_keylists"),
    path("work/key-tasks/<int:pk>/", keylist_detail, name="work_keylist_detail"),
    path("work/duty-totals/", duty_totals_page, name="work_duty_totals"),
]
