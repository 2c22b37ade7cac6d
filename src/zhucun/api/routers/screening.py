"""批量资格审查 (SEL.COND, SEL.SRC): upload a candidate list (.xlsx/.csv, the columns of the
screening template) as multipart ``file``; the answer is the count per result and, per row,
its result and clause-cited findings (or, for 数据有误, the reason per column). Nothing is
written to the database. A file that cannot be read answers 400 with the Chinese reason; a
file past a resource limit (size, decompressed size, rows, columns, shared strings, cell
length: ``ZHUCUN_*`` settings) 413, as soon as the limit is passed. Only the dispatching unit
and the organisation departments may screen (403 for every other role, before the file is
read)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from zhucun.registry.imports.reader import FileProblem, LimitExceeded, is_blank, norm_header
from zhucun.selection.screening import SPEC, ScreenedRow, screen_rows, screening_authorize

from ..common import read_dates, responses, user_of
from ..errors import respond
from ..schemas import ErrorOut
from ..selection_schemas import ScreeningOut

router = Router(tags=["批量资格审查"])

NAME_LABEL = SPEC["name"][0]


def _label(field: str) -> str:
    return SPEC[field][0] if field in SPEC else field


def row_out(r: ScreenedRow, name_at: int | None) -> dict[str, Any]:
    raw = r.values[name_at] if name_at is not None and name_at < len(r.values) else None
    return {
        "row": r.row,
        "name": "" if is_blank(raw) else str(raw).strip(),
        "result": r.result,
        "findings": [
            {"clause": f.clause, "severity": f.severity, "message": f.message} for f in r.findings
        ],
        "problems": [{"field": f, "reason": f"{_label(f)}:{why}"} for f, why in r.problems.items()],
    }


def _file_problem(message: str, status: int = 400) -> HttpResponse:
    return respond(status, message, [{"field": "file", "reason": message}])


@router.post(
    "/screening",
    response={**responses(ScreeningOut), 413: ErrorOut},
    summary="批量资格审查(上传人选名单)",
    description=(
        "以 multipart/form-data 上传人选名单(.xlsx 或 .csv,列名同批量资格审查模板),"
        "返回各审查结果人数与逐行结果;不写入数据库。"
    ),
)
def screening_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    on: Form[str] = "",
) -> Any:
    """``on``:默认拟派出日期(YYYY-MM-DD),用于未填“拟派出日期”列的行。"""
    user = user_of(request)
    screening_authorize(user)
    default_on = read_dates({"on": on}, optional=frozenset({"on"}))["on"]
    limit = settings.ZHUCUN_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        return _file_problem(f"文件超过了允许的最大大小 {limit / 1024 / 1024:g} MB", 413)
    filename = file.name or ""
    try:
        header, rows = screen_rows(file, filename, actor=user, default_on=default_on)
        name_at = next(
            (i for i, h in enumerate(header) if norm_header(h) == NAME_LABEL),
            None,
        )
        results = [row_out(r, name_at) for r in rows]
    except LimitExceeded as exc:
        return _file_problem(str(exc), 413)
    except FileProblem as exc:
        return _file_problem(str(exc))
    counts: dict[str, int] = {}
    for r in results:
        counts[r["result"]] = counts.get(r["result"], 0) + 1
    return {"filename": filename, "total": len(results), "counts": counts, "results": results}
