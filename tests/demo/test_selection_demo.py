"""The selection workflow in the demo (demo/selection.py), on the full demo prefecture."""

import datetime as dt
import json
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from zhucun.audit.models import Event
from zhucun.core.errors import ValidationFailed
from zhucun.demo import checks, selection
from zhucun.demo.build import DELIBERATE_GAPS, counts, load_demo
from zhucun.demo.people import age_on
from zhucun.demo.places import (
    EXCEPTION_VILLAGE,
    NATIONAL_DAY_VILLAGE,
    RECENT_VILLAGES,
    SELECTION_VILLAGES,
)
from zhucun.params.calendar import work_calendar
from zhucun.registry.models import Posting
from zhucun.selection import services as sel
from zhucun.selection.deadlines import deadline_queryset, deadline_rows
from zhucun.selection.models import CompositionException, Nomination, NominationStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

ALL_STATES = {"applied", "recommended", "proposed", "filed", "decided", "posted"}
ALL_STATES |= {"rejected", "withdrawn"}


def clauses(n, severity="error"):
    return {f["clause"] for f in n.findings if f["severity"] == severity}


def test_nominations_in_every_state():
    states = Counter(Nomination.objects.values_list("state", flat=True))
    assert set(states) == ALL_STATES
    assert states["applied"] >= 3 and states["recommended"] >= 3
    assert states["proposed"] >= 2 and states["filed"] >= 2 and states["decided"] >= 2
    assert states["posted"] >= 7
    assert states["rejected"] == 1 and states["withdrawn"] == 1
    assert set(Nomination.objects.values_list("source", flat=True)) == {
        "application",
        "recommendation",
    }
    # nobody open or posted is refused, except the three refused candidates
    refused = Nomination.objects.filter(state__in=["applied", "recommended"])
    assert sum(bool(clauses(n)) for n in refused) == 3
    for n in Nomination.objects.exclude(state__in=["applied", "recommended"]):
        assert not clauses(n), n


def test_each_step_by_its_own_role():
    """Units record, propose and decide; county units are filed and posted by their county,
    prefecture units by the prefecture (SEL.METHOD.FLOW)."""
    steps = NominationStep.objects.select_related("nomination__unit", "actor")
    seen = Counter()
    for s in steps:
        unit = s.nomination.unit
        if s.action in ("create", "propose", "decide", "withdraw"):
            assert s.actor.role == "unit" and s.actor.unit_id == unit.pk, s
        else:
            body = "mangshi" if unit.level == "county" else "zhou"
            assert s.actor.username == body, s
        seen[s.action] += 1
    assert set(seen) == {"create", "propose", "review", "decide", "post", "reject", "withdraw"}
    assert {n.unit.level for n in Nomination.objects.select_related("unit")} == {
        "prefecture",
        "county",
    }


def test_refused_candidates_carry_their_findings():
    open_ = Nomination.objects.filter(state__in=["applied", "recommended"]).select_related(
        "cadre__unit"
    )
    by_clause = {c: [n for n in open_ if c in clauses(n)] for c in selection.REFUSED_CLAUSES}
    (teacher,), (probationary,), (older,) = by_clause.values()
    assert teacher.cadre.occupation_code == "primary_secondary_teacher"
    assert probationary.role == "first_secretary" and probationary.cadre.party_status == (
        "probationary"
    )
    assert age_on(older.cadre.birth_date, older.dispatch_date) == 46
    assert not older.cadre.age_exception
    for n, clause in ((teacher, "SEL.COND.NO3"), (probationary, "SEL.SRC.FS_PARTY")):
        with pytest.raises(ValidationFailed) as exc:
            sel.nomination_propose(
                actor=n.steps.get(action="create").actor,
                nomination_id=n.pk,
                basic_attested=True,
                no1_attested=True,
                attested_by="人事科",
            )
        assert clause in exc.value.errors and n.cadre.name in exc.value.errors[clause]
    assert Nomination.objects.get(pk=teacher.pk).state == teacher.state


def test_xuandiao_first_secretary_with_a_written_reason():
    (n,) = Nomination.objects.filter(cadre__is_xuandiao=True, role="first_secretary")
    assert n.state == "filed"
    assert n.warning_reasons["SEL.SRC.XD"] == selection.XD_REASON
    assert clauses(n, "warning") == {"SEL.SRC.XD"} and not clauses(n)
    assert [s.action for s in n.steps.all()] == ["create", "propose", "review"]


def sixth_arrival(village):
    return max(Posting.objects.filter(village=village).values_list("arrival_date", flat=True))


def test_posted_teams_and_the_exception(timeline):
    posted = Nomination.objects.filter(state="posted").select_related("posting__village")
    villages = {n.posting.village.jurisdiction.code for n in posted}
    assert set(SELECTION_VILLAGES) | {EXCEPTION_VILLAGE} <= villages
    assert not villages & {c for g in DELIBERATE_GAPS for c in g.villages}
    for code in SELECTION_VILLAGES:  # their whole team came through the workflow
        team = Posting.objects.filter(village__jurisdiction__code=code, status="active")
        assert team.filter(role="first_secretary").count() == 1
        assert all(hasattr(p, "nomination") for p in team)
    nd = Posting.objects.filter(village__jurisdiction__code=NATIONAL_DAY_VILLAGE)
    assert {p.arrival_date for p in nd} == {selection.NATIONAL_DAY}
    (exc,) = CompositionException.objects.select_related("village__jurisdiction", "approved_by")
    assert exc.village.jurisdiction.code == EXCEPTION_VILLAGE and exc.village.border
    assert exc.reason == selection.EXCEPTION_REASON and exc.approved_by.username == "mangshi"
    assert exc.max_team_size == 6 and exc.valid_until and exc.decided_by  # SEL.SCOPE.ADJUST
    assert exc.valid_from < sixth_arrival(exc.village) < timeline.today < exc.valid_until
    assert Posting.objects.filter(village=exc.village, status="active").count() == 6
    sixth = posted.get(posting__village=exc.village)
    assert any(f["clause"] == "SEL.SCOPE.ADJUST" for f in sixth.findings)
    assert checks.composition_exceptions() == {EXCEPTION_VILLAGE}


