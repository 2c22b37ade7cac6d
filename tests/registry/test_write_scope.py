"""Issue 9, point 3: every object a write refers to is looked up inside the actor's scope, and
one outside it answers exactly like one that does not exist (same status, same field, same
words — no name, no status). And a unit edits its own descriptive fields, not what decides who
reviews it (SEL.METHOD.FLOW)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.registry.test_imports import POSTING_HEADERS, cadre_row, xlsx
from zhucun.audit.models import Event
from zhucun.registry import validation
from zhucun.registry.imports import import_file
from zhucun.registry.models import Cadre, DispatchingUnit

from .idcount import CHECK, WEIGHTS


def twin(number: str) -> str:
    """An unregistered, valid ID number masked exactly like ``number`` (same first two and
    last two digits), so that two answers may be compared byte for byte."""
    for days in range(1, 4000):
        birth = dt.date(1985, 1, 1) + dt.timedelta(days=days)
        for seq in range(int(number[16]), 1000, 10):
            body = f"{number[:6]}{birth:%Y%m%d}{seq:03d}"
            check = CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
            other = body + check
            if other[-2:] == number[-2:] and not Cadre.objects.filter(id_number=other).exists():
                return other
    raise AssertionError("no twin")


@pytest.fixture
def api(world, settings):
    from tests.api.conftest import ApiClient
    from zhucun.useradmin.services import token_create

    settings.ROOT_URLCONF = "tests.api.urls"

    def make(role: str) -> ApiClient:
        return ApiClient(token_create(actor=None, user=world.users[role], name="测试"))

    return make


def _unchanged(world):
    """Nothing written: no event, the other unit's cadre untouched."""
    return Event.objects.count(), Cadre.objects.get(pk=world.cadres["fs_c"].pk).spouse_id


# ---- spouse ----------------------------------------------------------------------------------


def test_spouse_in_another_unit_answers_like_an_unregistered_number_api(api, world):
    """芒市人民医院 cannot see 瑞丽市财政局's 李国强: naming him as spouse is refused exactly like
    an unregistered number, links nothing and records nothing (no fabricated SEL.COND.NO5)."""
    outside = world.cadres["fs_c"].id_number
    unknown = twin(outside)
    unit = api("unit")
    before = _unchanged(world)
    path = f"/cadres/{world.cadres['tm_a'].pk}"
    a = unit.patch(path, {"spouse_id_number": outside})
    b = unit.patch(path, {"spouse_id_number": unknown})
    assert a.status_code == b.status_code == 400
    assert a.content == b.content
    assert (
        "李国强" not in a.content.decode() and "spouse_id_number" in a.json()["errors"][0].values()
    )
    assert _unchanged(world) == before
    # the county that sees both may still link them
    ok = api("county").patch(path, {"spouse_id_number": world.cadres["spare"].id_number})
    assert ok.status_code == 200


def _field_error(text: str, field: str) -> str:
    m = re.search(rf'id="error_{field}">([^<]*)<', text)
    assert m, text[-2000:]
    return m[1]


def test_spouse_in_another_unit_answers_like_an_unregistered_number_web(client, world):
    outside = world.cadres["fs_c"].id_number
    unknown = twin(outside)
    from zhucun.web.views._common import as_text
    from zhucun.web.views.cadres import _cadre_form

    form = _cadre_form(world.users["unit"], world.cadres["tm_a"])
    post = {
        f.name: ("on" if f.value else "") if f.kind == "checkbox" else as_text(f.value)
        for f in form.fields
    }
    post = {k: v for k, v in post.items() if v != ""}
    client.force_login(world.users["unit"])
    url = f"/cadres/{world.cadres['tm_a'].pk}/edit/"
    answers = []
    for number in (outside, unknown):
        r = client.post(url, post | {"spouse_id_number": number})
        assert r.status_code == 200
        answers.append(_field_error(r.content.decode(), "spouse_id_number"))
    assert answers[0] == answers[1] and "不在您的管辖范围内" in answers[0]
    assert Cadre.objects.get(pk=world.cadres["fs_c"].pk).spouse_id is None


def test_spouse_import_row_out_of_scope_answers_like_unregistered(world):
    outside = world.cadres["fs_c"].id_number
    reasons = []
    for number in (outside, twin(outside)):
        row = cadre_row(serial=701, unit_name="芒市人民医院", spouse_id_number=number)
        headers = [label for label, _c in validation.CADRE_FIELDS.values()]
        report = import_file(
            actor=world.users["unit"],
            kind="cadres",
            fileobj=xlsx(headers, [row]),
            filename="c.xlsx",
        )
        reasons.append([(e.row, e.column, e.reason) for e in report.errors])
    assert reasons[0] == reasons[1] and reasons[0][0][1] == "配偶身份证号"
    assert Cadre.objects.get(pk=world.cadres["fs_c"].pk).spouse_id is None


