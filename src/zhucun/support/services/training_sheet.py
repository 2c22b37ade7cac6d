"""MGT.7: a training's sign-in sheet (签到表, .xlsx or .csv) — the template and its reading
through the project's one bounded reader (registry.imports.reader).

Columns: 干部编号 | 姓名 | 身份证号后两位 | 驻村村(社区) | 签到. A row names a cadre by
姓名 together with 干部编号 (the system's number, printed in the template) or, for a sheet
typed by hand without it, 身份证号后两位 — what every reader of the sheet may see (the
organiser, a prefecture or a county, sees ID numbers in full, but a sign-in sheet passed round
the training hall must not print more than the two digits a township sees; registry.disclosure).
The name and the number or digits must agree and pick exactly one cadre in post in the
organiser's area during the event. With a 签到 column only the rows marked (√, 是, 1, 到, …)
are attendees; without it every row is. Every row is checked first, errors name the row and
the column in Chinese, and nothing is written unless all pass. The import adds the signed-in
cadres to those already recorded (it never removes anyone)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl.styles import Alignment, Font

from zhucun.core.errors import ValidationFailed
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.registry import validation
from zhucun.registry.imports.reader import (
    HEADER_SEARCH_ROWS,
    FileProblem,
    as_text,
    inspect,
    is_blank,
    iter_rows,
    norm_header,
    norm_value,
)

from ..models import TrainingEvent

KIND = "training_signin"
ID_HEADER = "干部编号"
NAME_HEADER = "姓名"
DIGITS_HEADER = "身份证号后两位"
VILLAGE_HEADER = "驻村村(社区)"
SIGN_HEADER = "签到"
SHEET = "培训签到表"
FAILED = "导入未通过校验,没有写入任何数据"
SIGNED = {"√", "✓", "✔", "是", "1", "到", "已到", "y", "yes", "v"}


def template_title(event: TrainingEvent) -> str:
    return f"{event.title}签到表({event.start}至{event.end})"


def training_template(event: TrainingEvent, cadres: list[tuple[int, str, str, str]]) -> bytes:
    """The sheet to fill in: ``cadres`` (id, name, ID number, village) prefilled, those already
    recorded marked √."""
    from ..models import TrainingAttendance

    have = set(TrainingAttendance.objects.filter(event=event).values_list("cadre_id", flat=True))
    head = Style(border=BORDER, font=Font(bold=True), alignment=Alignment(horizontal="center"))
    cell = Style(border=BORDER)
    with Book() as book:
        sh = book.sheet(SHEET)
        sh.widths([10, 12, 14, 24, 8])
        sh.merge("A1:E1")
        sh.freeze("A3")
        sh.print_setup(header_rows="2:2")
        sh.title(template_title(event), Style(font=Font(bold=True, size=14)))
        sh.append([ID_HEADER, NAME_HEADER, DIGITS_HEADER, VILLAGE_HEADER, SIGN_HEADER], head)
        for pk, name, id_number, village in cadres:
            sh.append([pk, name, id_number[-2:], village, "√" if pk in have else ""], cell)
        note = book.sheet("填写说明")
        note.append(["说明"])
        for line in (
            "每名驻村干部一行,干部编号和姓名由系统预填,请勿修改;到会的在“签到”列填“√”。",
            "自行制作的签到表可不填干部编号,但须填写姓名和身份证号后两位。",
            "没有“签到”列的,表中每一行均视为到会。",
            "导入只增加参训人员,不删除已登记的;撤销请在培训页面取消勾选。",
            "参训期间计为在岗(MGT.1.DAYS),无需另行请假。",
        ):
            note.append([line])
        return book.to_bytes()


def _cadre_id(raw: Any) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def read_sheet(data: bytes, filename: str, eligible: dict[int, tuple[str, str]]) -> list[int]:
    """The cadre ids signed in on the sheet. ``eligible``: cadre id → (name, ID number) of
    those who may attend. ValidationFailed naming every wrong row and column in Chinese."""
    try:
        src = inspect(io.BytesIO(data), filename, kind=KIND)
        return _read(iter_rows(src), eligible)
    except FileProblem as exc:  # LimitExceeded included: the reason says which limit
        raise ValidationFailed({"file": str(exc)}, FAILED) from None


def _read(rows: Any, eligible: dict[int, tuple[str, str]]) -> list[int]:
    header: list[Any] | None = None
    for n, values in rows:
        if any(norm_header(x) == NAME_HEADER for x in values):
            header = values
            break
        if n >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise FileProblem(f"文件前{HEADER_SEARCH_ROWS}行中没有“姓名”表头,请下载模板对照填写")
    cols = {norm_header(x): i for i, x in reversed(list(enumerate(header)))}
    id_col, digits_col = cols.get(ID_HEADER), cols.get(norm_header(DIGITS_HEADER))
    name_col, sign_col = cols[NAME_HEADER], cols.get(SIGN_HEADER)
    if id_col is None and digits_col is None:
        raise ValidationFailed(
            {"file": f"缺少列:“{ID_HEADER}”或“{DIGITS_HEADER}”(至少一列),请下载模板对照填写"},
            FAILED,
        )
    by_name: dict[str, list[int]] = {}
    for pk, (name, _id) in eligible.items():
        by_name.setdefault(name, []).append(pk)

    def cell(values: list[Any], i: int | None) -> Any:
        return norm_value(values[i]) if i is not None and i < len(values) else None

    errors: dict[str, str] = {}
    out: list[int] = []
    seen: dict[int, int] = {}
    for n, values in rows:
        if all(is_blank(x) for x in values):
            continue
        at = f"第{n}行"
        if sign_col is not None:
            mark = as_text(cell(values, sign_col)).strip().lower()
            if not mark:
                continue
            if mark not in SIGNED:
                errors[f"row{n}.sign"] = f"{at}“签到”列:应填“√”或留空,不能为“{mark[:10]}”"
                continue
        try:
            name = validation.identity_text(cell(values, name_col), max_length=32)
        except validation.FieldError as exc:
            errors[f"row{n}.name"] = f"{at}“姓名”列:{exc}"
            continue
        raw_id = cell(values, id_col)
        if not is_blank(raw_id):
            cadre_id = _cadre_id(raw_id)
            if cadre_id is None or eligible.get(cadre_id, ("",))[0] != name:
                errors[f"row{n}.cadre"] = (
                    f"{at}“干部编号”列:编号“{as_text(raw_id)[:20]}”与姓名“{name}”不符,"
                    "或该干部培训期间不在主办地区驻村"
                )
                continue
        else:
            digits = as_text(cell(values, digits_col)).strip().upper()
            if len(digits) != 2:
                errors[f"row{n}.digits"] = (
                    f"{at}“{DIGITS_HEADER}”列:应填身份证号最后两位(或填干部编号)"
                )
                continue
            match = [pk for pk in by_name.get(name, []) if eligible[pk][1][-2:].upper() == digits]
            if len(match) != 1:
                errors[f"row{n}.cadre"] = f"{at}:姓名“{name}”、身份证号后两位“{digits}”" + (
                    "对应多名干部,请填写干部编号" if match else "在培训期间主办地区驻村干部中找不到"
                )
                continue
            cadre_id = match[0]
        if cadre_id in seen:
            errors[f"row{n}.cadre"] = f"{at}:{name}已在第{seen[cadre_id]}行签到"
            continue
        seen[cadre_id] = n
        out.append(cadre_id)
    if errors:
        raise ValidationFailed(errors, FAILED)
    if not out:
        raise ValidationFailed({"file": "签到表中没有任何到会人员"}, FAILED)
    return out