def test_national_day_appointment_deadline(timeline):
    p = Posting.objects.get(
        village__jurisdiction__code=NATIONAL_DAY_VILLAGE, role="first_secretary"
    )
    (row,) = deadline_rows([p], kind="appoint", today=timeline.today)
    assert row.start == dt.date(2025, 9, 26) and row.due == selection.NATIONAL_DAY_DUE
    assert row.due == dt.date(2025, 10, 16) and row.done_on is None and row.status == "已逾期"


def appoint_and_transfer_rows(user, *, open_only, today):
    return {
        kind: deadline_rows(
            list(deadline_queryset(user=user, kind=kind, open_only=open_only)),
            kind=kind,
            today=today,
        )
        for kind in ("appoint", "transfer")
    }


def test_deadlines_mostly_recorded(timeline):
    from zhucun.accounts.models import User

    zhou = User.objects.get(username="zhou")
    rows = appoint_and_transfer_rows(zhou, open_only=False, today=timeline.today)
    status = {kind: Counter(r.status for r in rs) for kind, rs in rows.items()}
    appoint, transfer = status["appoint"], status["transfer"]
    assert appoint["已逾期"] == 1  # the National Day team
    assert appoint["未到期"] + appoint["即将到期"] >= len(RECENT_VILLAGES)
    assert appoint["已完成"] > 0.9 * sum(appoint.values()) and appoint["已完成(逾期)"] > 0
    assert transfer["已逾期"] == selection.OVERDUE_TRANSFERS
    assert transfer["已完成"] > 0.9 * sum(transfer.values()) and transfer["已完成(逾期)"] > 0
    recent = {r.posting.village.jurisdiction.code for r in rows["appoint"] if r.status != "已完成"}
    assert set(RECENT_VILLAGES) <= recent
    opened = appoint_and_transfer_rows(zhou, open_only=True, today=timeline.today)
    assert all(r.done_on is None for rs in opened.values() for r in rs)
    assert sum(len(rs) for rs in opened.values()) < 40
    for r in rows["appoint"] + rows["transfer"]:
        assert r.done_on is None or r.start < r.done_on <= timeline.today
    # the recent teams arrived in the last working days before today (timeline.py)
    recent = Posting.objects.filter(village__jurisdiction__code__in=RECENT_VILLAGES)
    assert {p.arrival_date for p in recent} == set(
        selection.recent_arrivals(timeline, work_calendar())
    )
    assert all(
        timeline.today - dt.timedelta(days=14) < p.arrival_date < timeline.today for p in recent
    )


def test_coverage_problems_are_the_deliberate_gaps(tmp_path, timeline):
    path = tmp_path / "coverage.json"  # the command writes the JSON to sys.stdout or -o
    args = ["--problems", "--format", "json", "--on", timeline.today.isoformat(), "-o", str(path)]
    call_command("coverage", *args, stdout=StringIO())
    report = json.loads(path.read_text(encoding="utf-8"))
    status = {v["code"]: v["status"] for v in report["villages"]}
    gaps = {
        g.villages[0] for g in DELIBERATE_GAPS if g.clause in ("SEL.SCOPE.COVER", "SEL.SCOPE.CAT3")
    }
    assert {c for c, s in status.items() if s != "例外"} == gaps
    assert {c for c, s in status.items() if s == "例外"} == {EXCEPTION_VILLAGE}
    assert report["summary"]["uncovered"] == 2 and report["summary"]["failing"] == 2
    assert report["summary"]["exceptions"] == 1


def test_breaches_are_still_exactly_the_gaps():
    expected = {}
    for gap in DELIBERATE_GAPS:
        expected.setdefault(gap.clause, set()).update(gap.villages)
    assert checks.breaches() == expected


def test_second_load_changes_nothing(demo):
    def snapshot():
        return (
            counts(),
            Nomination.objects.count(),
            NominationStep.objects.count(),
            CompositionException.objects.count(),
            Event.objects.count(),
            Posting.objects.exclude(fs_appointed_on=None).count(),
            Posting.objects.exclude(party_transfer_on=None).count(),
        )

    before = snapshot()
    again = load_demo()
    assert not again.loaded and snapshot() == before
    selection.load(random.Random(1), avoid=set(), timeline=demo.timeline)
    assert snapshot() == before


def test_command_prints_the_workflow():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "选派流程演示" in text and selection.EXCEPTION_REASON in text
    assert "2025-10-16" in text and "SEL.SRC.XD" in text
    for username in ("ruili", "lianghe", "yingjiang", "longchuan", "msjiaoyu"):
        assert username in text
