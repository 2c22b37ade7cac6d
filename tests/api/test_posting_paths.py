"""Issue 10: every path that posts a cadre runs the nomination path's screening, team check
and term check (SEL.COND.NO3, SEL.SCOPE.CAT3, SEL.SCOPE.ADJUST, MGT.TERM): errors block,
warnings need a written reason."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.core.errors import ValidationFailed
from zhucun.registry import services as reg
from zhucun.registry.models import Posting
from zhucun.selection import services as sel

ON = dt.date(2024, 6, 3)


def _body(cadre, village="A", **over):
    return {
        "id_number": cadre.id_number,
        "village_code": over.pop("village_code", None) or _code(village),
        "role": "team_member",
        "arrival_date": ON.isoformat(),
        **over,
    }


def _code(village):
    return {"A": "533103102201", "B": "533103102202"}.get(village, village)


def _cadre(world, name, serial, **over):
    return reg.cadre_create(
        actor=world.admin,
        data=cadre_data(name=name, serial=serial, unit_name="芒市人民医院", **over),
    )


def test_sel_cond_no3_posting_a_teacher_through_the_api_is_refused(api, world):
    teacher = _cadre(
        world, "教师甲", 81, occupation="中学教师", occupation_code="primary_secondary_teacher"
    )
    body = _body(teacher, village_code=world.villages["A"].jurisdiction.code)
    r = api("county").post("/postings", body)
    assert r.status_code == 400, r.json()
    assert [e["clause"] for e in r.json()["errors"]] == ["SEL.COND.NO3"]
    assert "教师甲" in r.json()["errors"][0]["reason"]
    assert not Posting.objects.filter(cadre=teacher).exists()


def test_sel_scope_cat3_posting_beyond_the_exception_is_refused(api, world):
    """Border village A (FS + TM) with an exception allowing 6: the 6th is posted with the
    SEL.SCOPE.ADJUST info, the 7th is refused citing SEL.SCOPE.CAT3 (issue 10)."""
    village = world.villages["A"]
    sel.composition_exception_create(
        actor=world.users["county"],
        village_id=village.pk,
        reason="边境管控需要,增派1人",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        max_team_size=6,
    )
    code = village.jurisdiction.code
    county = api("county")
    for serial in range(82, 86):  # 3rd … 6th
        r = county.post(
            "/postings", _body(_cadre(world, f"队员{serial}", serial), village_code=code)
        )
        assert r.status_code == 201, r.json()
    assert Posting.objects.filter(village=village, status="active").count() == 6
    seventh = _cadre(world, "第七人", 86)
    r = county.post("/postings", _body(seventh, village_code=code))
    assert r.status_code == 400
    assert [e["clause"] for e in r.json()["errors"]] == ["SEL.SCOPE.CAT3"]
    assert "全队不超过6人" in r.json()["errors"][0]["reason"]
    assert not Posting.objects.filter(cadre=seventh).exists()


def test_mgt_term_a_shorter_planned_end_needs_a_written_reason(api, world):
    spare = world.cadres["spare"]
    body = _body(spare, village_code="533103102002") | {"planned_end": "2025-06-03"}
    r = api("county").post("/postings", body)
    assert r.status_code == 400 and r.json()["needs_reason"] is True
    (error,) = r.json()["errors"]
    assert error["clause"] == "MGT.TERM" and "2026-06-03" in error["reason"]
    assert not Posting.objects.filter(cadre=spare).exists()
    r = api("county").post(
        "/postings", body | {"reasons": {"MGT.TERM": "单位工作调整,经县委研究提前一年轮换"}}
    )
    assert r.status_code == 201, r.json()
    event = Event.objects.get(action="posting.screen")
    assert event.after["reasons"] == {"MGT.TERM": "单位工作调整,经县委研究提前一年轮换"}
    assert "MGT.TERM" in {f["clause"] for f in event.after["findings"]}


def test_mgt_term_nomination_post_with_a_short_term_needs_a_reason(world):
    from tests.selection.flow import run_to_decided

    cadre = _cadre(world, "短期人", 84)
    n = run_to_decided(world, cadre)
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_post(
            actor=world.users["county"],
            nomination_id=n.pk,
            village_id=world.villages["B"].pk,
            arrival_date=ON,
            planned_end=dt.date(2025, 1, 1),
        )
    assert exc.value.needs_reason and set(exc.value.errors) == {"MGT.TERM"}
    n = sel.nomination_post(
        actor=world.users["county"],
        nomination_id=n.pk,
        village_id=world.villages["B"].pk,
        arrival_date=ON,
        planned_end=dt.date(2025, 1, 1),
        reasons={"MGT.TERM": "援派任务为期半年"},
    )
    assert n.posting.planned_end == dt.date(2025, 1, 1)


def test_sel_cond_no3_and_mgt_term_in_the_postings_import(world):
    """The import runs the same checks: a teacher is a row error citing SEL.COND.NO3; a short
    term needs the row's 说明理由 (MGT.TERM); nothing is written until every row passes."""
    from tests.registry.test_imports import POSTING_HEADERS, run, xlsx

    teacher = _cadre(
        world, "教师乙", 87, occupation="小学教师", occupation_code="primary_secondary_teacher"
    )
    spare = world.cadres["spare"]
    headers = [*POSTING_HEADERS, "说明理由"]
    rows = [
        [teacher.id_number, "533103102002", "工作队员", "2024-06-03", "", "", "", ""],
        [spare.id_number, "533103102002", "工作队员", "2024-06-03", "2025-06-03", "", "", ""],
    ]
    report = run(world.users["county"], "postings", xlsx(headers, rows))
    assert not report.ok
    by_row = {e.row: e for e in report.errors}
    assert "SEL.COND.NO3" in by_row[2].reason and "教师乙" in by_row[2].reason
    assert by_row[3].column == "说明理由" and "MGT.TERM" in by_row[3].reason
    assert not Posting.objects.filter(cadre__in=[teacher, spare]).exists()
    rows = [rows[1][:-1] + ["援派半年,经县委研究同意"]]
    report = run(world.users["county"], "postings", xlsx(headers, rows))
    assert report.ok, report.errors
    assert Posting.objects.get(cadre=spare).planned_end == dt.date(2025, 6, 3)
