"""``import_file``: match the header, validate every row in a first streaming pass, and only
if no row failed, write everything in further streaming passes inside one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import DataError, IntegrityError, transaction

from zhucun.accounts.models import User
from zhucun.audit.services import event_record

from .. import validation
from . import reader
from .base import Handler, Row, batched
from .cadres import CadresHandler
from .columns import (
    ALIASES,
    EXAMPLES,
    EXTRA_KINDS,
    KEYS,
    KIND_HELP,
    KIND_NOTES,
    SPECS,
    all_kinds,
    kind_label,
    required_fields,
)
from .postings import PostingsHandler
from .report import ImportReport
from .tree import JurisdictionsHandler, VillagesHandler
from .units import UnitsHandler

HANDLERS: dict[str, type[Handler]] = {
    "jurisdictions": JurisdictionsHandler,
    "villages": VillagesHandler,
    "units": UnitsHandler,
    "cadres": CadresHandler,
    "postings": PostingsHandler,
}
ID_FIELDS = {"id_number", "spouse_id_number"}
FLOAT_ID = "身份证号被Excel存成了数字,末几位已丢失;请将该列设为“文本”格式后重新填写"


def register_kind(
    *,
    kind: str,
    label: str,
    handler: type[Handler],
    spec: validation.FieldSpec,
    examples: dict[str, str],
    key_note: str,
    notes: list[str],
    help: dict[str, str] | None = None,
    aliases: dict[str, tuple[str, ...]] | None = None,
    lists: dict[str, Any] | None = None,
) -> None:
    """An import kind of an app above the registry (called from its AppConfig.ready()): the
    engine, the template and the commands then take ``kind`` like the registry's own."""
    from .template import _KIND_LISTS

    EXTRA_KINDS[kind] = label
    HANDLERS[kind] = handler
    SPECS[kind] = spec
    EXAMPLES[kind] = examples
    KEYS[kind] = (next(iter(spec)), key_note)
    KIND_NOTES[kind] = notes
    KIND_HELP[kind] = help or {}
    ALIASES[kind] = aliases or {}
    _KIND_LISTS[kind] = lists or {}


def import_file(
    *, actor: User, kind: str, fileobj: Any, filename: str, options: dict[str, Any] | None = None
) -> ImportReport:
    """Import one .xlsx/.csv file of ``kind`` (see KINDS and the registered kinds) as
    ``actor``; ``options`` are what the kind needs besides the file (check-ins: ``source``).
    Never raises for a bad file: the report says what is wrong, in Chinese."""
    report = ImportReport(kind=kind, filename=filename or "")
    if kind not in all_kinds():
        return report.file_error(f"未知的导入类型“{kind}”,应为:{'、'.join(all_kinds())}")
    handler_cls = HANDLERS[kind]
    if getattr(actor, "role", None) not in handler_cls.roles:
        return report.file_error(handler_cls.role_error)
    cleaned, problems = handler_cls.clean_options(options or {})
    for problem in problems:
        report.file_error(problem)
    if problems:
        return report
    try:
        src = reader.inspect(fileobj, filename, kind=kind)
        report.sha256 = src.sha256
        reader.check_limits(src)  # a file over a limit is refused before any row is checked
        header = _header(src, kind, report)
        if header is None:
            return report
        header_row, columns = header
        handler = handler_cls(actor=actor, present=set(columns), report=report)
        handler.options = cleaned
        handler.check_header(header_row)
        if report.error_count:
            return report
        with transaction.atomic():
            handler.load()
            rows = _rows(src, kind, header_row, columns, report)
            for batch in batched(rows, handler.batch_size):
                handler.check(batch)
            handler.finish_check()
            if report.rows == 0 and not report.error_count:
                report.file_error(
                    "文件中没有数据行(表头下方为空,模板中的示例行不计)", row=header_row + 1
                )
            if report.error_count:
                return report
            _write(src, kind, header_row, columns, handler)
            _audit(actor, kind, report, handler)
            report.written = True
    except reader.LimitExceeded as exc:
        _reset(report)
        report.limit = exc.setting
        report.file_error(str(exc))
    except reader.FileProblem as exc:
        _reset(report)
        report.file_error(str(exc))
    except (IntegrityError, DataError):
        _reset(report)
        report.file_error(
            "写入数据库时发生冲突(可能有人同时修改了相同的数据),未写入任何数据,请稍后重新导入"
        )
    return report


def _reset(report: ImportReport) -> None:
    report.created = report.updated = report.unchanged = 0
    report.written = False


