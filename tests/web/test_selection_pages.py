"""The selection pages (选派提名, 覆盖情况, 时限提醒, 批量资格审查, 政策参数, 节假日安排)
through the Django test client: each role, the nomination flow by POST forms, warnings with
reasons, the downloads and the Chinese errors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.params.models import HolidayYear
from zhucun.registry import services as reg
from zhucun.registry.models import Posting
from zhucun.selection.models import Nomination, NominationState, NominationStep

from .helpers import ROLES, html, login, table_pks

ON = "2026-03-02"

PAGES = {
    "/nominations/": {"admin", "prefecture", "county", "unit"},
    "/nominations/new/": {"admin", "unit"},
    "/coverage/": {"admin", "prefecture", "county", "township"},
    "/coverage/export/": {"admin", "prefecture", "county", "township"},
    "/deadlines/": {"admin", "prefecture", "county", "township"},
    "/deadlines/?kind=transfer": {"admin", "prefecture", "county", "township"},
    "/screening/": {"admin", "prefecture", "county", "unit"},
    "/screening/template/": {"admin", "prefecture", "county", "unit"},
    "/parameters/": {"admin", "prefecture", "county", "township", "unit"},
    "/calendar/": {"admin", "prefecture", "county", "township", "unit"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(PAGES))
def test_each_page_as_each_role(client, world, role, url):
    login(client, world, role)
    response = client.get(url)
    expected = 200 if role in PAGES[url] else 404
    assert response.status_code == expected, (url, role)
    if expected == 404:
        assert "404" in html(response)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/nominations/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nav_links_per_role(client, world):
    login(client, world, "county")
    text = html(client.get("/"))
    for label in ("选派提名", "覆盖情况", "时限提醒", "资格审查", "政策参数"):
        assert label in text
    login(client, world, "team_member")
    text = html(client.get("/"))
    assert "选派提名" not in text and "覆盖情况" not in text


# ---- the nomination flow ----------------------------------------------------------------


def _detail(client, pk):
    return client.get(f"/nominations/{pk}/")


def _post(client, pk, data):
    return client.post(f"/nominations/{pk}/", data, follow=True)


FIVE = {k: "on" for k in ("political", "conduct", "ability", "style", "integrity")}


def test_full_nomination_flow_through_the_pages(client, world):
    spare = world.cadres["spare"]
    village_a = world.villages["A"]
    # 1. the unit creates the nomination for its unposted cadre
    login(client, world, "unit")
    form = html(client.get("/nominations/new/"))
    assert f'<option value="{spare.pk}"' in form
    assert f'<option value="{world.cadres["tm_a"].pk}"' not in form  # in post
    response = client.post(
        "/nominations/new/",
        {
            "cadre_id": spare.pk,
            "role": "team_member",
            "source": "recommendation",
            "dispatch_date": ON,
            "village_id": "",
            "note": "",
        },
    )
    n = Nomination.objects.get(cadre=spare)
    assert response.status_code == 302 and response["Location"] == f"/nominations/{n.pk}/"
    text = html(_detail(client, n.pk))
    assert "组织推荐" in text and 'id="form-propose"' in text and 'id="form-withdraw"' in text
    assert 'id="form-review"' not in text
    # the list shows it
    assert table_pks(client.get("/nominations/"), "nomination-table") == {n.pk}

    # 2. propose without the attestations: red list citing the clauses, nothing changes
    text = html(_post(client, n.pk, {"action": "propose", "attested_by": ""}))
    assert 'id="propose-errors"' in text
    assert "[SEL.COND.BASIC]" in text and "[SEL.COND.NO1]" in text
    n.refresh_from_db()
    assert n.state == NominationState.RECOMMENDED
    text = html(
        _post(
            client,
            n.pk,
            {
                "action": "propose",
                "basic_attested": "on",
                "no1_attested": "on",
                "attested_by": "人事科 王敏",
                "note": "",
            },
        )
    )
    n.refresh_from_db()
    assert n.state == NominationState.PROPOSED and n.attested_by == "人事科 王敏"
    assert "已提出人选" in text

    # 3. the county reviews with the five checkpoints
    login(client, world, "county")
    text = html(_detail(client, n.pk))
    assert 'id="form-review"' in text and 'id="form-reject"' in text
    for label in ("政治关", "品行关", "能力关", "作风关", "廉洁关"):
        assert label in text
    text = html(
        _post(
            client,
            n.pk,
            {
                "action": "review",
                **{k: v for k, v in FIVE.items() if k != "integrity"},
                "reviewer_name": "县驻村办 李华",
            },
        )
    )
    assert "[SEL.METHOD.FIVE]" in text and "廉洁关" in text
    _post(client, n.pk, {"action": "review", **FIVE, "reviewer_name": "县驻村办 李华"})
    n.refresh_from_db()
    assert n.state == NominationState.FILED and n.reviewer_name == "县驻村办 李华"

    # 4. the unit decides
    login(client, world, "unit")
    _post(client, n.pk, {"action": "decide", "note": "党委会2026年第3次会议研究同意"})
    n.refresh_from_db()
    assert n.state == NominationState.DECIDED

    # 5. the county posts to village A
    login(client, world, "county")
    text = html(_detail(client, n.pk))
    assert 'id="form-post"' in text and f'<option value="{village_a.pk}"' in text
    assert f'<option value="{world.villages["C"].pk}"' not in text  # 瑞丽市, not editable
    text = html(
        _post(
            client,
            n.pk,
            {"action": "post", "village_id": village_a.pk, "arrival_date": ON, "planned_end": ""},
        )
    )
    n.refresh_from_db()
    assert n.state == NominationState.POSTED
    posting = Posting.objects.get(pk=n.posting_id)
    assert posting.village == village_a and posting.arrival_date == dt.date(2026, 3, 2)
    assert 'id="posting-link"' in text and 'id="findings-table"' in text
    assert "没有审查意见(全部符合)" in text  # 1 FS + 2 TM: the 3类村 team is complete
    assert 'id="form-' not in text  # nothing left to do

    # the step history and the audit trail
    steps = list(NominationStep.objects.filter(nomination=n).values_list("action", flat=True))
    assert steps == ["create", "propose", "review", "decide", "post"]
    assert Event.objects.filter(action__startswith="nomination.", object_id=str(n.pk)).count() == 5
    assert Event.objects.filter(action__startswith="posting.").exists()
    for who in ("人事科 王敏", "县驻村办 李华", "党委会2026年第3次会议研究同意"):
        assert who in text
    # the village page shows the team check with clause ids
    text = html(client.get(f"/villages/{village_a.pk}/"))
    assert 'id="team-check"' in text and "赵小兵" in text
    assert "第一书记(工作队长)1名、工作队员2名,共3人" in text and "SEL.SCOPE.CAT3" in text


def test_wrong_role_cannot_act_and_outsiders_get_404(client, world):
    login(client, world, "unit")
    client.post(
        "/nominations/new/",
        {
            "cadre_id": world.cadres["spare"].pk,
            "role": "team_member",
            "source": "application",
            "dispatch_date": ON,
        },
    )
    n = Nomination.objects.get()
    # the unit may not review its own nomination (the service refuses: 403)
    response = client.post(f"/nominations/{n.pk}/", {"action": "review", **FIVE})
    assert response.status_code == 403
    # a prefecture sees it; 瑞丽市's scope is not set up as a user, the township has no business
    login(client, world, "township")
    assert client.get(f"/nominations/{n.pk}/").status_code == 404
    login(client, world, "prefecture")
    assert client.get(f"/nominations/{n.pk}/").status_code == 200
    assert client.get("/nominations/999999/").status_code == 404


def test_withdraw_and_reject(client, world):
    login(client, world, "unit")
    client.post(
        "/nominations/new/",
        {
            "cadre_id": world.cadres["spare"].pk,
            "role": "team_member",
            "source": "application",
            "dispatch_date": ON,
        },
    )
    n = Nomination.objects.get()
    _post(client, n.pk, {"action": "withdraw", "note": "本人申请撤回"})
    n.refresh_from_db()
    assert n.state == NominationState.WITHDRAWN
    # a new one, rejected by the county with a reason
    client.post(
        "/nominations/new/",
        {
            "cadre_id": world.cadres["spare"].pk,
            "role": "team_member",
            "source": "recommendation",
            "dispatch_date": ON,
        },
    )
    m = Nomination.objects.exclude(pk=n.pk).get()
    _post(
        client,
        m.pk,
        {"action": "propose", "basic_attested": "on", "no1_attested": "on", "attested_by": "王敏"},
    )
    login(client, world, "county")
    text = html(_post(client, m.pk, {"action": "reject", "note": ""}))
    assert "请填写不予通过的理由" in text
    _post(client, m.pk, {"action": "reject", "note": "工作需要,暂缓选派"})
    m.refresh_from_db()
    assert m.state == NominationState.REJECTED


def test_new_nomination_errors_are_chinese(client, world):
    login(client, world, "unit")
    text = html(
        client.post(
            "/nominations/new/",
            {"cadre_id": "", "role": "team_member", "source": "application", "dispatch_date": "x"},
        )
    )
    assert "请选择人选" in text and 'id="error_dispatch_date"' in text
    # a cadre of another unit: not found in the unit's scope, shown on the field
    text = html(
        client.post(
            "/nominations/new/",
            {
                "cadre_id": world.cadres["fs_c"].pk,
                "role": "team_member",
                "source": "application",
                "dispatch_date": ON,
            },
        )
    )
    assert 'id="error_cadre_id"' in text and not Nomination.objects.exists()


def test_warning_needs_a_written_reason_then_accepted(client, world):
    unit = world.users["unit"]
    xd = reg.cadre_create(
        actor=unit,
        data=cadre_data(name="选调生乙", serial=42, unit_name="芒市人民医院", is_xuandiao=True),
    )
    login(client, world, "unit")
    client.post(
        "/nominations/new/",
        {
            "cadre_id": xd.pk,
            "role": "first_secretary",
            "source": "recommendation",
            "dispatch_date": ON,
        },
    )
    n = Nomination.objects.get(cadre=xd)
    text = html(_detail(client, n.pk))
    assert "SEL.SRC.XD" in text and "提示" in text  # the finding at creation, as a warning
    data = {
        "action": "propose",
        "basic_attested": "on",
        "no1_attested": "on",
        "attested_by": "王敏",
    }
    text = html(_post(client, n.pk, data))
    assert 'id="propose-warnings"' in text
    assert 'name="reason_SEL.SRC.XD"' in text and "[SEL.SRC.XD]" in text
    assert "选调生乙" in text
    # the bound form keeps what was entered
    assert 'name="attested_by" id="propose-attested_by" value="王敏"' in text
    n.refresh_from_db()
    assert n.state == NominationState.RECOMMENDED
    reason = "该村急需懂电商的干部,经县委组织部同意"
    text = html(_post(client, n.pk, {**data, "reason_SEL.SRC.XD": reason}))
    n.refresh_from_db()
    assert n.state == NominationState.PROPOSED
    assert n.warning_reasons["SEL.SRC.XD"] == reason
    assert reason in text and 'id="reasons-table"' in text


# ---- coverage ---------------------------------------------------------------------------


def test_coverage_lists_uncovered_first_and_exports(client, world):
    reg.posting_end(
        actor=world.admin, posting_id=world.postings["fs_b"].pk, end_date=dt.date(2026, 1, 1)
    )
    login(client, world, "county")
    response = client.get("/coverage/")
    text = html(response)
    assert table_pks(response, "coverage-table") == {world.villages["A"].pk, world.villages["B"].pk}
    body = text[text.index('id="coverage-table"') :]
    assert body.index("拉勐村") < body.index("弄坎村")
    assert "未覆盖" in body and "[SEL.SCOPE.COVER]" in body and "[SEL.SCOPE.CAT3]" in body
    assert "岳文华(第一书记)" in body and "线美玲(工作队员)" in body
    assert 'id="sum-uncovered">1<' in text and 'id="sum-villages">2<' in text
    assert "团结村" not in text
    # only problems / township filters
    assert table_pks(client.get("/coverage/?problems=1"), "coverage-table") == {
        world.villages["A"].pk,
        world.villages["B"].pk,
    }
    # the xlsx
    response = client.get("/coverage/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E8%A6%86%E7%9B%96" in response["Content-Disposition"]  # 覆盖
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "拉勐村" in values and "弄坎村" in values and "团结村" not in values


def test_coverage_adjust_form(client, world):
    village = world.villages["A"]
    login(client, world, "township")
    assert 'id="adjust-' not in html(client.get("/coverage/"))  # township: read only
    login(client, world, "county")
    assert f'id="adjust-{village.pk}"' in html(client.get("/coverage/"))
    text = html(
        client.post(
            "/coverage/", {"village_id": village.pk, "reason": "短", "valid_from": ON}, follow=True
        )
    )
    assert 'id="adjust-errors"' in text and "请写明调整理由" in text
    text = html(
        client.post(
            "/coverage/",
            {"village_id": village.pk, "reason": "边境管控需要,暂缺1名队员", "valid_from": ON},
            follow=True,
        )
    )
    assert "请写明例外允许的组成" in text and "请填写截止日期" in text
    assert "边境管控需要,暂缺1名队员" in text  # the form keeps its input
    text = html(
        client.post(
            "/coverage/",
            {
                "village_id": village.pk,
                "reason": "边境管控需要,暂缺1名队员",
                "valid_from": ON,
                "valid_until": "2027-06-30",
                "min_team_members": "1",
                "decided_by": "芒市县委组织部部务会",
            },
            follow=True,
        )
    )
    assert "已登记弄坎村的选派调整" in text
    assert village.composition_exceptions.count() == 1
    assert "[SEL.SCOPE.ADJUST]" in text and "例外" in text
    # another county's village is refused
    text = html(
        client.post(
            "/coverage/",
            {"village_id": world.villages["C"].pk, "reason": "边境管控需要", "valid_from": ON},
        )
    )
    assert "不在您的管辖范围内" in text and not world.villages["C"].composition_exceptions.exists()


# ---- deadlines --------------------------------------------------------------------------


def test_deadlines_unknown_year_and_overdue(client, world):
    Posting.objects.filter(pk=world.postings["fs_a"].pk).update(arrival_date=dt.date(2027, 1, 4))
    login(client, world, "township")
    text = html(client.get("/deadlines/"))  # 抵边村 A: FS + 1 TM, the team is short
    assert "工作队尚未配齐,任命时限未开始计算" in text
    world.villages["A"].__class__.objects.filter(pk=world.villages["A"].pk).update(border=False)
    response = client.get("/deadlines/")
    text = html(response)
    assert table_pks(response, "deadline-table") == {
        world.postings["fs_a"].pk,
        world.postings["fs_b"].pk,
    }
    assert "请录入2027年节假日安排" in text and 'href="/calendar/"' in text
    assert "SEL.METHOD.APPOINT10" in text and "SEL.METHOD.TRANSFER15" in text


def test_deadlines_overdue_shown_and_recorded(client, world):
    world.villages["A"].__class__.objects.filter(pk=world.villages["A"].pk).update(border=False)
    login(client, world, "county")  # the county sees the appointment list but does not record
    response = client.get("/deadlines/")
    text = html(response)
    fs_a, fs_b = world.postings["fs_a"].pk, world.postings["fs_b"].pk
    assert table_pks(response, "deadline-table") == {fs_a, fs_b}
    assert "已逾期" in text and "[SEL.METHOD.APPOINT10]" in text
    assert 'id="record-' not in text
    login(client, world, "township")  # the township party committee appoints
    assert f'id="record-{fs_a}"' in html(client.get("/deadlines/"))
    text = html(client.post("/deadlines/?kind=appoint", {"posting_id": fs_a, "on": "2024-03-08"}))
    response = client.get("/deadlines/")
    assert table_pks(response, "deadline-table") == {fs_b}
    assert Posting.objects.get(pk=fs_a).fs_appointed_on == dt.date(2024, 3, 8)
    text = html(
        client.post(
            "/deadlines/?kind=appoint", {"posting_id": fs_b, "on": "2020-01-01"}, follow=True
        )
    )
    assert "日期不能早于到岗日期" in text
    # transfer tab: party members only (线美玲 is not one)
    response = client.get("/deadlines/?kind=transfer")
    assert world.postings["tm_a"].pk not in table_pks(response, "deadline-table")
    # the prefecture sees but does not record
    login(client, world, "prefecture")
    assert 'id="record-' not in html(client.get("/deadlines/"))


def test_home_boxes(client, world):
    world.villages["A"].__class__.objects.filter(pk=world.villages["A"].pk).update(border=False)
    login(client, world, "county")
    text = html(client.get("/"))
    assert 'id="selection-box"' in text and 'href="/coverage/?problems=1"' in text
    assert 'id="home-overdue-appoint">2<' in text
    login(client, world, "unit")
    text = html(client.get("/"))
    assert 'id="home-nominations-link"' in text and 'id="home-open-nominations">0<' in text


# ---- screening --------------------------------------------------------------------------


def test_screening_bad_file_shows_chinese_error(client, world):
    login(client, world, "unit")
    bad = io.BytesIO(b"\x00\x01\x02 not a spreadsheet")
    bad.name = "名单.xlsx"
    response = client.post("/screening/", {"file": bad})
    assert response.status_code == 200
    text = html(response)
    assert 'id="screening-error"' in text
    assert "名单.xlsx" in text
    # no header columns
    csv = io.BytesIO("姓名,备注\n张三,x\n".encode())
    csv.name = "名单.csv"
    text = html(client.post("/screening/", {"file": csv}))
    assert "缺少必填列" in text
    text = html(client.post("/screening/", {}))
    assert "请选择要上传的人选名单" in text


def test_screening_upload_and_download(client, world):
    login(client, world, "county")
    template = client.get("/screening/template/")
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb.active
    ws.append(
        [
            "教师甲",
            "1990-05-17",
            "正式党员",
            "2015-07-01",
            "2012-08-01",
            "小学教师",
            "中小学教师",
            "是",
            "否",
            "否",
            "否",
            "否",
            "否",
            "否",
            "否",
            "否",
            "工作队员",
            "2026-12-01",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "人选名单.xlsx"
    text = html(client.post("/screening/", {"file": buf}))
    assert 'id="screening-report"' in text and 'id="screening-total">2<' in text
    assert "符合" in text and "不符合" in text
    result = client.get("/screening/result/")
    assert result.status_code == 200
    assert "filename*=utf-8''" in result["Content-Disposition"]
    out = load_workbook(io.BytesIO(result.content)).active
    rows = list(out.iter_rows(values_only=True))
    assert rows[0][-2:] == ("审查结果", "审查意见(条款)")
    assert rows[2][-2] == "不符合" and "SEL.COND.NO3" in rows[2][-1]


def test_screening_result_without_upload_is_404(client, world):
    login(client, world, "unit")
    assert client.get("/screening/result/").status_code == 404


# ---- parameters and calendar ------------------------------------------------------------


def _param_row(text: str, clause: str) -> str:
    start = text.index(f'data-clause="{clause}"')
    return text[start : text.index("</tr>", start)]


def test_parameters_gap_unset_and_county_sets_it(client, world):
    login(client, world, "township")
    text = html(client.get("/parameters/"))
    row = _param_row(text, "MGT.1.DAYS")
    assert "原文缺失此数值,须由本辖区设置" in row and "每年在岗时间不少于天" in row
    assert 'id="set-form"' not in text  # a township does not set parameters
    login(client, world, "county")
    text = html(client.get("/parameters/?set=min_days_on_duty_per_year"))
    assert 'id="set-form"' in text
    assert '<option value="533103000000" selected>芒市</option>' in text
    assert "533100000000" not in text.split('id="set-form"')[1].split("</form>")[0]
    # a note is required
    data = {
        "name": "min_days_on_duty_per_year",
        "jurisdiction_code": "533103000000",
        "effective": "2026-01-01",
        "value": "200",
        "note": "",
    }
    text = html(client.post("/parameters/", data))
    assert "请填写设置依据" in text
    text = html(
        client.post("/parameters/", {**data, "value": "两百", "note": "芒组通〔2026〕12号"})
    )
    assert 'id="id_error_value"' in text
    response = client.post("/parameters/", {**data, "note": "芒组通〔2026〕12号"}, follow=True)
    text = html(response)
    row = _param_row(text, "MGT.1.DAYS")
    assert "200天" in row and "2026-01-01" in row and "芒组通〔2026〕12号" in row
    assert "原文缺失此数值" not in row
    # the township below the county now sees the county's value
    login(client, world, "township")
    assert "200天" in _param_row(html(client.get("/parameters/")), "MGT.1.DAYS")
    # the prefecture does not: the value is the county's
    login(client, world, "prefecture")
    assert "原文缺失此数值" in _param_row(html(client.get("/parameters/")), "MGT.1.DAYS")


def test_calendar_year_entry_with_line_errors(client, world):
    login(client, world, "county")
    assert 'id="calendar-form"' not in html(client.get("/calendar/"))
    login(client, world, "prefecture")
    text = html(client.get("/calendar/"))
    assert 'id="calendar-form"' in text and 'data-year="2025"' in text
    bad = "2027-01-01 休 元旦\n2027-13-01 休 错\n2027-02-06 放 春节\n乱写"
    text = html(
        client.post(
            "/calendar/", {"year": "2027", "source": "国办发明电〔2026〕7号", "entries": bad}
        )
    )
    assert "第2行" in text and "第3行" in text and "第4行" in text
    assert "2027-13-01" in text  # the textarea keeps what was typed
    good = "2027-01-01 休 元旦\n2027-02-06 班 春节调休\n2027-02-08 休 春节"
    text = html(
        client.post(
            "/calendar/",
            {"year": "2027", "source": "国办发明电〔2026〕7号", "entries": good},
            follow=True,
        )
    )
    # only 2 weekday holidays: implausibly few, the administrator must confirm
    assert "只登记了2天工作日放假" in text and 'id="id_confirm_few"' in text
    assert not HolidayYear.objects.filter(year=2027).exists()
    text = html(
        client.post(
            "/calendar/",
            {
                "year": "2027",
                "source": "国办发明电〔2026〕7号",
                "entries": good,
                "confirm_few": "1",
            },
            follow=True,
        )
    )
    assert "已录入2027年节假日安排" in text and 'data-year="2027"' in text
    # the deadline of an arrival in 2027 is now computed
    Posting.objects.filter(pk=world.postings["fs_a"].pk).update(arrival_date=dt.date(2027, 1, 4))
    login(client, world, "township")
    assert "请录入2027年节假日安排" not in html(client.get("/deadlines/"))
