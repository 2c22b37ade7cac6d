"""Pagination, personal-data masking, filters and the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import cadre_data
from zhucun.registry import disclosure, services


def cadre_personal(user, cadre):
    return disclosure.cadre_view(user, cadre).personal()


def test_pagination(api, world):
    admin = api("admin")
    first = admin.get("/jurisdictions", {"page_size": 4}).json()
    assert (first["count"], first["page"], first["page_size"]) == (9, 1, 4)
    assert len(first["results"]) == 4
    last = admin.get("/jurisdictions", {"page_size": 4, "page": 3}).json()
    assert [j["code"] for j in last["results"]] == ["533103102002"]
    beyond = admin.get("/jurisdictions", {"page_size": 4, "page": 4}).json()
    assert beyond["results"] == [] and beyond["count"] == 9
    pages = [
        j["code"]
        for p in (1, 2, 3)
        for j in admin.get("/jurisdictions", {"page_size": 4, "page": p}).json()["results"]
    ]
    assert len(pages) == len(set(pages)) == 9
    assert admin.get("/jurisdictions").json()["page_size"] == 50


def test_pagination_is_done_in_the_database(api, world, django_assert_max_num_queries):
    for n in range(30):
        services.cadre_create(
            actor=world.admin, data=cadre_data(name=f"干部{n:02d}", serial=100 + n)
        )
    admin = api("admin")
    with django_assert_max_num_queries(6):  # token, last_used, count, page — not one per row
        body = admin.get("/cadres", {"page_size": 200}).json()
    assert body["count"] == 35 and len(body["results"]) == 35
    assert len(admin.get("/cadres", {"page_size": 10, "page": 2}).json()["results"]) == 10


def _personal(api, role, cadre):
    return api(role).get(f"/cadres/{cadre.pk}").json()


@pytest.mark.parametrize("role", ["township", "first_secretary", "village_secretary"])
def test_id_number_is_masked(api, world, role):
    cadre = world.cadres["tm_a"]
    shown = _personal(api, role, cadre)
    assert shown["id_number"] != cadre.id_number
    assert shown["id_number"] == disclosure.mask_id_number(cadre.id_number)
    assert "*" in shown["id_number"]
    assert shown["health_fit"] is None and shown["family_hardship"] is None
    assert shown["spouse_id"] is None
    # exactly what the scope module decides, nothing more
    expected = cadre_personal(world.users[role], cadre)
    assert {k: shown[k] for k in expected} == expected


@pytest.mark.parametrize("role", ["admin", "prefecture", "county", "unit", "team_member"])
def test_id_number_in_full_for_roles_that_need_it(api, world, role):
    cadre = world.cadres["tm_a"]
    shown = _personal(api, role, cadre)
    assert shown["id_number"] == cadre.id_number
    assert shown["health_fit"] is True


def test_masked_in_lists_too(api, world):
    results = api("township").get("/cadres").json()["results"]
    numbers = {c.id_number for c in world.cadres.values()}
    assert results and not any(r["id_number"] in numbers for r in results)


def test_phone_masked_for_village_secretary_not_township(api, world):
    cadre = world.cadres["tm_a"]
    assert _personal(api, "township", cadre)["phone"] == cadre.phone
    assert _personal(api, "village_secretary", cadre)["phone"] == disclosure.mask_phone(cadre.phone)


def test_filters(api, world):
    admin = api("admin")
    cat3 = admin.get("/villages", {"cat3": "true"}).json()["results"]
    assert {v["name"] for v in cat3} == {"团结村", "弄坎村"}
    assert admin.get("/villages", {"county": "533102000000"}).json()["count"] == 1
    assert admin.get("/villages", {"category": "border"}).json()["results"][0]["name"] == "弄坎村"
    assert admin.get("/cadres", {"posted": "false"}).json()["results"][0]["name"] == "赵小兵"
    assert admin.get("/cadres", {"unit": world.units["ruili"].pk}).json()["count"] == 1
    assert admin.get("/postings", {"village": world.villages["A"].pk}).json()["count"] == 2
    assert admin.get("/postings", {"township": "533102001000"}).json()["count"] == 1
    assert admin.get("/jurisdictions", {"level": "county"}).json()["count"] == 2
    assert admin.get("/jurisdictions", {"parent": "533103102000"}).json()["count"] == 2


def test_created_objects_come_back_as_the_user_sees_them(api, world):
    r = api("unit").post("/cadres", cadre_data(name="新护士", serial=41, unit_name="芒市人民医院"))
    assert r.status_code == 201, r.json()
    assert r.json()["name"] == "新护士" and r.json()["unit_name"] == "芒市人民医院"
    r = api("county").post(
        "/villages",
        {"code": "533103102009", "name": "新寨", "township_code": "533103102000", "border": True},
    )
    assert r.status_code == 201, r.json()
    assert r.json()["categories"] == ["border"] and r.json()["county_code"] == "533103000000"


def test_openapi_document(world):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["title"] == "驻村工作队选派管理系统 接口"
    assert "ErrorOut" in doc["components"]["schemas"]
    operations = [op for path in doc["paths"].values() for op in path.values()]
    assert (
        len(operations)
        == sum((19, 16, 25, 2, 3, 5, 11, 7, 5, 7, 7, 9, 1, 2, 12, 10, 9, 7, 5, 8, 4, 2, 1, 1, 1))
        # + 1 POST /checkins/batch: a phone's offline queue in one request (issue 17)
        # + 4 my to-do list and notices (issue 16): GET /me/todo, GET /me/notices, POST read, read-all
        # + 2 charts (issue 16): GET /charts, GET /charts/{name}; + 1 GET /search (issue 16)
        # + 1 POST /checkins/import: check-ins from another app (issue 16, MGT.1.CHECKIN)
        # + 7 training (issue 15, MGT.7), + 5 funds, + 8 subsidies, exams, insurance (GUA.2)
        # + 12 meetings, tasks, key-task lists, duty totals, + 10 groups and visits, + 9 reports
        # + 7 assessments (issue 13, MGT.5), + 9 三讲三评 (MGT.8.SJSP), + POST /assessments/term-end
        # + 2 results to units (MGT.5.FEEDBACK): GET /assessment-results, POST …/receive
        # + 7 discipline records and talks, + 7 quarterly reviews (issue 12)
        # + 5 tenure, + 11 rotation applications (issue 11, MGT.9)
        # + 5 recalls: GET/POST /recalls, GET /recalls/{id}, GET /replacements-due,
        # GET /cadres/{id}/file (issue 12, MGT.4.CAUSE, MGT.4.CONSEQ)
        # + /me/tokens GET, DELETE (issue 9); POST /checkins/review, GET /audit,
        # GET /villages/{id}/candidates (issue 10); GET /term-ends, GET /coverage-gaps,
        # GET /postings/{id}/closure, GET + PUT /postings/{id}/handover (issue 11)
    )  # registry + selection (issue 3) + attendance (issue 4)  # registry + selection (issue 3)
    for op in operations:
        for code in ("400", "401", "403", "404"):
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), op["operationId"]
        assert any(c.startswith("2") for c in op["responses"])
    assert Client().get("/api/v1/docs").status_code == 200


def test_served_under_the_project_urls(api, world, settings):
    settings.ROOT_URLCONF = "zhucun.urls"
    assert api("county").get("/me").json()["role"] == "county"
    assert api(None).get("/no-such-thing").json()["detail"] == "接口不存在"