# ---- posting by ID number --------------------------------------------------------------------


def _posting(number: str) -> dict:
    return {
        "id_number": number,
        "village_code": "533103102002",
        "role": "team_member",
        "arrival_date": "2025-06-01",
    }


def test_posting_another_countys_cadre_answers_like_an_unregistered_number(api, world):
    """芒市 may not learn that 瑞丽's 李国强 exists, nor that he is posted (SEL.COND.MUST3)."""
    outside = world.cadres["fs_c"].id_number
    county = api("county")
    events = Event.objects.count()
    a = county.post("/postings", _posting(outside))
    b = county.post("/postings", _posting(twin(outside)))
    assert a.status_code == b.status_code == 400
    assert a.content == b.content
    text = a.content.decode()
    assert "李国强" not in text and "一人一岗" not in text and "在岗" not in text
    assert Event.objects.count() == events
    # the prefecture, which sees him, gets the real answer
    c = api("prefecture").post("/postings", _posting(outside))
    assert c.status_code == 400 and "李国强" in c.content.decode()


def test_posting_import_another_countys_cadre_answers_like_unregistered(world):
    outside = world.cadres["fs_c"].id_number
    reasons = []
    for number in (outside, twin(outside)):
        row = [number, "533103102002", "工作队员", "2025-06-01", "", "", "在岗"]
        report = import_file(
            actor=world.users["county"],
            kind="postings",
            fileobj=xlsx(POSTING_HEADERS, [row]),
            filename="p.xlsx",
        )
        reasons.append([(e.row, e.column, e.reason) for e in report.errors])
    assert reasons[0] == reasons[1] and "李国强" not in str(reasons[0])


def test_posting_import_village_out_of_scope_answers_like_nonexistent(world):
    spare = world.cadres["spare"].id_number
    reasons = []
    for code in ("533102001001", "533103102099"):  # 瑞丽's 团结村; no such village
        row = [spare, code, "工作队员", "2025-06-01", "", "", "在岗"]
        report = import_file(
            actor=world.users["county"],
            kind="postings",
            fileobj=xlsx(POSTING_HEADERS, [row]),
            filename="p.xlsx",
        )
        reasons.append([(e.row, e.column, e.reason) for e in report.errors])
    assert reasons[0] == reasons[1] and reasons[0][0][1] == "村(社区)区划代码"


def test_cadre_import_unit_out_of_scope_answers_like_nonexistent(world):
    headers = [label for label, _c in validation.CADRE_FIELDS.values()]
    reasons = []
    for name in ("瑞丽市财政局", "瑞丽市不存在局"):
        row = cadre_row(serial=702, unit_name=name)
        report = import_file(
            actor=world.users["county"], kind="cadres", fileobj=xlsx(headers, [row]), filename="c"
        )
        reasons.append([(e.row, e.column, e.reason.replace(name, "…")) for e in report.errors])
    assert reasons[0] == reasons[1] and reasons[0][0][1] == "派出单位"


# ---- nomination: 拟派驻村 --------------------------------------------------------------------


def test_nomination_village_outside_the_units_reach_answers_like_nonexistent(api, world):
    """芒市人民医院 (a county-level unit) is posted by 芒市's body, into 芒市's villages
    (SEL.METHOD.FLOW): 瑞丽's 团结村 answers like a village that does not exist."""
    body = {
        "cadre_id": world.cadres["spare"].pk,
        "role": "team_member",
        "source": "recommendation",
        "dispatch_date": "2026-03-02",
    }
    unit = api("unit")
    events = Event.objects.count()
    a = unit.post("/nominations", body | {"village_id": world.villages["C"].pk})
    b = unit.post("/nominations", body | {"village_id": 999999})
    assert a.status_code == b.status_code == 400
    assert a.content == b.content and "团结村" not in a.content.decode()
    assert Event.objects.count() == events
    ok = api("unit").post("/nominations", body | {"village_id": world.villages["B"].pk})
    assert ok.status_code == 201, ok.json()


# ---- a unit's own record ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"level": "prefecture"}, {"kind": "soe"}, {"jurisdiction_code": "533100000000"}],
)
def test_unit_cannot_change_what_decides_its_reviewer_api(api, world, change):
    unit, client = world.units["mangshi"], api("unit")
    events = Event.objects.count()
    r = client.patch(f"/units/{unit.pk}", change)
    assert r.status_code == 403
    assert "SEL.METHOD.FLOW" in r.json()["detail"] and "不能修改" in r.json()["detail"]
    after = DispatchingUnit.objects.get(pk=unit.pk)
    assert (after.level, after.kind, after.jurisdiction_id) == (
        unit.level,
        unit.kind,
        unit.jurisdiction_id,
    )
    assert Event.objects.count() == events


