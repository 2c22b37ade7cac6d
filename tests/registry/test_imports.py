"""Excel/CSV import of the registry: validate every row, write nothing unless all pass."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.world import cadre_data, make_id_number
from zhucun.audit.models import Event
from zhucun.registry import services, validation
from zhucun.registry.imports import KINDS, MAX_ERRORS, RowError, import_file, template_workbook
from zhucun.registry.imports.samples import write_cadre_xlsx
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction, Posting, Village

CADRE_HEADERS = [label for label, _c in validation.CADRE_FIELDS.values()]
VILLAGE_HEADERS = [
    "区划代码",
    "名称",
    "所属乡镇(街道)区划代码",
    "抵边村",
    "签到点纬度",
    "签到点经度",
]


def cadre_row(**over) -> list:
    data = cadre_data(**over)
    return [data[f] for f in validation.CADRE_FIELDS]


def xlsx(header: list, rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def csv_file(header: list, rows: list[list], encoding: str) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return io.BytesIO(text.getvalue().encode(encoding))


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Jurisdiction, Village, DispatchingUnit, Cadre, Posting, Event)
    )


def run(user, kind, fileobj, filename="data.xlsx"):
    return import_file(actor=user, kind=kind, fileobj=fileobj, filename=filename)


# ---- cadres -------------------------------------------------------------------------------


def test_valid_cadre_file_creates_cadres_and_one_audit_event(world):
    county = world.users["county"]
    events = Event.objects.count()
    f = xlsx(
        CADRE_HEADERS,
        [
            cadre_row(name="王小明", serial=101, unit_name="芒市人民医院"),
            cadre_row(
                name="孟丽", gender="女", serial=102, party_status="非党员", full_member_since=None
            ),
        ],
    )
    report = run(county, "cadres", f, "干部.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    wang = Cadre.objects.get(name="王小明")
    assert wang.unit == world.units["mangshi"] and wang.party_status == "full"
    assert wang.birth_date == dt.date(1990, 5, 17) and wang.gender == "male"
    assert Cadre.objects.get(name="孟丽").party_status == "none"
    assert Event.objects.count() == events + 1
    event = Event.objects.latest("seq")
    assert (event.action, event.object_type) == ("import.cadres", "import")
    assert event.object_id == report.sha256[:16]
    assert event.after["filename"] == "干部.xlsx" and event.after["created"] == 2
    assert sorted(event.after["created_ids"]) == sorted(
        Cadre.objects.filter(name__in=["王小明", "孟丽"]).values_list("pk", flat=True)
    )
    assert "新增2条" in report.summary()


def test_one_bad_row_writes_nothing_and_names_row_column_reason(world):
    before = counts()
    rows = [cadre_row(name=f"干部{i}", serial=200 + i) for i in range(4)]
    rows[2][list(validation.CADRE_FIELDS).index("gender")] = "未知"
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, rows))
    assert not report.ok and report.created == 0
    assert counts() == before  # no cadre and no audit event
    assert len(report.errors) == 1
    err = report.errors[0]
    assert (err.row, err.column) == (4, "性别")  # header is row 1, third data row is row 4
    assert "不是有效值" in err.reason and "男、女" in err.reason
    assert "未写入任何数据" in report.summary()


def test_cross_field_and_reference_errors_are_reported_per_row(world):
    rows = [
        cadre_row(serial=301, birth_date=dt.date(1990, 5, 17)),
        cadre_row(serial=302, unit_name="不存在的单位"),
        cadre_row(serial=303, party_status="正式党员", full_member_since=None),
    ]
    rows[0][list(validation.CADRE_FIELDS).index("birth_date")] = dt.date(1991, 1, 1)
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, rows))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "出生日期"), (3, "派出单位"), (4, "转正日期")}
    assert "不一致" in report.errors[0].reason


def test_unit_outside_scope_is_refused(world):
    # the 芒市 county user does not see 瑞丽市财政局
    report = run(
        world.users["county"],
        "cadres",
        xlsx(CADRE_HEADERS, [cadre_row(serial=310, unit_name="瑞丽市财政局")]),
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "派出单位")]
    assert "管辖范围" in report.errors[0].reason


def test_existing_id_number_updates_the_cadre(world):
    spare = world.cadres["spare"]
    row = cadre_row(name="赵小兵", serial=15, unit_name="芒市人民医院", phone="13711112222")
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, [row]))
    assert report.ok and (report.created, report.updated) == (0, 1)
    spare.refresh_from_db()
    assert spare.phone == "13711112222"
    again = run(world.admin, "cadres", xlsx(CADRE_HEADERS, [row]))
    assert again.ok and (again.updated, again.unchanged) == (0, 1)


def test_existing_cadre_outside_scope_is_not_updated(world):
    # 李国强 serves in 瑞丽市 for a 瑞丽 unit: invisible to the 芒市 county user
    row = cadre_row(name="李国强", serial=14, unit_name="芒市人民医院")
    report = run(world.users["county"], "cadres", xlsx(CADRE_HEADERS, [row]))
    assert [e.column for e in report.errors] == ["身份证号"]
    assert world.cadres["fs_c"].unit_id == Cadre.objects.get(name="李国强").unit_id


def test_duplicate_id_numbers_inside_the_file(world):
    rows = [cadre_row(serial=401), cadre_row(serial=402), cadre_row(serial=401, name="重复")]
    before = counts()
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, rows))
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (4, "身份证号", "与第2行的身份证号重复")
    ]
    assert counts() == before


def test_spouses_in_one_file_are_linked_both_ways(world):
    wife = make_id_number(dt.date(1990, 5, 17), 502)
    rows = [cadre_row(serial=501, spouse_id_number=wife), cadre_row(serial=502, gender="女")]
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, rows))
    assert report.ok, report.errors
    husband = Cadre.objects.get(id_number=make_id_number(dt.date(1990, 5, 17), 501))
    assert husband.spouse.id_number == wife and husband.spouse.spouse_id == husband.pk


def test_spouse_already_married_to_someone_else_is_refused(world):
    first = run(
        world.admin,
        "cadres",
        xlsx(
            CADRE_HEADERS, [cadre_row(serial=601, spouse_id_number=world.cadres["spare"].id_number)]
        ),
    )
    report = run(
        world.admin,
        "cadres",
        xlsx(
            CADRE_HEADERS, [cadre_row(serial=602, spouse_id_number=world.cadres["spare"].id_number)]
        ),
    )
    assert first.ok and [e.column for e in report.errors] == ["配偶身份证号"]
    assert "其他配偶" in report.errors[0].reason
    spare = Cadre.objects.get(pk=world.cadres["spare"].pk)
    assert spare.spouse.spouse_id == spare.pk  # the first import linked both ways


def test_married_spouse_listed_in_the_same_file_is_refused(world):
    tm_a, spare = world.cadres["tm_a"], world.cadres["spare"]
    services.cadre_update(
        actor=world.admin, cadre_id=spare.pk, data={"spouse_id_number": tm_a.id_number}
    )
    rows = [
        cadre_row(serial=611, spouse_id_number=spare.id_number),
        cadre_row(name="赵小兵", serial=15, unit_name="芒市人民医院"),  # spouse cell empty
    ]
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "配偶身份证号")]
    assert Cadre.objects.get(pk=tm_a.pk).spouse_id == spare.pk


def test_township_user_may_not_import_cadres(world):
    before = counts()
    report = run(world.users["township"], "cadres", xlsx(CADRE_HEADERS, [cadre_row(serial=701)]))
    assert not report.ok and report.errors[0].row == 0 and "组织部门" in report.errors[0].reason
    assert counts() == before


def test_unit_user_registers_only_own_cadres(world):
    rows = [cadre_row(serial=702, unit_name="芒市人民医院"), cadre_row(serial=703)]
    report = run(world.users["unit"], "cadres", xlsx(CADRE_HEADERS, rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "派出单位")]


# ---- headers and malformed files ----------------------------------------------------------


def test_missing_and_unknown_columns_are_named(world):
    header = [h for h in CADRE_HEADERS if h != "性别"] + ["籍贯"]
    rows = [
        [v for h, v in zip(CADRE_HEADERS, cadre_row(serial=801), strict=True) if h != "性别"]
        + ["云南"]
    ]
    report = run(world.admin, "cadres", xlsx(header, rows))
    reasons = " ".join(e.reason for e in report.errors)
    assert "缺少必填列“性别”" in reasons and "无法识别的列“籍贯”" in reasons
    assert not Cadre.objects.filter(name="张三", id_number__endswith="801").exists()


def test_columns_match_in_any_order_with_full_width_brackets(world):
    header = ["签到点经度", "抵边村", "名称", "所属乡镇（街道）区划代码", "区划代码", "*签到点纬度"]
    report = run(
        world.admin,
        "villages",
        xlsx(header, [["98.3", "是", "新寨村", "533103102000", "533103102010", "24.2"]]),
    )
    assert report.ok, report.errors
    village = Village.objects.get(jurisdiction__code="533103102010")
    assert village.border and village.township.code == "533103102000"
    assert str(village.checkin_lat) == "24.200000"


@pytest.mark.parametrize(
    ("content", "filename", "words"),
    [
        (b"", "a.xlsx", "空"),
        (b"\x00\x01garbage\xff\xfe" * 50, "a.csv", "二进制"),
        (b"this is not a spreadsheet", "a.xlsx", "不是有效的Excel"),
        (b"PK\x03\x04broken zip", "a.xlsx", "无法打开Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.xls", ".xls"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "a.xlsx",
            "密码",
        ),
        (b"\xff\xfe" + "姓名".encode("utf-16-le"), "a.csv", "UTF-16"),
        (b"\x81\x30", "a.csv", "编码"),
        (b"foo,bar\n1,2\n", "a.csv", "未找到表头"),
        ("姓名,性别\n".encode(), "a.pdf", "不支持"),
    ],
)
def test_malformed_files_give_chinese_errors(world, content, filename, words):
    before = counts()
    report = run(world.admin, "cadres", io.BytesIO(content), filename)
    assert not report.ok and report.error_count >= 1
    assert words in report.errors[0].reason, report.errors
    assert counts() == before


def test_header_only_file_has_no_data_rows(world):
    report = run(world.admin, "cadres", xlsx(CADRE_HEADERS, []))
    assert not report.ok and "没有数据行" in report.errors[0].reason


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_bom_and_gb18030(world, encoding):
    rows = [
        cadre_row(name="岳小华", ethnicity="景颇族", serial=901, birth_date=dt.date(1988, 2, 29))
    ]
    report = run(world.admin, "cadres", csv_file(CADRE_HEADERS, rows, encoding), "干部.csv")
    assert report.ok, report.errors
    cadre = Cadre.objects.get(name="岳小华")
    assert cadre.ethnicity == "景颇族" and cadre.birth_date == dt.date(1988, 2, 29)


def test_error_count_is_limited_and_report_workbook_lists_errors(world):
    start = dt.date(1980, 1, 1)
    rows = [
        cadre_row(serial=1, birth_date=start + dt.timedelta(days=i), gender="?")
        for i in range(MAX_ERRORS + 20)
    ]
    report = run(world.admin, "cadres", csv_file(CADRE_HEADERS, rows, "utf-8"), "x.csv")
    assert report.error_count == MAX_ERRORS + 20 and len(report.errors) == MAX_ERRORS
    assert f"前{MAX_ERRORS}处" in report.summary()
    ws = load_workbook(io.BytesIO(report.to_workbook())).active
    assert [c.value for c in ws[3]] == ["行号", "列", "错误原因"]
    assert [c.value for c in ws[4]][:2] == [2, "性别"]
    assert "另有20处" in ws.cell(row=ws.max_row, column=3).value


# ---- villages, jurisdictions, units, postings ----------------------------------------------


def test_village_under_another_county_is_refused_per_row(world):
    county = world.users["county"]  # 芒市
    before = counts()
    rows = [
        ["533103102011", "新寨村", "533103102000", "否", "", ""],
        ["533102001002", "姐勒村", "533102001000", "是", "", ""],  # 瑞丽市
        ["533103102012", "弄坎新村", "533103102000", "否", "24.25", ""],
    ]
    report = run(county, "villages", xlsx(VILLAGE_HEADERS, rows))
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "所属乡镇(街道)区划代码"),
        (4, "签到点纬度"),
    ]
    assert "不在您的管辖范围内" in report.errors[0].reason
    assert counts() == before


def test_existing_village_is_updated(world):
    rows = [["533103102002", "拉勐村委会", "533103102000", "是", "", ""]]
    report = run(world.users["county"], "villages", xlsx(VILLAGE_HEADERS, rows))
    assert report.ok and report.updated == 1
    village = world.villages["B"]
    village.refresh_from_db()
    assert village.border and village.jurisdiction.name == "拉勐村委会"


def test_jurisdiction_tree_in_one_file_parents_anywhere(world):
    header = ["区划代码", "名称", "层级", "上级区划代码"]
    rows = [
        ["533103103001", "芒里村", "村(社区)", "533103103000"],  # child before its parent
        ["533103103000", "芒海镇", "乡镇(街道)", "533103000000"],
    ]
    report = run(world.users["county"], "jurisdictions", xlsx(header, rows))
    assert report.ok, report.errors
    town = Jurisdiction.objects.get(code="533103103000")
    village = Jurisdiction.objects.get(code="533103103001")
    assert village.parent == town and village.path == town.path + "533103103001/"
    assert Village.objects.get(jurisdiction=village).township == town


def test_jurisdiction_rules_of_the_service_apply(world):
    header = ["区划代码", "名称", "层级", "上级区划代码"]
    rows = [
        ["533124000000", "陇川县", "县(市)", "533100000000"],  # county user may not
        ["533103109000", "错层", "村(社区)", "533103000000"],  # level skips one
        ["533102104000", "错前缀", "乡镇(街道)", "533103000000"],  # prefix of 瑞丽
        ["533200000000", "顶级", "州(市)", ""],
    ]
    report = run(world.users["county"], "jurisdictions", xlsx(header, rows))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "上级区划代码"),
        (3, "层级"),
        (4, "区划代码"),
        (5, "上级区划代码"),
    ]


def test_units_import_respects_county_scope(world):
    header = ["单位名称", "层级", "性质", "所在地区代码"]
    rows = [
        ["芒市财政局", "县级", "机关", "533103000000"],
        ["瑞丽市林业局", "县级", "机关", "533102000000"],
    ]
    report = run(world.users["county"], "units", xlsx(header, rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "所在地区代码")]
    ok = run(world.users["county"], "units", xlsx(header, rows[:1]))
    assert (
        ok.ok and DispatchingUnit.objects.get(name="芒市财政局").jurisdiction.code == "533103000000"
    )


POSTING_HEADERS = [
    "身份证号",
    "村(社区)区划代码",
    "驻村职务",
    "到岗日期",
    "计划期满日期",
    "实际结束日期",
    "状态",
]


def test_postings_one_active_per_cadre_and_rotation_in_one_file(world):
    fs_a, spare = world.cadres["fs_a"], world.cadres["spare"]
    clash = [[fs_a.id_number, "533103102002", "工作队员", "2025-01-01", "", "", "在岗"]]
    report = run(world.admin, "postings", xlsx(POSTING_HEADERS, clash))
    assert [e.column for e in report.errors] == ["身份证号"] and "一人一岗" in report.errors[
        0
    ].reason
    rotation = [
        [spare.id_number, "533103102001", "第一书记", "2025-01-01", "2027-01-01", "", ""],
        [
            fs_a.id_number,
            "533103102001",
            "第一书记",
            "2024-03-01",
            "2026-03-01",
            "2024-12-31",
            "已结束",
        ],
        [fs_a.id_number, "533103102002", "工作队员", "2025-01-01", "", "", "在岗"],
    ]
    report = run(world.admin, "postings", xlsx(POSTING_HEADERS, rotation))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 1)
    assert Posting.objects.get(pk=world.postings["fs_a"].pk).status == "ended"
    assert Posting.objects.filter(cadre=fs_a, status="active").get().village == world.villages["B"]


def test_posting_village_out_of_scope_and_unknown_cadre(world):
    rows = [
        [world.cadres["spare"].id_number, "533102001001", "工作队员", "2025-01-01", "", "", ""],
        [
            make_id_number(dt.date(1980, 1, 1), 9),
            "533103102002",
            "工作队员",
            "2025-01-01",
            "",
            "",
            "",
        ],
    ]
    report = run(world.users["county"], "postings", xlsx(POSTING_HEADERS, rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "村(社区)区划代码"), (3, "身份证号")]


# ---- templates and large files --------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_has_headers_instructions_and_ignored_example(world, kind):
    wb = load_workbook(io.BytesIO(template_workbook(kind)))
    assert wb.sheetnames == [KINDS[kind], "填写说明"]
    ws = wb.worksheets[0]
    assert ws.cell(row=2, column=1).font.i  # grey italic example
    report = run(world.admin, kind, io.BytesIO(template_workbook(kind)))
    assert not report.ok and "没有数据行" in report.errors[0].reason


def test_filled_template_round_trip(world):
    wb = load_workbook(io.BytesIO(template_workbook("cadres")))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    data = cadre_data(name="模板填写", serial=951, gender="女", party_status="正式党员")
    ws.append([data[f] for f in validation.CADRE_FIELDS])
    assert headers == CADRE_HEADERS
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = run(world.admin, "cadres", buf)
    assert report.ok and report.created == 1 and report.rows == 1
    assert Cadre.objects.get(name="模板填写").gender == "female"
    assert not Cadre.objects.filter(name="张示例").exists()


def test_generated_5000_row_file_imports_with_few_queries(
    world, tmp_path, django_assert_max_num_queries
):
    path = tmp_path / "cadres.xlsx"
    write_cadre_xlsx(path, 5000, unit_name="德宏州农业农村局", seed=7)
    before = Cadre.objects.count()
    with path.open("rb") as f, django_assert_max_num_queries(300):
        # SQLite inserts ~38 rows per statement (999 parameters); never a query per row
        report = run(world.users["prefecture"], "cadres", f, path.name)
    assert report.ok, report.errors[:5]
    assert report.created == 5000 and Cadre.objects.count() == before + 5000
    assert Event.objects.latest("seq").after["created"] == 5000


def test_errors_are_rowerror_values(world):
    report = run(world.admin, "nonsense", io.BytesIO(b"x"), "x.csv")
    assert (
        report.errors == [RowError(0, "", report.errors[0].reason)]
        and "未知的导入类型" in report.errors[0].reason
    )


def excel_style_xlsx(rows_xml: str, strings: list[str]) -> io.BytesIO:
    """A workbook laid out as Excel writes it: shared strings (with rich text and phonetic
    runs), date serials styled by built-in and custom formats, the instructions sheet first."""
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="填写说明" sheetId="1" r:id="rId1"/><sheet name="驻村任职" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": f"<sst {ns}>" + "".join(strings) + "</sst>",
        "xl/styles.xml": f'<styleSheet {ns}><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": f'<worksheet {ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row></sheetData></worksheet>',
        "xl/worksheets/sheet2.xml": f'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1"/><x:sheetData>{rows_xml}</x:sheetData></x:worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, xml in parts.items():
            z.writestr(name, xml)
    buf.seek(0)
    return buf


def test_excel_style_workbook_with_shared_strings_and_date_serials(world):
    spare = world.cadres["spare"]
    strings = [
        f"<si><t>{h}</t></si>"
        for h in ["身份证号", "村(社区)区划代码", "驻村职务", "到岗日期", "计划期满日期"]
    ]
    strings += [
        f"<si><t>{spare.id_number}</t></si>",
        '<si><r><t>工作</t></r><r><rPr><b/></rPr><t>队员</t></r><rPh sb="0" eb="2"><t>gongzuo</t></rPh></si>',
    ]
    serial = lambda d: (d - dt.date(1899, 12, 30)).days  # noqa: E731
    rows_xml = (
        '<x:row r="1">'
        + "".join(f'<x:c r="{c}1" t="s"><x:v>{i}</x:v></x:c>' for i, c in enumerate("ABCDE"))
        + "</x:row>"
        '<x:row r="3"><x:c r="A3" t="s"><x:v>5</x:v></x:c><x:c r="B3"><x:v>533103102002</x:v></x:c>'
        '<x:c r="C3" t="s"><x:v>6</x:v></x:c>'
        f'<x:c r="D3" s="1"><x:v>{serial(dt.date(2025, 1, 1))}</x:v></x:c>'
        f'<x:c r="E3" s="2"><x:v>{serial(dt.date(2027, 1, 1))}</x:v></x:c></x:row>'
    )
    report = run(world.admin, "postings", excel_style_xlsx(rows_xml, strings), "任职.xlsx")
    assert report.ok, report.errors
    posting = Posting.objects.get(cadre=spare)
    assert (posting.role, posting.village) == ("team_member", world.villages["B"])
    assert (posting.arrival_date, posting.planned_end) == (dt.date(2025, 1, 1), dt.date(2027, 1, 1))


def test_id_number_typed_as_number_in_excel_is_explained(world):
    strings = [
        f"<si><t>{h}</t></si>" for h in ["身份证号", "村(社区)区划代码", "驻村职务", "到岗日期"]
    ]
    rows_xml = (
        '<x:row r="1">'
        + "".join(f'<x:c r="{c}1" t="s"><x:v>{i}</x:v></x:c>' for i, c in enumerate("ABCD"))
        + "</x:row>"
        '<x:row r="2"><x:c r="A2"><x:v>5.3310319900517E+17</x:v></x:c><x:c r="B2"><x:v>533103102002</x:v></x:c>'
        '<x:c r="C2" t="inlineStr"><x:is><x:t>工作队员</x:t></x:is></x:c><x:c r="D2" t="str"><x:v>2025-01-01</x:v></x:c></x:row>'
    )
    report = run(world.admin, "postings", excel_style_xlsx(rows_xml, strings))
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]
    assert "文本" in report.errors[0].reason


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_django_uploaded_files_and_title_row_above_header(world, fmt, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    rows = [["驻村干部登记表(芒市)"], CADRE_HEADERS, cadre_row(name="上传者", serial=981)]
    if fmt == "xlsx":
        content = xlsx(rows[0], rows[1:]).getvalue()
    else:
        content = csv_file(rows[0], rows[1:], "gb18030").getvalue()
    simple = SimpleUploadedFile(f"干部.{fmt}", content)
    report = run(world.admin, "cadres", simple, simple.name)
    assert report.ok and report.created == 1, report.errors
    temp = TemporaryUploadedFile(f"干部.{fmt}", "application/octet-stream", len(content), None)
    temp.write(content)
    report = run(world.admin, "cadres", temp, temp.name)
    assert report.ok and report.unchanged == 1, report.errors
    temp.close()
