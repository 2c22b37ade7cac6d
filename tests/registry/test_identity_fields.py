"""Issue 9 points 1 and 9 at input: names and identifiers refuse a value a spreadsheet would
take for a formula (leading = + - @ tab CR) and invisible characters (bidirectional controls,
zero-width characters), with a Chinese field error, on every path: the field cleaners
themselves, the services (which every front end calls), the imports (row, column, reason,
nothing written) and batch screening (数据有误)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.core.errors import ValidationFailed
from zhucun.core.files_out import Book
from zhucun.registry import services, validation
from zhucun.registry.imports import import_file
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction
from zhucun.selection.screening import SPEC, screen_rows, screening_workbook

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", " =1"]
INVISIBLE = [
    "张\u200b三",  # zero-width space
    "张\u200d三",  # zero-width joiner
    "\ufeff张三",  # BOM
    "张\u2060三",  # word joiner
    "\u202e三张",  # right-to-left override
    "张\u2066三\u2069",  # isolates
    "张\u200e三",  # left-to-right mark
    "张\u061c三",  # Arabic letter mark
    "张\u00ad三",  # soft hyphen (format character)
]
FORMULA_MESSAGE = "不能以 = + - @ 或制表符开头(防止表格公式注入)"
INVISIBLE_MESSAGE = "含有不可见字符(如零宽字符或双向控制符)"

IDENTITY = [
    (validation.CADRE_FIELDS, "name"),
    (validation.CADRE_FIELDS, "post"),
    (validation.CADRE_FIELDS, "education"),
    (validation.CADRE_FIELDS, "ethnicity"),
    (validation.CADRE_FIELDS, "occupation"),
    (validation.CADRE_FIELDS, "unit_name"),
    (validation.UNIT_FIELDS, "name"),
    (validation.UNIT_FIELDS, "jurisdiction_code"),
    (validation.JURISDICTION_FIELDS, "name"),
    (validation.JURISDICTION_FIELDS, "parent_code"),
]


@pytest.mark.parametrize("spec,field", IDENTITY)
@pytest.mark.parametrize("value", FORMULAS)
def test_identity_field_refuses_formula_lead(spec, field, value):
    _cleaned, errors = validation.clean(spec, {field: value}, partial=True)
    assert errors == {field: FORMULA_MESSAGE}


@pytest.mark.parametrize("spec,field", IDENTITY)
@pytest.mark.parametrize("value", INVISIBLE)
def test_identity_field_refuses_invisible_characters(spec, field, value):
    _cleaned, errors = validation.clean(spec, {field: value}, partial=True)
    assert errors == {field: INVISIBLE_MESSAGE}


@pytest.mark.parametrize("value", ["张三", "欧阳-娜娜", "A+B公司", "科员(副科级)", " 李四 "])
def test_ordinary_names_pass(value):
    cleaned, errors = validation.clean(validation.CADRE_FIELDS, {"name": value}, partial=True)
    assert errors == {} and cleaned["name"] == value.strip()


def test_invisible_characters_refused_in_every_text_and_identifier():
    for spec, field, value in [
        (validation.UNIT_FIELDS, "address", "芒市\u202e街1号"),
        (validation.CADRE_FIELDS, "age_exception_note", "说明\u200b"),
        (validation.CADRE_FIELDS, "id_number", "53310319900517001\u200bX"),
        (validation.JURISDICTION_FIELDS, "code", "5331031020\u200b00"),
    ]:
        _c, errors = validation.clean(spec, {field: value}, partial=True)
        assert errors == {field: INVISIBLE_MESSAGE}, field


def test_codes_are_ascii_digits():
    # full-width digits (a Chinese input method) are read as ASCII; other scripts' are refused
    _c, errors = validation.clean(validation.JURISDICTION_FIELDS, {"code": "٥٣٣١٠٣١٠٢٠٠٠"})
    assert "区划代码应为12位数字" in errors["code"]
    cleaned, _e = validation.clean(
        validation.JURISDICTION_FIELDS, {"code": "５３３１０３１０２０００"}, partial=True
    )
    assert cleaned["code"] == "533103102000"


def test_phone_keeps_its_own_rule():
    """A phone is digits by its own rule (+86… is refused as a phone number, not as a
    formula)."""
    _c, errors = validation.clean(
        validation.CADRE_FIELDS, {"phone": "+8613988776655"}, partial=True
    )
    assert "不是有效的手机号或座机号" in errors["phone"]


# ---- services: whatever the front end ------------------------------------------------------


def test_services_refuse_and_write_nothing(world):
    events = Event.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.unit_create(
            actor=world.admin, data={"name": "=1+1", "level": "county", "kind": "organ"}
        )
    assert exc.value.errors == {"name": FORMULA_MESSAGE}
    with pytest.raises(ValidationFailed) as exc:
        services.cadre_create(actor=world.admin, data=cadre_data(name="张\u200b三", serial=601))
    assert exc.value.errors == {"name": INVISIBLE_MESSAGE}
    cadre = world.cadres["fs_a"]
    with pytest.raises(ValidationFailed) as exc:
        services.cadre_update(actor=world.admin, cadre_id=cadre.pk, data={"post": "@SUM(A1)"})
    assert exc.value.errors == {"post": FORMULA_MESSAGE}
    village = world.villages["B"]
    with pytest.raises(ValidationFailed) as exc:
        services.village_update(
            actor=world.admin, village_id=village.pk, data={"name": "\u202e村勐拉"}
        )
    assert exc.value.errors == {"name": INVISIBLE_MESSAGE}
    with pytest.raises(ValidationFailed):
        services.jurisdiction_create(
            actor=world.admin,
            code="533103102099",
            name="-示例村",
            level="village",
            parent_code="533103102000",
        )
    assert Event.objects.count() == events
    assert Cadre.objects.get(pk=cadre.pk).post == "科员"
    assert not DispatchingUnit.objects.filter(name="=1+1").exists()
    assert not Jurisdiction.objects.filter(code="533103102099").exists()


# ---- imports ------------------------------------------------------------------------------

CADRE_HEADERS = [label for label, _c in validation.CADRE_FIELDS.values()]


def _cadre_rows(*overrides: dict) -> list[list]:
    return [
        [cadre_data(serial=700 + i, **over)[f] for f in validation.CADRE_FIELDS]
        for i, over in enumerate(overrides)
    ]


def _xlsx(rows: list[list]) -> io.BytesIO:
    """Text cells stay text (written by files_out), as Excel keeps a typed-in '=… text."""
    book = Book()
    sheet = book.sheet("驻村干部")
    sheet.append(CADRE_HEADERS)
    for row in rows:
        sheet.append(row)
    return io.BytesIO(book.to_bytes())


