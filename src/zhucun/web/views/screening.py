"""批量资格审查: upload a candidate list (.xlsx/.csv), see the counts, download the same sheet
with 审查结果 and clause-cited findings per row; the blank template. Nothing is written to the
database; the last result is kept in the session until the next upload."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.registry import validation
from zhucun.registry.imports.reader import FileProblem, LimitExceeded
from zhucun.selection.screening import screen_rows, screening_template, screening_workbook

from ..chrome import IMPORT_ROLES
from ._common import not_found, page_view
from .imports import max_upload, upload_too_large, xlsx_response

SESSION_KEY = "web_screening_result"
ORDER = ["符合", "需说明理由", "不符合", "数据有误"]
CLASSES = {"符合": "ok", "需说明理由": "warning", "不符合": "error", "数据有误": "calendar"}


def _no_business(request: HttpRequest) -> HttpResponse | None:
    if request.user.role not in IMPORT_ROLES:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    return None


def _result_name(upload_name: str) -> str:
    stem = upload_name.rsplit(".", 1)[0] if "." in upload_name else upload_name
    return f"{stem or '人选名单'}_资格审查结果_{timezone.localdate():%Y%m%d}.xlsx"


@page_view
def screening_page(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    ctx: dict[str, object] = {"nav_key": "screening", "on": request.POST.get("on", "")}
    if request.method == "POST":
        upload = request.FILES.get("file")
        on = None
        try:
            on = validation.date(ctx["on"], required=False)
        except validation.FieldError as exc:
            ctx["error"] = f"默认拟派出日期{exc}"
        if "error" in ctx:
            pass
        elif upload is None:
            ctx["error"] = "请选择要上传的人选名单(.xlsx 或 .csv)"
        elif upload.size > max_upload():
            ctx["error"] = upload_too_large()
        else:
            ctx["filename"] = upload.name
            try:
                header, rows = screen_rows(upload, upload.name, actor=request.user, default_on=on)
                data, counts = screening_workbook(header, rows)
            except LimitExceeded as exc:
                ctx["error"] = str(exc)
                ctx["status"] = 413
            except FileProblem as exc:
                ctx["error"] = str(exc)
            else:
                name = _result_name(upload.name)
                request.session[SESSION_KEY] = {
                    "name": name,
                    "data": base64.b64encode(data).decode("ascii"),
                }
                ctx["result_name"] = name
                ctx["total"] = sum(counts.values())
                ctx["counts"] = [
                    (k, counts[k], CLASSES.get(k, "")) for k in ORDER if counts.get(k)
                ] + [(k, n, "") for k, n in counts.items() if k not in ORDER]
    status = ctx.pop("status", 200)
    return render(request, "web/selection/screening.html", ctx, status=status)


@require_GET
@page_view
def screening_result(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return not_found(request, "没有可下载的审查结果,请先上传人选名单")
    return xlsx_response(base64.b64decode(stored["data"]), stored["name"])


@require_GET
@page_view
def screening_template_download(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    return xlsx_response(screening_template(), "批量资格审查人选名单模板.xlsx")
