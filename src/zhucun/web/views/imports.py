"""导入导出: upload an Excel/CSV file of one kind, show the row-by-row report; template and
roster downloads. The functions live in zhucun.registry.imports / .exports (imported lazily)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from zhucun.attendance.services.checkin_record import IMPORT_ROLES as CHECKIN_IMPORT_ROLES
from zhucun.core.errors import Forbidden, ValidationFailed, ZhucunError
from zhucun.registry import selectors
from zhucun.registry.models import Level, PostingStatus

from ..chrome import EXPORT_ROLES, IMPORT_ROLES
from ._common import not_found, page_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_upload() -> int:
    return settings.ZHUCUN_UPLOAD_MAX_BYTES


def upload_too_large() -> str:
    return f"文件过大(上限 {max_upload() / 1024 / 1024:g} MB)"


def xlsx_response(content: Any, filename: str) -> HttpResponse:
    """An .xlsx download with a Chinese file name (RFC 5987 ``filename*``)."""
    if hasattr(content, "save"):  # an openpyxl Workbook rather than bytes
        buf = io.BytesIO()
        content.save(buf)
        content = buf.getvalue()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _label(value: Any) -> str:
    if isinstance(value, str):
        return value
    for attr in ("label", "title", "verbose_name", "name"):
        if isinstance(getattr(value, attr, None), str):
            return getattr(value, attr)
    return str(value)


def kind_choices(kinds: Any) -> list[tuple[str, str]]:
    """(code, Chinese label) for KINDS, whether it is a mapping or a sequence."""
    if hasattr(kinds, "items"):
        return [(str(k), _label(v)) for k, v in kinds.items()]
    out = []
    for item in kinds:
        if isinstance(item, str):
            out.append((item, item))
        elif isinstance(item, tuple | list):
            out.append((str(item[0]), _label(item[1]) if len(item) > 1 else str(item[0])))
        else:
            code = getattr(item, "key", None) or getattr(item, "code", None) or str(item)
            out.append((str(code), _label(item)))
    return out


@page_view
def import_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in IMPORT_ROLES:
        raise Forbidden("您的角色无权导入数据")
    from zhucun.registry.imports import KINDS, import_file

    kinds = kind_choices(KINDS)
    ctx: dict[str, Any] = {
        "nav_key": "import",
        "kinds": kinds,
        "kind": request.POST.get("kind", "") or request.GET.get("kind", ""),
        "counties": selectors.jurisdiction_list(user=user, level=Level.COUNTY),
        "statuses": PostingStatus.choices,
        "can_export": user.role in EXPORT_ROLES,
        # check-ins from another app have a page of their own (MGT.1.CHECKIN, issue 16)
        "can_import_checkins": user.role in CHECKIN_IMPORT_ROLES,
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = ctx["kind"]
        if kind not in dict(kinds):
            ctx["error"] = "请选择要导入的数据类别"
        elif upload is None:
            ctx["error"] = "请选择要上传的文件(.xlsx 或 .csv)"
        elif upload.size > max_upload():
            ctx["error"] = upload_too_large()
        else:
            try:
                ctx["report"] = import_file(
                    actor=user, kind=kind, fileobj=upload, filename=upload.name
                )
            except ValidationFailed as exc:
                ctx["error"] = ";".join(exc.errors.values()) or exc.message
            except Forbidden:
                raise
            except ZhucunError as exc:
                ctx["error"] = exc.message
            ctx["filename"] = upload.name
        ctx["kind_label"] = dict(kinds).get(kind, kind)
    report = ctx.get("report")
    return render(request, "web/import.html", ctx, status=413 if report and report.limit else 200)


@require_GET
@page_view
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if request.user.role not in IMPORT_ROLES:
        raise Forbidden("您的角色无权导入数据")
    from zhucun.registry.imports import KINDS, template_workbook

    kinds = dict(kind_choices(KINDS))
    if kind not in kinds:
        return not_found(request, "没有这种导入模板")
    return xlsx_response(template_workbook(kind), f"{kinds[kind]}导入模板.xlsx")


@require_GET
@page_view
def roster_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in EXPORT_ROLES:
        raise Forbidden("您的角色无权导出花名册")
    from zhucun.registry.exports import roster_workbook

    county = request.GET.get("county", "").strip()
    township = request.GET.get("township", "").strip()
    status = request.GET.get("status", PostingStatus.ACTIVE).strip()
    content = roster_workbook(user=user, county=county, township=township, status=status)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(content, f"驻村干部花名册_{stamp}.xlsx")