def _write(
    src: reader.Source, kind: str, header_row: int, columns: dict[str, int], handler: Handler
) -> None:
    scratch = ImportReport(kind=kind)
    for phase in range(handler.write_phases):
        for batch in batched(_rows(src, kind, header_row, columns, scratch), handler.batch_size):
            handler.write(batch, phase)
    if scratch.error_count:  # the file changed between the passes
        raise reader.FileProblem("文件在导入过程中发生了变化,未写入任何数据,请重新导入")
    handler.finish_write()


def _audit(actor: User, kind: str, report: ImportReport, handler: Handler) -> None:
    event_record(
        actor=actor,
        action=f"import.{kind}",
        object_type="import",
        object_id=report.sha256[:16],
        after={
            "kind": kind,
            "filename": report.filename,
            "sha256": report.sha256,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "created_ids": handler.created_ids,
            "updated_ids": handler.updated_ids,
            **handler.audit_extra(),
        },
        note=f"批量导入{kind_label(kind)}“{report.filename}”:新增{report.created}条,"
        + (
            f"更新{report.updated}条"
            if report.updatable
            else f"{report.unchanged}条{report.unchanged_label}"
        ),
    )


def _header(
    src: reader.Source, kind: str, report: ImportReport
) -> tuple[int, dict[str, int]] | None:
    """Finds the header row (the first of the first 10 rows naming a known column) and maps
    field → column index. Unknown, duplicate or missing required columns are errors."""
    spec = SPECS[kind]
    by_label = {reader.norm_header(label): f for f, (label, _c) in spec.items()}
    for f, names in ALIASES.get(kind, {}).items():
        for alias in names:
            by_label.setdefault(reader.norm_header(alias), f)
    found = None
    seen_any = False
    for num, raw in reader.iter_rows(src):
        if num > reader.HEADER_SEARCH_ROWS:
            break
        names = [reader.norm_header(c) for c in raw]
        seen_any = seen_any or any(names)
        if any(n in by_label for n in names):
            found = num, raw, names
            break
    if found is None:
        if not seen_any:
            report.file_error("文件中没有任何内容(工作表为空)")
        else:
            report.file_error(
                f"未找到表头:前{reader.HEADER_SEARCH_ROWS}行中没有可识别的列名。"
                f"{kind_label(kind)}文件的第一行应为列名,如:{'、'.join(lb for lb, _c in spec.values())}"
            )
        return None
    num, raw, names = found
    columns: dict[str, int] = {}
    unknown = False
    for idx, (cell, name) in enumerate(zip(raw, names, strict=True)):
        if not name or name in reader.IGNORED_HEADERS:
            continue
        field = by_label.get(name)
        label = str(cell).strip()
        if field is None and HANDLERS[kind].ignore_unknown_columns:
            continue
        if field is None:
            unknown = True
            report.add(num, label, f"无法识别的列“{label}”,{kind_label(kind)}模板中没有这一列")
        elif field in columns:
            report.add(num, label, f"列“{label}”出现了不止一次")
        else:
            columns[field] = idx
    for field in required_fields(kind):
        if field not in columns:
            label = spec[field][0]
            report.add(num, label, f"缺少必填列“{label}”")
    if unknown:
        report.file_error(
            f"{kind_label(kind)}可用的列为:{'、'.join(lb for lb, _c in spec.values())}"
            "(“序号”列会被忽略);请核对是否选错了导入类型"
        )
    return None if report.error_count else (num, columns)


def _rows(
    src: reader.Source, kind: str, header_row: int, columns: dict[str, int], sink: ImportReport
) -> Iterator[Row]:
    """Cleaned data rows after the header; blank rows and the template's example row are
    skipped. Field errors go to ``sink``."""
    spec = SPECS[kind]
    example = EXAMPLES[kind]
    for num, raw in reader.iter_rows(src):
        if num <= header_row:
            continue
        data = {f: reader.norm_value(raw[i]) if i < len(raw) else None for f, i in columns.items()}
        if all(reader.is_blank(v) for v in data.values()):
            continue
        if all(reader.as_text(v) == example.get(f, "") for f, v in data.items()):
            continue
        sink.rows += 1
        early = {f: FLOAT_ID for f in ID_FIELDS & data.keys() if isinstance(data[f], float)}
        cleaned, errors = validation.clean(
            spec, {f: v for f, v in data.items() if f not in early}, partial=True
        )
        errors.update(early)
        for f, reason in errors.items():
            sink.add(num, validation.label_of(spec, f), reason)
        yield Row(num, cleaned, set(errors))
