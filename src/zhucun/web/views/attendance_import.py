"""导入其他APP的签到记录 (MGT.1.CHECKIN): the county, township, prefecture or administrator
uploads the 「云岭先锋」 export (or any similar sheet) with the app's name; the page shows the
outcome — the new check-ins by judgement, or every bad row (nothing written) with the error
report to download. The template comes from the same place as ``zhucun template checkins``.
Only cadres posted in the user's jurisdiction can be imported (the service decides)."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.accounts.models import User
from zhucun.attendance import services as att
from zhucun.attendance.imports import KIND, LABEL
from zhucun.attendance.models import CheckInStatus
from zhucun.attendance.services.checkin_record import IMPORT_ROLES
from zhucun.attendance.switch import NAMED_APP, PARAMETER, builtin_enabled
from zhucun.params.selectors import parameters_current
from zhucun.policy.errors import CalendarUnknownError, ParameterUnset

from ._common import not_found, page_view
from .attendance_common import refuse_unless
from .imports import max_upload, upload_too_large, xlsx_response

SESSION_KEY = "web_checkin_import_report"
STATUS_LABELS = dict(CheckInStatus.choices)


def _switch_state(user: User) -> str:
    """Whether this system's check-in is still in use in the user's own jurisdiction."""
    if not user.jurisdiction_id:
        return ""
    try:
        on = builtin_enabled(
            parameters_current(), on=timezone.localdate(), code=user.jurisdiction.code
        )
    except (ParameterUnset, CalendarUnknownError):
        return ""
    return "on" if on else "off"


@page_view
def checkin_import_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, IMPORT_ROLES)) is not None:
        return refused
    ctx: dict[str, Any] = {
        "nav_key": "checkin_import",  # the lead's nav item for this page, if any
        "label": LABEL,
        "named_app": NAMED_APP,
        "source": request.POST.get("source", "").strip(),
        "switch": _switch_state(request.user),
        "parameter": PARAMETER,
    }
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if not ctx["source"]:
            ctx["error"] = f"请填写数据来源,即签到所用的APP名称(如“{NAMED_APP}”)"
        elif upload is None:
            ctx["error"] = "请选择要上传的签到记录表(.xlsx 或 .csv)"
        elif upload.size > max_upload():
            ctx["error"] = upload_too_large()
            status = 413
        else:
            report = att.checkins_import_file(
                actor=request.user, fileobj=upload, filename=upload.name, source=ctx["source"]
            )
            ctx["report"] = report
            ctx["filename"] = upload.name
            ctx["statuses"] = [
                (STATUS_LABELS.get(k, k), n, k == CheckInStatus.OK)
                for k, n in sorted(report.breakdown.items(), key=lambda kv: kv[0] != "ok")
            ]
            if not report.ok and report.errors:
                request.session[SESSION_KEY] = {
                    "name": f"{upload.name.rsplit('.', 1)[0]}_导入错误报告.xlsx",
                    "data": base64.b64encode(report.to_workbook()).decode("ascii"),
                }
            if report.limit:
                status = 413
    return render(request, "web/attendance/checkin_import.html", ctx, status=status)


@require_GET
@page_view
def checkin_import_template(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, IMPORT_ROLES)) is not None:
        return refused
    from zhucun.registry.imports import template_workbook

    return xlsx_response(template_workbook(KIND), f"{LABEL}导入模板.xlsx")


@require_GET
@page_view
def checkin_import_report(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, IMPORT_ROLES)) is not None:
        return refused
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return not_found(request, "没有可下载的错误报告,请先上传签到记录表")
    return xlsx_response(base64.b64decode(stored["data"]), stored["name"])


urlpatterns = [
    path("attendance/checkin-import/", checkin_import_page, name="checkin_import"),
    path(
        "attendance/checkin-import/template/",
        checkin_import_template,
        name="checkin_import_template",
    ),
    path("attendance/checkin-import/report/", checkin_import_report, name="checkin_import_report"),
]
