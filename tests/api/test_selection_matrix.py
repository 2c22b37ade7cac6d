"""Permission matrix of the selection endpoints: every role × every endpoint with the exact
status and, for lists, the exact objects. The API does no role checks of its own: the
statuses below are those of zhucun.selection's selectors and services (role first, 403;
outside the scope, 404; a village or jurisdiction outside the scope named in a body, 400)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import PREFIX
from tests.api.test_permission_matrix import (
    ALL,
    CADRE_USERS,
    EDITORS,
    FS_A,
    FS_B,
    FS_C,
    ROLES,
    WHOLE,
    A,
    B,
    C,
    statuses,
)
from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.registry import services as reg
from zhucun.selection import services as sel
from zhucun.selection.screening import SPEC

FIVE = {"political": True, "conduct": True, "ability": True, "style": True, "integrity": True}
ON = dt.date(2026, 3, 2)
MANGSHI_CANDIDATE, PREF_CANDIDATE, RUILI_CANDIDATE = "刀成", "杨州", "蒋瑞"
UNIT_ROLES = {"admin", "unit"}  # SEL.METHOD.FLOW: the dispatching unit's steps
COUNTY_BODY = {"admin", "county"}  # the same-level body of a county unit
SEES_MANGSHI = WHOLE | {"county", "unit"}  # who sees a 芒市 county unit's nomination


def nominate(world, key: str = "mangshi", state: str = "recommended") -> int:
    """A nomination of a new cadre of 芒市人民医院 (or of the prefecture's unit aimed at village
    B, or of 瑞丽市财政局 aimed at village C), brought to ``state`` by the administrator."""
    admin = world.admin
    name, unit, serial, village = {
        "mangshi": (MANGSHI_CANDIDATE, "芒市人民医院", 31, None),
        "pref": (PREF_CANDIDATE, "德宏州农业农村局", 32, "B"),
        "ruili": (RUILI_CANDIDATE, "瑞丽市财政局", 33, "C"),
    }[key]
    cadre = reg.cadre_create(actor=admin, data=cadre_data(name=name, serial=serial, unit_name=unit))
    n = sel.nomination_create(
        actor=world.users["unit"] if key == "mangshi" else admin,
        cadre_id=cadre.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
        village_id=world.villages[village].pk if village else None,
    )
    steps: list[Callable[[], Any]] = [
        lambda: sel.nomination_propose(
            actor=admin,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by="王敏",
        ),
        lambda: sel.nomination_review(
            actor=admin, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="李华"
        ),
        lambda: sel.nomination_decide(actor=admin, nomination_id=n.pk),
    ]
    for step in steps[: ["recommended", "proposed", "filed", "decided"].index(state)]:
        step()
    return n.pk


# ---- lists ----------------------------------------------------------------------------------

FS_SEEN = {
    **dict.fromkeys(WHOLE, {FS_A, FS_B, FS_C}),
    **dict.fromkeys(["county", "township"], {FS_A, FS_B}),
    **dict.fromkeys(["unit", "team_member"], set()),
    **dict.fromkeys(["first_secretary", "village_secretary"], {FS_A}),
}

# path, params → (key of a result, {role: expected keys})
LISTS: dict[str, tuple[str, dict[str, Any], str, dict[str, set[str]]]] = {
    "nominations": (
        "/nominations",
        {},
        "cadre_name",
        {
            **dict.fromkeys(WHOLE, {MANGSHI_CANDIDATE, PREF_CANDIDATE, RUILI_CANDIDATE}),
            "county": {MANGSHI_CANDIDATE, PREF_CANDIDATE},
            "unit": {MANGSHI_CANDIDATE},
            **dict.fromkeys(["township", *CADRE_USERS, "village_secretary"], set()),
        },
    ),
    "coverage": (
        "/coverage",
        {},
        "village",
        {
            **dict.fromkeys(WHOLE, {A, B, C}),
            **dict.fromkeys(["county", "township"], {A, B}),
            **dict.fromkeys(["unit", *CADRE_USERS, "village_secretary"], {A}),
        },
    ),
    "deadlines.appoint": ("/deadlines", {"kind": "appoint"}, "cadre_name", FS_SEEN),
    # the party members among the posted: 线美玲 (team member A) is not one
    "deadlines.transfer": ("/deadlines", {"kind": "transfer"}, "cadre_name", FS_SEEN),
}


def _key(item: dict[str, Any], key: str) -> str:
    return item["village"]["name"] if key == "village" else item[key]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(LISTS))
def test_list(api, world, role, endpoint):
    for key in ("mangshi", "pref", "ruili"):
        nominate(world, key)
    path, params, key, expected = LISTS[endpoint]
    r = api(role).get(path, {**params, "page_size": 200})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert sorted(_key(item, key) for item in body["results"]) == sorted(expected[role])
    assert body["count"] == len(expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_nomination_detail(api, world, role):
    inside, outside = nominate(world, "mangshi"), nominate(world, "ruili")
    r = api(role).get(f"/nominations/{inside}")
    assert r.status_code == (200 if role in SEES_MANGSHI else 404)
    r = api(role).get(f"/nominations/{outside}")
    assert r.status_code == (200 if role in WHOLE else 404)
    if r.status_code == 404:
        assert r.json() == {"detail": "提名不存在或不在您的管辖范围内", "errors": []}


PARAMETER_HOME = {
    **dict.fromkeys(
        ["admin", "prefecture", "unit", *CADRE_USERS, "village_secretary"], "533100000000"
    ),
    "county": "533103000000",
    "township": "533103102000",
}


@pytest.mark.parametrize("role", ROLES)
def test_parameters(api, world, role):
    r = api(role).get("/parameters")
    assert r.status_code == 200
    assert r.json()["jurisdiction_code"] == PARAMETER_HOME[role]
    assert all(row["clause"] for row in r.json()["results"])


SCREENERS = {"admin", "prefecture", "county", "unit"}  # issue 9: who chooses candidates


@pytest.mark.parametrize("role", ROLES)
def test_screening(api, world, role):
    """Screening writes nothing; it belongs to the dispatching unit and the organisation
    departments (unit, county, prefecture, admin); every other role is refused with 403 and a
    Chinese reason, before the file is read."""
    head = ",".join(label for label, _ in SPEC.values())
    row = "合格甲,1990-05-17,正式党员,2015-07-01,2012-08-01,科员,," + "是,否,否,否,否,否,否,否,否"
    content = f"{head}\n{row},第一书记,2026-12-01\n".encode()
    client = api(role)
    events = Event.objects.count()
    r = client.client.post(
        PREFIX + "/screening",
        {"file": SimpleUploadedFile("名单.csv", content)},
        headers=client.headers,
    )
    if role in SCREENERS:
        assert r.status_code == 200, r.json()
        assert r.json()["counts"] == {"符合": 1}
    else:
        assert r.status_code == 403, r.json()
        assert "批量资格审查" in r.json()["detail"]
    assert Event.objects.count() == events


# ---- 因村精准组队 (SEL.METHOD.NEED): GET /villages/{id}/candidates -------------------------------

RANKERS = {"admin", "prefecture", "county", "unit"}
SPARE_NAME, RUILI_SPARE = "赵小兵", "瑞新"
# role → village → (status, candidates): a unit ranks its own unposted cadres for a village it
# may name; county and prefecture those they see whose unit may be sent there; others 403
CANDIDATES: dict[str, dict[str, tuple[int, set[str]]]] = {
    **dict.fromkeys(WHOLE, {"A": (200, {SPARE_NAME}), "C": (200, {RUILI_SPARE})}),
    "county": {"A": (200, {SPARE_NAME}), "C": (404, set())},
    "unit": {"A": (200, {SPARE_NAME}), "C": (404, set())},
    **dict.fromkeys(
        ["township", *CADRE_USERS, "village_secretary"], {"A": (403, set()), "C": (403, set())}
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_village_candidates(api, world, role):
    reg.cadre_create(
        actor=world.admin, data=cadre_data(name=RUILI_SPARE, serial=41, unit_name="瑞丽市财政局")
    )
    events = Event.objects.count()
    for key, (status, names) in CANDIDATES[role].items():
        r = api(role).get(f"/villages/{world.villages[key].pk}/candidates", {"role": "team_member"})
        assert r.status_code == status, (key, r.json())
        if status == 200:
            assert {c["name"] for c in r.json()["results"]} == names
        else:
            assert set(r.json()) == {"detail", "errors"}
    assert Event.objects.count() == events  # a read


# ---- writes ---------------------------------------------------------------------------------

# method, setup (→ object id), path, body, {role: status}
Write = tuple[
    str,
    Callable[[Any], Any],
    Callable[[Any, Any], str],
    Callable[[Any, Any], dict[str, Any]],
    dict[str, int],
]


def _none(world: Any) -> None:
    return None


def _spare_body(world: Any, _: Any) -> dict[str, Any]:
    return {
        "cadre_id": world.cadres["spare"].pk,
        "role": "team_member",
        "source": "application",
        "dispatch_date": "2026-03-02",
    }


WRITES: dict[str, Write] = {
    "nomination.create": (
        "POST",
        _none,
        lambda w, x: "/nominations",
        _spare_body,
        statuses(201, UNIT_ROLES, 403),
    ),
    "nomination.propose": (
        "POST",
        lambda w: nominate(w),
        lambda w, x: f"/nominations/{x}/propose",
        lambda w, x: {"basic_attested": True, "no1_attested": True, "attested_by": "王敏"},
        # the county body and the prefecture see it (403); the others do not (404)
        {**statuses(200, UNIT_ROLES, 404), "county": 403, "prefecture": 403},
    ),
    "nomination.propose.outside": (
        "POST",
        lambda w: nominate(w, "ruili"),
        lambda w, x: f"/nominations/{x}/propose",
        lambda w, x: {"basic_attested": True, "no1_attested": True, "attested_by": "王敏"},
        {**statuses(200, {"admin"}, 404), "prefecture": 403},
    ),
    "nomination.review": (
        "POST",
        lambda w: nominate(w, state="proposed"),
        lambda w, x: f"/nominations/{x}/review",
        lambda w, x: {"checkpoints": FIVE, "reviewer_name": "李华"},
        # a county unit is reviewed by its county, not by the prefecture (same level)
        {**statuses(200, COUNTY_BODY, 404), "prefecture": 403, "unit": 403},
    ),
    "nomination.decide": (
        "POST",
        lambda w: nominate(w, state="filed"),
        lambda w, x: f"/nominations/{x}/decide",
        lambda w, x: {"note": "党委会研究同意"},
        {**statuses(200, UNIT_ROLES, 404), "county": 403, "prefecture": 403},
    ),
    "nomination.post": (
        "POST",
        lambda w: nominate(w, state="decided"),
        lambda w, x: f"/nominations/{x}/post",
        lambda w, x: {"village_id": w.villages["B"].pk, "arrival_date": "2026-03-02"},
        {**statuses(200, COUNTY_BODY, 404), "prefecture": 403, "unit": 403},
    ),
    "nomination.reject": (
        "POST",
        lambda w: nominate(w, state="proposed"),
        lambda w, x: f"/nominations/{x}/reject",
        lambda w, x: {"note": "群众评价不高"},
        {**statuses(200, COUNTY_BODY | {"unit"}, 404), "prefecture": 403},
    ),
    "nomination.withdraw": (
        "POST",
        lambda w: nominate(w),
        lambda w, x: f"/nominations/{x}/withdraw",
        lambda w, x: {"note": "本人申请"},
        {**statuses(200, UNIT_ROLES, 404), "county": 403, "prefecture": 403},
    ),
    "coverage.exception": (
        "POST",
        _none,
        lambda w, x: "/coverage/exceptions",
        lambda w, x: {
            "village_id": w.villages["A"].pk,
            "reason": "边境管控需要,增派1人",
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
            "max_team_size": 6,
        },
        statuses(201, EDITORS, 403),
    ),
    "coverage.exception.outside": (
        "POST",
        _none,
        lambda w, x: "/coverage/exceptions",
        lambda w, x: {
            "village_id": w.villages["C"].pk,
            "reason": "边境管控需要,增派1人",
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
            "max_team_size": 6,
        },
        # the village named in the body is outside the county: a field error
        {**statuses(201, WHOLE, 403), "county": 400},
    ),
    "posting.milestone": (
        "POST",
        lambda w: w.postings["fs_a"].pk,
        lambda w, x: f"/postings/{x}/milestones",
        lambda w, x: {"kind": "appoint", "on": "2024-03-08"},
        # the township party committee appoints (SEL.METHOD.APPOINT10 settled reading)
        statuses(200, {"admin", "township"}, 403),
    ),
    "posting.milestone.outside": (
        "POST",
        lambda w: w.postings["fs_c"].pk,
        lambda w, x: f"/postings/{x}/milestones",
        lambda w, x: {"kind": "transfer", "on": "2024-03-15"},
        {**statuses(200, {"admin"}, 403), "county": 404, "township": 404},
    ),
    "parameter.set": (
        "POST",
        _none,
        lambda w, x: "/parameters",
        lambda w, x: {
            "name": "min_days_on_duty_per_year",
            "jurisdiction_code": "533103000000",
            "effective": "2026-01-01",
            "value": 200,
            "note": "芒组通〔2026〕12号",
        },
        statuses(201, EDITORS, 403),
    ),
    "parameter.set.outside": (
        "POST",
        _none,
        lambda w, x: "/parameters",
        lambda w, x: {
            "name": "min_days_on_duty_per_year",
            "jurisdiction_code": "533102000000",
            "effective": "2026-01-01",
            "value": 180,
            "note": "瑞组通〔2026〕3号",
        },
        {**statuses(201, WHOLE, 403), "county": 400},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(WRITES))
def test_write(api, world, role, action):
    method, setup, path, body, expected = WRITES[action]
    assert set(expected) == ALL
    obj = setup(world)
    events = Event.objects.count()
    r = api(role).send(method, path(world, obj), body(world, obj))
    assert r.status_code == expected[role], r.json()
    if r.status_code < 300:
        assert Event.objects.count() > events, "a successful write must leave an audit event"
        assert Event.objects.latest("seq").actor_id == world.users[role].pk
    else:
        assert Event.objects.count() == events
        assert set(r.json()) == {"detail", "errors"}


ENDPOINTS = [
    ("GET", "/nominations"),
    ("GET", "/nominations/1"),
    ("POST", "/nominations"),
    *[
        ("POST", f"/nominations/1/{a}")
        for a in ("propose", "review", "decide", "post", "reject", "withdraw")
    ],
    ("GET", "/coverage"),
    ("POST", "/coverage/exceptions"),
    ("GET", "/deadlines"),
    ("POST", "/postings/1/milestones"),
    ("POST", "/screening"),
    ("GET", "/parameters"),
    ("POST", "/parameters"),
    ("GET", "/villages/1/candidates"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_anonymous_is_401(api, world, method, path):
    anon = api(None)
    r = anon.get(path) if method == "GET" else anon.send(method, path, {})
    assert r.status_code == 401
    assert r.json()["detail"].startswith("未登录")
