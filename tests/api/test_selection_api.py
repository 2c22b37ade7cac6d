"""The selection endpoints: the nomination workflow (SEL.METHOD.FLOW) end to end through the
API, warnings that need a written reason (400 with needs_reason), coverage, deadlines,
batch screening and parameters — every write leaving an audit event."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.api.conftest import PREFIX, ApiClient
from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.registry.models import Posting
from zhucun.selection.models import Nomination
from zhucun.selection.screening import SPEC

FIVE = {"political": True, "conduct": True, "ability": True, "style": True, "integrity": True}
ON = "2026-03-02"
PROPOSE = {"basic_attested": True, "no1_attested": True, "attested_by": "人事科 王敏"}
REVIEW = {"checkpoints": FIVE, "reviewer_name": "县驻村办 李华"}


def _cadre(api, name: str, serial: int, **over) -> int:
    body = cadre_data(name=name, serial=serial, unit_name="芒市人民医院", **over)
    r = api("unit").post("/cadres", body)
    assert r.status_code == 201, r.json()
    return r.json()["id"]


def _nominate(api, cadre_id: int, role: str = "team_member", **over) -> dict:
    body = {
        "cadre_id": cadre_id,
        "role": role,
        "source": "recommendation",
        "dispatch_date": ON,
    } | over
    r = api("unit").post("/nominations", body)
    assert r.status_code == 201, r.json()
    return r.json()


class Audit:
    """Asserts that each write added at least one event, by the given user, with the action."""

    def __init__(self, world) -> None:
        self.world = world
        self.seq = self._last()

    @staticmethod
    def _last() -> int:
        last = Event.objects.order_by("-seq").first()
        return last.seq if last else 0

    def wrote(self, role: str, action: str) -> None:
        new = Event.objects.filter(seq__gt=self.seq)
        assert new.exists(), "a successful write must leave an audit event"
        assert new.filter(action=action, actor_id=self.world.users[role].pk).exists()
        assert Event.objects.latest("seq").actor_id == self.world.users[role].pk
        self.seq = self._last()

    def unchanged(self) -> None:
        assert self._last() == self.seq


# ---- the workflow ---------------------------------------------------------------------------


def test_full_flow_unit_county_unit_county_posts_to_village_a(api, world):
    cadre_id = _cadre(api, "刀成", 31, occupation="医务科科员")
    audit = Audit(world)
    unit, county = api("unit"), api("county")

    n = _nominate(api, cadre_id)
    audit.wrote("unit", "nomination.create")
    nid = n["id"]
    assert n["state"] == "recommended" and n["allowed_actions"] == ["propose", "withdraw"]
    assert all(set(f) == {"clause", "severity", "message"} for f in n["findings"])

    # the county body sees it but cannot propose on the unit's behalf
    assert county.get(f"/nominations/{nid}").json()["allowed_actions"] == []
    r = county.post(f"/nominations/{nid}/propose", PROPOSE)
    assert r.status_code == 403 and "SEL.METHOD.FLOW" in r.json()["detail"]
    audit.unchanged()

    r = unit.post(f"/nominations/{nid}/propose", PROPOSE)
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "proposed" and r.json()["attested_by"] == "人事科 王敏"
    audit.wrote("unit", "nomination.propose")

    r = county.post(f"/nominations/{nid}/review", REVIEW)
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "filed" and r.json()["checkpoints"] == FIVE
    audit.wrote("county", "nomination.review")

    r = unit.post(f"/nominations/{nid}/decide", {"note": "党委会2026年第3次会议"})
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "decided"
    audit.wrote("unit", "nomination.decide")
    assert county.get(f"/nominations/{nid}").json()["allowed_actions"] == ["post", "reject"]

    village_a = world.villages["A"].pk
    r = county.post(f"/nominations/{nid}/post", {"village_id": village_a, "arrival_date": ON})
    assert r.status_code == 200, r.json()
    body = r.json()
    audit.wrote("county", "nomination.post")
    assert body["state"] == "posted" and body["allowed_actions"] == []
    assert body["village_id"] == village_a and body["village_name"] == "弄坎村"
    posting = Posting.objects.get(pk=body["posting_id"])
    assert posting.village_id == village_a and posting.cadre_id == cadre_id
    assert posting.arrival_date == dt.date(2026, 3, 2)
    assert [s["action"] for s in body["steps"]] == ["create", "propose", "review", "decide", "post"]
    assert body["steps"][1]["actor_name"] and body["steps"][3]["note"] == "党委会2026年第3次会议"
    for step in body["steps"]:
        assert all(f["clause"] for f in step["findings"])
    assert api("county").get(f"/postings/{posting.pk}").json()["cadre_name"] == "刀成"


def test_session_login_with_csrf_can_take_a_step(api, world):
    nid = _nominate(api, _cadre(api, "刀成", 31))["id"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit"])
    session = ApiClient(client=client)
    assert session.post(f"/nominations/{nid}/propose", PROPOSE).status_code == 403  # no CSRF
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    session.headers = {"X-CSRFToken": secret}
    r = session.post(f"/nominations/{nid}/propose", PROPOSE)
    assert r.status_code == 200 and r.json()["state"] == "proposed"


def test_warning_needs_reason_then_passes_with_reasons(api, world):
    """SEL.SRC.XD: a 选调生 as first secretary is a warning a written reason lets through."""
    nid = _nominate(api, _cadre(api, "选调生乙", 42, is_xuandiao=True), "first_secretary")["id"]
    audit = Audit(world)
    r = api("unit").post(f"/nominations/{nid}/propose", PROPOSE)
    assert r.status_code == 400
    body = r.json()
    assert body["needs_reason"] is True
    assert body["detail"].startswith("存在须说明理由的提示事项")
    assert [e["clause"] for e in body["errors"]] == ["SEL.SRC.XD"]
    assert {e["field"] for e in body["errors"]} == {""}  # a rule, not a field
    audit.unchanged()
    assert Nomination.objects.get(pk=nid).state == "recommended"

    reason = "该村急需懂电商的干部,经县委组织部同意"
    r = api("unit").post(
        f"/nominations/{nid}/propose", PROPOSE | {"reasons": {"SEL.SRC.XD": reason}}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "proposed"
    assert r.json()["warning_reasons"] == {"SEL.SRC.XD": reason}
    audit.wrote("unit", "nomination.propose")
    assert Event.objects.latest("seq").after["warning_reasons"] == {"SEL.SRC.XD": reason}


def test_error_is_400_without_needs_reason_and_cites_the_clause(api, world):
    teacher = _cadre(
        api, "教师甲", 41, occupation="小学教师", occupation_code="primary_secondary_teacher"
    )
    n = _nominate(api, teacher)
    assert "SEL.COND.NO3" in {f["clause"] for f in n["findings"]}
    r = api("unit").post(
        f"/nominations/{n['id']}/propose", PROPOSE | {"reasons": {"SEL.COND.NO3": "确需"}}
    )
    assert r.status_code == 400
    assert "needs_reason" not in r.json()
    assert r.json()["detail"].startswith("不符合选派条件")
    assert r.json()["errors"][0]["clause"] == "SEL.COND.NO3"


def test_missing_attestation_is_a_clause_error(api, world):
    nid = _nominate(api, _cadre(api, "刀成", 31))["id"]
    r = api("unit").post(f"/nominations/{nid}/propose", PROPOSE | {"basic_attested": False})
    assert r.status_code == 400
    assert "SEL.COND.BASIC" in {e.get("clause") for e in r.json()["errors"]}


@pytest.mark.parametrize(
    "reasons,field",
    [
        ({"NOT.A.CLAUSE": "x"}, "reasons.NOT.A.CLAUSE.[key]"),
        ({"sel.src.xd": "x"}, "reasons.sel.src.xd.[key]"),
        ({"SEL.SRC.XD": 5}, "reasons.SEL.SRC.XD"),
        (["SEL.SRC.XD"], "reasons"),
    ],
)
def test_reasons_must_be_clause_ids_with_text(api, world, reasons, field):
    nid = _nominate(api, _cadre(api, "刀成", 31))["id"]
    r = api("unit").post(f"/nominations/{nid}/propose", PROPOSE | {"reasons": reasons})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == field


def test_review_checkpoints_are_a_strict_object(api, world):
    nid = _nominate(api, _cadre(api, "刀成", 31))["id"]
    assert api("unit").post(f"/nominations/{nid}/propose", PROPOSE).status_code == 200
    r = api("county").post(
        f"/nominations/{nid}/review", REVIEW | {"checkpoints": FIVE | {"luck": True}}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "checkpoints.luck"
    r = api("county").post(
        f"/nominations/{nid}/review", REVIEW | {"checkpoints": FIVE | {"integrity": False}}
    )
    assert r.status_code == 400
    assert [e["clause"] for e in r.json()["errors"]] == ["SEL.METHOD.FIVE"]


def test_create_accepts_chinese_labels_and_validates_dates(api, world):
    cadre_id = _cadre(api, "刀成", 31)
    r = api("unit").post(
        "/nominations",
        {"cadre_id": cadre_id, "role": "工作队员", "source": "个人报名", "dispatch_date": "明天"},
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {"field": "dispatch_date", "reason": "日期格式应为YYYY-MM-DD,“明天”无法识别"}
    ]
    n = _nominate(api, cadre_id, "工作队员", source="个人报名", dispatch_date="2026年3月2日")
    assert (n["role"], n["source"], n["state"]) == ("team_member", "application", "applied")
    assert n["dispatch_date"] == "2026-03-02"


def test_create_for_a_cadre_in_post_is_400(api, world):
    r = api("admin").post(
        "/nominations",
        {
            "cadre_id": world.cadres["fs_a"].pk,
            "role": "team_member",
            "source": "recommendation",
            "dispatch_date": ON,
        },
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "cadre_id"


def test_reject_needs_a_reason_and_withdraw(api, world):
    a = _nominate(api, _cadre(api, "刀成", 31))["id"]
    b = _nominate(api, _cadre(api, "刀二", 32))["id"]
    assert api("unit").post(f"/nominations/{a}/propose", PROPOSE).status_code == 200
    r = api("county").post(f"/nominations/{a}/reject", {"note": "  "})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "note"
    audit = Audit(world)
    r = api("county").post(f"/nominations/{a}/reject", {"note": "群众评价不高"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    audit.wrote("county", "nomination.reject")
    r = api("unit").post(f"/nominations/{b}/withdraw", {})
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    audit.wrote("unit", "nomination.withdraw")
    r = api("unit").post(f"/nominations/{b}/withdraw", {})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "state"


def test_list_filters_by_state_and_name(api, world):
    a = _nominate(api, _cadre(api, "刀成", 31))["id"]
    _nominate(api, _cadre(api, "岩温", 32))
    api("unit").post(f"/nominations/{a}/propose", PROPOSE)
    unit = api("unit")
    assert unit.get("/nominations").json()["count"] == 2
    assert [n["id"] for n in unit.get("/nominations", {"state": "proposed"}).json()["results"]] == [
        a
    ]
    assert unit.get("/nominations", {"q": "岩"}).json()["results"][0]["cadre_name"] == "岩温"
    r = unit.get("/nominations", {"state": "nonsense"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "state"


def test_detail_outside_scope_is_404(api, world):
    nid = _nominate(api, _cadre(api, "刀成", 31))["id"]
    for role in ("township", "first_secretary", "team_member", "village_secretary"):
        r = api(role).get(f"/nominations/{nid}")
        assert r.status_code == 404
        assert r.json() == {"detail": "提名不存在或不在您的管辖范围内", "errors": []}


# ---- coverage -------------------------------------------------------------------------------


def test_coverage_lists_the_uncovered_first(api, world):
    r = api("county").post(f"/postings/{world.postings['fs_b'].pk}/end", {"end_date": "2026-03-01"})
    assert r.status_code == 200
    body = api("county").get("/coverage").json()
    assert body["summary"] == {
        "villages": 2,
        "uncovered": 1,
        "failing": 1,
        "exceptions": 0,
        "cat3": 1,
    }
    assert body["count"] == 2
    first, second = body["results"]
    assert first["village"]["name"] == "拉勐村" and first["status"] == "未覆盖"
    assert first["team"] == [] and first["findings"][0]["clause"] == "SEL.SCOPE.COVER"
    assert second["village"]["name"] == "弄坎村" and second["status"] == "不符合"
    assert {m["cadre_name"] for m in second["team"]} == {"岳文华", "线美玲"}
    assert second["village"]["categories"] == ["border"]
    for row in body["results"]:
        assert all(set(f) == {"clause", "severity", "message"} for f in row["findings"])
    whole = api("prefecture").get("/coverage", {"page_size": 1, "page": 2}).json()
    assert whole["count"] == 3 and len(whole["results"]) == 1
    problems = api("prefecture").get("/coverage", {"problems": "true"}).json()
    assert {r["village"]["name"] for r in problems["results"]} == {"拉勐村", "弄坎村", "团结村"}
    assert api("county").get("/coverage", {"county": "瑞丽市"}).json()["count"] == 0


def test_composition_exception_is_recorded_and_shown(api, world):
    audit = Audit(world)
    body = {
        "village_id": world.villages["A"].pk,
        "reason": "边境管控需要,暂缓配齐工作队员",
        "valid_from": "2026-01-01",
    }
    r = api("county").post("/coverage/exceptions", body)  # no composition, no end: refused
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"valid_until", "max_team_size"}
    body |= {"valid_until": "2027-06-30", "min_team_members": 1, "decided_by": "芒市县委组织部"}
    r = api("county").post("/coverage/exceptions", body)
    assert r.status_code == 201, r.json()
    assert r.json()["village_name"] == "弄坎村" and r.json()["valid_until"] == "2027-06-30"
    assert r.json()["min_team_members"] == 1 and r.json()["decided_by"] == "芒市县委组织部"
    audit.wrote("county", "selection.exception")
    a = next(
        row
        for row in api("county").get("/coverage").json()["results"]
        if row["village"]["name"] == "弄坎村"
    )
    assert a["status"] == "例外"
    assert "SEL.SCOPE.ADJUST" in {f["clause"] for f in a["findings"]}
    r = api("county").post(
        "/coverage/exceptions", body | {"valid_until": "2025-01-01", "reason": "短"}
    )
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"reason", "valid_until"}


# ---- deadlines ------------------------------------------------------------------------------


def test_deadlines_show_unknown_year_for_a_2027_arrival(api, world):
    Posting.objects.filter(pk=world.postings["fs_a"].pk).update(arrival_date=dt.date(2027, 1, 4))
    body = api("township").get("/deadlines", {"kind": "appoint"}).json()
    row = next(r for r in body["results"] if r["posting_id"] == world.postings["fs_a"].pk)
    assert row["team_in_place"] is False and row["due"] is None  # 抵边村 with one TM: short
    world.villages["A"].__class__.objects.filter(pk=world.villages["A"].pk).update(border=False)
    body = api("township").get("/deadlines", {"kind": "appoint"}).json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["posting_id"] == world.postings["fs_a"].pk)
    assert row["due"] is None and row["unknown_year"] == 2027
    assert row["status"] == "请录入2027年节假日安排"
    assert row["kind"] == "appoint" and row["start"] == "2027-01-04"
    other = next(r for r in body["results"] if r["posting_id"] == world.postings["fs_b"].pk)
    assert other["due"] and other["unknown_year"] is None and other["status"] == "已逾期"
    assert other["findings"][0]["clause"] == "SEL.METHOD.APPOINT10"


def test_deadlines_transfer_lists_party_members_only(api, world):
    body = api("county").get("/deadlines", {"kind": "transfer"}).json()
    assert {r["cadre_name"] for r in body["results"]} == {"岳文华", "排早腊"}
    assert all(r["findings"][0]["clause"] == "SEL.METHOD.TRANSFER15" for r in body["results"])
    r = api("county").get("/deadlines", {"kind": "holiday"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "kind"


def test_recording_a_milestone_closes_the_item(api, world):
    pk = world.postings["fs_a"].pk
    audit = Audit(world)
    r = api("township").post(
        f"/postings/{pk}/milestones", {"kind": "appoint", "on": "2024-03-08", "note": "遮放镇党委"}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["fs_appointed_on"] == "2024-03-08" and r.json()["on"] == "2024-03-08"
    audit.wrote("township", "posting.appoint")
    ids = [row["posting_id"] for row in api("township").get("/deadlines").json()["results"]]
    assert pk not in ids
    r = api("township").post(
        f"/postings/{world.postings['tm_a'].pk}/milestones", {"kind": "appoint", "on": "2024-03-08"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "kind"
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()  # ahead in any zone
    r = api("township").post(f"/postings/{pk}/milestones", {"kind": "appoint", "on": tomorrow})
    assert r.status_code == 400 and r.json()["errors"] == [
        {"field": "on", "reason": "日期不能晚于今天"}
    ]
    r = api("township").post(f"/postings/{pk}/milestones", {"kind": "appoint", "on": "0001-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "on"
    audit.unchanged()


# ---- screening ------------------------------------------------------------------------------

HEAD = [label for label, _ in SPEC.values()]


def _row(name: str, job: str = "科员", code: str = "", birth: str = "1990-05-17") -> list[str]:
    flags = ["是", "否", "否", "否", "否", "否", "否", "否", "否"]
    return [name, birth, "正式党员", "2015-07-01", "2012-08-01", job, code, *flags]
    # + 拟任驻村职务, 拟派出日期 appended by _csv


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEAD)
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode("utf-8-sig")


def _upload(api, role: str, name: str, content: bytes, **data):
    client = api(role)
    return client.client.post(
        PREFIX + "/screening",
        {"file": SimpleUploadedFile(name, content), **data},
        headers=client.headers,
    )


def test_screening_returns_counts_and_rows_with_clauses(api, world):
    rows = [
        [*_row("合格甲"), "第一书记", "2026-12-01"],
        [*_row("教师乙", "小学教师", "primary_secondary_teacher"), "工作队员", "2026-12-01"],
        [*_row("有误丙", birth="1990-13-45"), "工作队员", "2026-12-01"],
    ]
    audit = Audit(world)
    r = _upload(api, "unit", "名单.csv", _csv(rows))
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["total"] == 3 and body["filename"] == "名单.csv"
    assert body["counts"] == {"符合": 1, "不符合": 1, "数据有误": 1}
    ok, teacher, bad = body["results"]
    assert (ok["row"], ok["name"], ok["result"]) == (2, "合格甲", "符合")
    assert teacher["result"] == "不符合"
    assert "SEL.COND.NO3" in {f["clause"] for f in teacher["findings"]}
    assert bad["result"] == "数据有误" and bad["problems"][0]["field"] == "birth_date"
    audit.unchanged()  # nothing is written


def test_screening_default_date_fills_missing_column(api, world):
    head = [h for h in HEAD if h != SPEC["dispatch_date"][0]]
    buf = io.StringIO()
    csv.writer(buf).writerows([head, [*_row("合格甲"), "第一书记"]])
    content = buf.getvalue().encode()
    r = _upload(api, "unit", "a.csv", content)
    assert r.status_code == 400 and "拟派出日期" in r.json()["detail"]
    r = _upload(api, "unit", "a.csv", content, on="2026-12-01")
    assert r.status_code == 200 and r.json()["counts"] == {"符合": 1}
    r = _upload(api, "unit", "a.csv", content, on="不是日期")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "on"


@pytest.mark.parametrize(
    "name,content,words",
    [
        ("名单.xlsx", b"this is not a workbook", "不是有效的Excel"),
        ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版Excel"),
        ("名单.csv", b"", "文件是空的"),
        ("名单.csv", "姓名,性别\n张三,男\n".encode(), "缺少必填列"),
        ("名单.xlsx", b"PK\x03\x04" + b"\0" * 200, "无法打开Excel文件"),
    ],
)
def test_screening_bad_file_is_400_in_chinese(api, world, name, content, words):
    r = _upload(api, "unit", name, content)
    assert r.status_code == 400, r.content
    body = r.json()
    assert words in body["detail"]
    assert body["errors"] == [{"field": "file", "reason": body["detail"]}]


def test_screening_without_file_is_400(api, world):
    client = api("unit")
    r = client.client.post(PREFIX + "/screening", {}, headers=client.headers)
    assert r.status_code == 400 and r.json()["errors"] == [{"field": "file", "reason": "必填"}]


# ---- parameters -----------------------------------------------------------------------------


def test_parameters_for_the_callers_jurisdiction(api, world):
    body = api("county").get("/parameters", {"on": "2026-06-01"}).json()
    assert body["jurisdiction_code"] == "533103000000" and body["on"] == "2026-06-01"
    rows = {r["name"]: r for r in body["results"]}
    assert rows["term_min_years"]["clause"] and rows["term_min_years"]["value"] == 2
    gap = rows["min_days_on_duty_per_year"]
    assert gap["gap"] is True and gap["value"] is None and gap["unset_reason"]
    assert isinstance(rows["rest_max_team_fraction"]["value"], str)  # a ratio as text

    audit = Audit(world)
    r = api("county").post(
        "/parameters",
        {
            "name": "min_days_on_duty_per_year",
            "jurisdiction_code": "533103000000",
            "effective": "2026-01-01",
            "value": 200,
            "note": "芒组通〔2026〕12号",
        },
    )
    assert r.status_code == 201, r.json()
    assert r.json()["value"] == 200 and r.json()["jurisdiction_name"] == "芒市"
    audit.wrote("county", "parameter.set")
    rows = {r["name"]: r for r in api("county").get("/parameters").json()["results"]}
    assert rows["min_days_on_duty_per_year"]["value"] == 200
    assert rows["min_days_on_duty_per_year"]["set_by"] == "533103000000"
    # another county still has no value
    ruili = api("prefecture").get("/parameters").json()
    assert ruili["jurisdiction_code"] == "533100000000"


@pytest.mark.parametrize(
    "over,field",
    [
        ({"name": "no_such_parameter"}, "name"),
        ({"value": "many"}, "value"),
        ({"value": True}, "value"),
        ({"note": " "}, "note"),
        ({"jurisdiction_code": "533102000000"}, "jurisdiction_code"),
        ({"effective": "2026-02-30"}, "effective"),
    ],
)
def test_parameter_set_errors(api, world, over, field):
    body = {
        "name": "min_days_on_duty_per_year",
        "jurisdiction_code": "533103000000",
        "effective": "2026-01-01",
        "value": 200,
        "note": "芒组通〔2026〕12号",
    } | over
    r = api("county").post("/parameters", body)
    assert r.status_code == 400
    assert field in {e["field"] for e in r.json()["errors"]}


# ---- the contract ---------------------------------------------------------------------------

NEW_PATHS = [
    "/nominations",
    "/nominations/{id}",
    "/nominations/{id}/propose",
    "/nominations/{id}/review",
    "/nominations/{id}/decide",
    "/nominations/{id}/post",
    "/nominations/{id}/reject",
    "/nominations/{id}/withdraw",
    "/coverage",
    "/coverage/exceptions",
    "/deadlines",
    "/postings/{id}/milestones",
    "/screening",
    "/parameters",
]


def test_openapi_declares_every_response_with_the_error_shape(api, world):
    schema = api("admin").get("/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail", "errors"]
    assert error["properties"]["needs_reason"]["type"] == "boolean"
    for path in NEW_PATHS:
        for method, op in schema["paths"][PREFIX + path].items():
            assert op["operationId"].replace("_", "").isalnum(), (method, path)
            for status in ("400", "401", "403", "404"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, status)
            assert "422" not in op["responses"]
    assert (
        "multipart/form-data"
        in schema["paths"][PREFIX + "/screening"]["post"]["requestBody"]["content"]
    )


def test_nomination_states_in_the_schema_are_the_models():
    from zhucun.api.selection_schemas import NominationStateFilter
    from zhucun.selection.models import NominationState

    assert set(NominationStateFilter.__args__) == {"", *NominationState.values}


def test_malformed_multipart_is_json_400(api, world):
    client = api("unit")
    r = client.client.post(
        PREFIX + "/screening", data="x", content_type="multipart/form-data", headers=client.headers
    )
    assert r.status_code == 400 and r.headers["Content-Type"] == "application/json"
    assert r.json()["errors"] == [{"field": "body", "reason": r.json()["detail"]}]


def test_body_too_big_is_json_400(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    r = api("unit").post("/nominations/1/withdraw", {"note": "x" * 200})
    assert r.status_code == 400 and r.json()["detail"] == "请求体过大"


@pytest.mark.parametrize("value", ["1e-999999999", "many", " ", "-1", "1/3/4"])
def test_parameter_text_values_are_plain_numbers(api, world, value):
    body = {
        "name": "rest_max_team_fraction",
        "jurisdiction_code": "533103000000",
        "effective": "2026-01-01",
        "value": value,
        "note": "芒组通〔2026〕12号",
    }
    r = api("county").post("/parameters", body)
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {"field": "value", "reason": '应为整数、小数(如 "1.25")或分数(如 "1/3")'}
    ]
    assert api("county").post("/parameters", body | {"value": "1/4"}).status_code == 201


def test_a_date_before_the_parameters_is_400_not_500(api, world):
    cadre_id = _cadre(api, "刀成", 31)
    r = api("unit").post(
        "/nominations",
        {
            "cadre_id": cadre_id,
            "role": "team_member",
            "source": "recommendation",
            "dispatch_date": "2005-01-01",  # plausible, but before the parameters' first value
        },
    )
    assert r.status_code == 400
    assert r.json()["detail"].startswith("参数 ")
    assert r.json()["errors"][0]["clause"].startswith("SEL.")
    assert not Nomination.objects.exists()  # rolled back
