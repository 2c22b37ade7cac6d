"""Every error is JSON {"detail": …, "errors": [{"field", "reason"}]} in Chinese; never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.world import cadre_data, make_id_number

BIRTH = dt.date(1988, 8, 8)


def _cadre(**over):
    number = make_id_number(BIRTH, 31)
    return cadre_data(name="王五", serial=31, birth_date=BIRTH) | {"id_number": number} | over


def _bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_bad_id_number_is_a_field_error(api):
    body = _cadre()
    body["id_number"] = _bad_check_digit(body["id_number"])
    r = api("county").post("/cadres", body)
    assert r.status_code == 400
    assert {"field": "id_number", "reason": "身份证号校验位不正确"} in r.json()["errors"]
    assert r.json()["detail"].startswith("数据校验未通过")


def test_service_cross_check_is_a_field_error(api):
    r = api("county").post("/cadres", _cadre(birth_date="1988-08-09"))
    assert r.status_code == 400
    [error] = r.json()["errors"]
    assert error["field"] == "birth_date" and "不一致" in error["reason"]


@pytest.mark.parametrize(
    "field,value,reason",
    [
        ("name", 123, "类型不正确,应为字符串"),
        ("health_fit", "maybe", "类型不正确,应为布尔值(true/false)"),
        ("health_fit", 1, "类型不正确,应为布尔值(true/false)"),
        ("id_number", None, "类型不正确,应为字符串"),
        ("surname", "王", "未知字段"),
        ("name", "王\x00五", "不能包含空字符(\\u0000)"),
    ],
)
def test_wrong_json_type_is_a_translated_field_error(api, field, value, reason):
    r = api("county").post("/cadres", _cadre(**{field: value}))
    assert r.status_code == 400
    assert {"field": field, "reason": reason} in r.json()["errors"]
    assert r.json()["detail"].startswith("请求参数校验未通过")


def test_missing_required_field(api):
    body = _cadre()
    del body["gender"]
    r = api("county").post("/cadres", body)
    assert r.status_code == 400
    assert r.json()["errors"] == [{"field": "gender", "reason": "必填"}]


@pytest.mark.parametrize("raw", ["{bad json", '{"name": ', "\xff\xfe", b"\xff\xfe{}"])
def test_malformed_json(api, raw):
    r = api("county").post("/units", raw=raw)
    assert r.status_code == 400
    assert r.json()["detail"] == "请求体不是有效的JSON"


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "42", "null"])
def test_json_that_is_not_an_object(api, raw):
    r = api("county").post("/units", raw=raw)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "body"


def test_nan_and_infinity_are_rejected(api, world):
    r = api("county").patch(f"/villages/{world.villages['A'].pk}", raw='{"checkin_lat": NaN}')
    assert r.status_code == 400
    assert r.json()["errors"] == [{"field": "checkin_lat", "reason": "应为有限的数字"}]


@pytest.mark.parametrize(
    "path,field",
    [
        ("/villages/abc", "id"),
        ("/villages/0", "id"),
        ("/villages/99999999999999999999999", "id"),
        ("/cadres?page=0", "page"),
        ("/cadres?page_size=201", "page_size"),
        ("/cadres?unit=x", "unit"),
        ("/villages?cat3=perhaps", "cat3"),
        ("/villages?q=%00", "q"),
    ],
)
def test_bad_path_and_query_parameters(api, world, path, field):
    r = api("admin").get(path)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == field


def test_unknown_jurisdiction_code_is_404(api, world):
    assert api("admin").get("/jurisdictions/nonsense").status_code == 404
    assert api("admin").get("/jurisdictions/999999999999").status_code == 404


def test_unknown_url_is_json_404(api, world):
    r = api("admin").get("/no-such-thing")
    assert r.status_code == 404 and r.json()["errors"] == []


def test_role_refusal_is_403_with_chinese_detail(api):
    r = api("township").post("/units", {"name": "某单位", "level": "county", "kind": "organ"})
    assert r.status_code == 403
    assert r.json() == {"detail": "只有州、县组织部门可以登记派出单位", "errors": []}


def test_ending_an_ended_posting_is_400(api, world):
    path = f"/postings/{world.postings['fs_b'].pk}/end"
    assert api("county").post(path, {"end_date": "2026-03-01"}).status_code == 200
    r = api("county").post(path, {"end_date": "2026-03-02"})
    assert r.status_code == 400
    assert r.json()["errors"] == [{"field": "status", "reason": "该任职已结束"}]


def test_bad_end_date(api, world):
    r = api("county").post(f"/postings/{world.postings['fs_b'].pk}/end", {"end_date": "明天"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "end_date"


def test_a_rule_refusal_carries_its_clause_in_its_own_key_never_in_field(api, world):
    """Issue 10 (for integrators): ``clause`` holds the id, ``field`` never does."""
    from zhucun.policy import CLAUSE_IDS

    tm = api("team_member")
    r = tm.post(
        "/leave",
        {"kind": "rotation_rest", "start": "2026-12-01", "end": "2026-12-20", "reason": "轮休"},
    )
    assert r.status_code == 400
    (error,) = r.json()["errors"]
    assert error["clause"] == "MGT.1.REST" and error["field"] == ""
    assert "MGT.1.REST" in error["reason"]
    bad = tm.post("/leave", {"kind": "rotation_rest", "start": "x", "end": "y", "reason": "轮休"})
    assert bad.status_code == 400
    assert all("clause" not in e and e["field"] not in CLAUSE_IDS for e in bad.json()["errors"])


def test_an_early_term_end_is_refused_citing_mgt_term(api, world):
    """Issue 11: the public end is a term end; before the regular end it is refused."""
    r = api("county").post(f"/postings/{world.postings['fs_b'].pk}/end", {"end_date": "2025-06-30"})
    assert r.status_code == 400
    (err,) = r.json()["errors"]
    assert err["clause"] == "MGT.TERM" and "2026年3月1日" in err["reason"]