def _csv(rows: list[list]) -> io.BytesIO:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CADRE_HEADERS)
    w.writerows(["" if v is None else v for v in row] for row in rows)
    return io.BytesIO(buf.getvalue().encode("utf-8-sig"))


@pytest.mark.parametrize("make,filename", [(_xlsx, "干部.xlsx"), (_csv, "干部.csv")])
def test_import_reports_row_column_reason_and_writes_nothing(world, make, filename):
    rows = _cadre_rows(
        {"name": "正常甲"},
        {"name": '=HYPERLINK("http://x","y")'},
        {"name": "正常乙", "post": "+1"},
        {"name": "张\u200b三"},
        {"name": "正常丙", "education": "\u202e科本"},
    )
    before = Cadre.objects.count()
    events = Event.objects.count()
    report = import_file(actor=world.admin, kind="cadres", fileobj=make(rows), filename=filename)
    assert not report.written
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "姓名", FORMULA_MESSAGE),
        (4, "单位职务", FORMULA_MESSAGE),
        (5, "姓名", INVISIBLE_MESSAGE),
        (6, "学历", INVISIBLE_MESSAGE),
    ]
    assert Cadre.objects.count() == before and Event.objects.count() == events


def test_unit_import_refuses_formula_unit_name(world):
    body = "单位名称,层级,性质\n@SUM(A1),县级,机关\n"
    report = import_file(
        actor=world.admin, kind="units", fileobj=io.BytesIO(body.encode()), filename="u.csv"
    )
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "单位名称", FORMULA_MESSAGE)
    ]
    assert not DispatchingUnit.objects.filter(name="@SUM(A1)").exists()


# ---- screening ----------------------------------------------------------------------------


def test_screening_flags_formula_name_and_returns_it_as_text(world):
    head = [label for label, _ in SPEC.values()]
    flags = ["是", "否", "否", "否", "否", "否", "否", "否", "否"]
    base = ["1990-05-17", "正式党员", "2015-07-01", "2012-08-01", "科员", "", *flags]
    rows = [
        ['=HYPERLINK("http://x","y")', *base, "第一书记", "2026-12-01"],
        ["合\u200b格", *base, "第一书记", "2026-12-01"],
    ]
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows([head, *rows])
    header, screened = screen_rows(
        io.BytesIO(buf.getvalue().encode()), "名单.csv", actor=world.users["unit"]
    )
    data, counts = screening_workbook(header, screened)
    assert counts == {"数据有误": 2}
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == '=HYPERLINK("http://x","y")' and ws["A2"].data_type == "s"
    opinions = [ws.cell(r, len(head) + 2).value for r in (2, 3)]
    assert FORMULA_MESSAGE in opinions[0] and INVISIBLE_MESSAGE in opinions[1]
