"""其他APP签到记录导入 (MGT.1.CHECKIN, MGT.1.FRAUD): ``POST /checkins/import`` with the sheet
(multipart ``file``, .xlsx or .csv, the columns of ``zhucun template checkins``) and ``source``
(the app's name, e.g. 云岭先锋). Every row is checked first; one bad row and nothing is written
— 400 with each bad row's row, column and reason. A file past a resource limit answers 413,
a role that does not import check-ins 403 before the file is read. Re-importing the same
records stores nothing new (``already_imported``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from zhucun.attendance import services as att
from zhucun.attendance.imports.handler import SOURCE_MISSING
from zhucun.core.errors import ValidationFailed
from zhucun.registry.imports import ImportReport

from ..attendance_schemas import CheckInImportOut
from ..common import responses, user_of
from ..errors import respond
from ..schemas import ErrorOut

router = Router(tags=["签到"])


def report_errors(report: ImportReport) -> list[dict[str, str]]:
    """Each bad row as {field: "row<N>.<列>" (or "file"), reason: the Chinese line}."""
    out = []
    for e in report.errors:
        field = f"row{e.row}" if e.row else "file"
        if e.column:
            field += f".{e.column}"
        out.append({"field": field, "reason": str(e)})
    return out


def report_out(report: ImportReport, source: str) -> dict[str, Any]:
    return {
        "written": report.written,
        "summary": report.summary(),
        "filename": report.filename,
        "sha256": report.sha256,
        "source": source,
        "rows": report.rows,
        "created": report.created,
        "already_imported": report.unchanged,
        "statuses": report.breakdown,
    }


@router.post(
    "/checkins/import",
    response={**responses(CheckInImportOut), 413: ErrorOut},
    summary="导入其他APP的签到记录(如“云岭先锋”)",
    description=(
        "以 multipart/form-data 上传签到记录表(.xlsx 或 .csv,列名同签到记录导入模板)和数据来源 source;"
        "与本系统的签到同样判定(签到范围、坐标系换算、定位精度、补传时限、异常签到提示);"
        "任何一行有误则不写入,逐行逐列列出原因;同一记录重复导入只保存一次。"
    ),
)
def checkin_import_upload(
    request: HttpRequest, file: File[UploadedFile], source: Form[str] = ""
) -> Any:
    """``source``:数据来源,即签到所用APP的名称(必填)。"""
    user = user_of(request)
    att.checkins_import_authorize(user)
    if not source.strip():
        raise ValidationFailed({"source": SOURCE_MISSING}, SOURCE_MISSING)
    limit = settings.ZHUCUN_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        message = f"文件超过了允许的最大大小 {limit / 1024 / 1024:g} MB"
        return respond(413, message, [{"field": "file", "reason": message}])
    report = att.checkins_import_file(
        actor=user, fileobj=file, filename=file.name or "", source=source
    )
    if report.ok:
        return report_out(report, source.strip())
    return respond(413 if report.limit else 400, report.summary(), report_errors(report))