def test_unit_edits_its_descriptive_fields_and_county_edits_the_rest(api, world):
    unit = world.units["mangshi"]
    r = api("unit").patch(f"/units/{unit.pk}", {"address": "芒市勇罕街1号", "level": "county"})
    assert r.status_code == 200  # the level sent unchanged is not a change
    assert DispatchingUnit.objects.get(pk=unit.pk).address == "芒市勇罕街1号"
    r = api("county").patch(f"/units/{unit.pk}", {"kind": "organ"})
    assert r.status_code == 200 and DispatchingUnit.objects.get(pk=unit.pk).kind == "organ"
    r = api("prefecture").patch(f"/units/{unit.pk}", {"level": "prefecture"})
    assert r.status_code == 200 and DispatchingUnit.objects.get(pk=unit.pk).level == "prefecture"


def test_unit_edit_page_offers_no_review_fields_and_ignores_them(client, world):
    unit = world.units["mangshi"]
    client.force_login(world.users["unit"])
    url = f"/units/{unit.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'name="address"' in page and 'name="level"' not in page
    assert 'name="jurisdiction_code"' not in page and 'name="kind"' not in page
    r = client.post(
        url, {"name": unit.name, "address": "勇罕街2号", "level": "prefecture", "kind": "soe"}
    )
    assert r.status_code == 302
    after = DispatchingUnit.objects.get(pk=unit.pk)
    assert (after.address, after.level, after.kind) == ("勇罕街2号", "county", "institution")
    client.force_login(world.users["county"])
    assert 'name="level"' in client.get(url).content.decode()


def test_unit_service_refuses_review_fields_on_the_web_too(client, world, monkeypatch):
    """Should the form ever send them, the service's refusal shows as a Chinese 403 page."""
    from zhucun.web.views import units as unit_views

    monkeypatch.setattr(unit_views, "_unit_form", lambda unit, user: _full_form(unit), raising=True)
    client.force_login(world.users["unit"])
    r = client.post(f"/units/{world.units['mangshi'].pk}/edit/", {"level": "prefecture"})
    assert r.status_code == 403 and "不能修改本单位的层级" in r.content.decode()
    assert DispatchingUnit.objects.get(pk=world.units["mangshi"].pk).level == "county"


def _full_form(unit):
    from zhucun.web.views._common import Field, SimpleForm

    return SimpleForm([Field("level", "层级")], {"level": unit.level})


# ---- the narrow posting scope keeps SEL.METHOD.FLOW working --------------------------------


def test_prefecture_posts_a_province_units_decided_nomination_but_not_by_bare_number(world):
    """A province unit's cadre is outside the prefecture's registry view until posted; the
    prefecture (its same-level body, SEL.METHOD.FLOW) may post him once the unit has decided
    the nomination — and before that his number answers like an unregistered one."""
    from tests.selection.flow import FIVE, ON
    from zhucun.accounts.models import User, UserRole
    from zhucun.core.errors import ValidationFailed
    from zhucun.registry import services as reg
    from zhucun.selection import services as sel

    admin, pref = world.admin, world.users["prefecture"]
    unit = reg.unit_create(
        actor=admin, data={"name": "云南省农业农村厅", "level": "province", "kind": "organ"}
    )
    unit_user = User.objects.create_user("sheng", password="pw", role=UserRole.UNIT, unit=unit)
    cadre = reg.cadre_create(
        actor=unit_user, data=cadre_data_for(unit.name, serial=41, name="省派干部")
    )
    body = {
        "village_code": "533103102002",
        "role": "team_member",
        "arrival_date": ON,
    }
    answers = []
    for number in (cadre.id_number, twin(cadre.id_number)):
        with pytest.raises(ValidationFailed) as exc:
            reg.posting_create(actor=world.users["county"], data=body | {"id_number": number})
        answers.append(exc.value.errors)
    assert answers[0] == answers[1]
    with pytest.raises(ValidationFailed) as exc:
        reg.posting_create(actor=pref, data=body | {"id_number": cadre.id_number})
    assert "id_number" in exc.value.errors and "省派干部" not in str(exc.value.errors)

    n = sel.nomination_create(
        actor=unit_user,
        cadre_id=cadre.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
        village_id=world.villages["B"].pk,
    )
    sel.nomination_propose(
        actor=unit_user,
        nomination_id=n.pk,
        basic_attested=True,
        no1_attested=True,
        attested_by="人事处 王敏",
    )
    sel.nomination_review(
        actor=pref, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="州驻村办"
    )
    sel.nomination_decide(actor=unit_user, nomination_id=n.pk)
    n = sel.nomination_post(
        actor=pref, nomination_id=n.pk, village_id=world.villages["B"].pk, arrival_date=ON
    )
    assert n.state == "posted" and n.posting.cadre_id == cadre.pk


def cadre_data_for(unit_name: str, **over):
    from tests.world import cadre_data

    return cadre_data(unit_name=unit_name, **over)
