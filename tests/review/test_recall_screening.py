"""MGT.4.CONSEQ everywhere a registered cadre is screened: a recalled cadre nominated or
posted during the ban is refused citing MGT.4.CONSEQ; the day after the ban ends the ban no
longer speaks (other rules still may)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.selection.flow import FIVE
from zhucun.core.errors import ValidationFailed
from zhucun.registry.models import Posting
from zhucun.selection import services as sel
from zhucun.selection.adapters import candidate_from_cadre, with_promotion_ban
from zhucun.selection.ranking import village_candidates
from zhucun.selection.services.postings import posting_register

from .recall_helpers import BAN_END, recall

DAY_AFTER = BAN_END + dt.timedelta(days=1)


def _clauses(findings):
    return {f["clause"] for f in findings}


def test_mgt_4_conseq_nomination_during_ban_refused_day_after_allowed(world):
    recall(world)  # 线美玲 (芒市人民医院), ban through 2029-03-15
    unit, cadre = world.users["unit"], world.cadres["tm_a"]
    n = sel.nomination_create(
        actor=unit,
        cadre_id=cadre.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=BAN_END,
    )
    assert "MGT.4.CONSEQ" in _clauses(n.findings)
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_propose(
            actor=unit,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by="人事科 王敏",
        )
    assert "MGT.4.CONSEQ" in exc.value.errors
    assert "2029年3月15日" in exc.value.errors["MGT.4.CONSEQ"]
    sel.nomination_withdraw(actor=unit, nomination_id=n.pk, note="改期")

    n2 = sel.nomination_create(
        actor=unit,
        cadre_id=cadre.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=DAY_AFTER,
    )
    assert "MGT.4.CONSEQ" not in _clauses(n2.findings)
    n2 = sel.nomination_propose(
        actor=unit,
        nomination_id=n2.pk,
        basic_attested=True,
        no1_attested=True,
        attested_by="人事科 王敏",
    )
    n2 = sel.nomination_review(
        actor=world.users["county"],
        nomination_id=n2.pk,
        checkpoints=FIVE,
        reviewer_name="县驻村办 李华",
    )
    assert n2.state == "filed"


def _post(world, arrival):
    return posting_register(
        actor=world.users["county"],
        data={
            "id_number": world.cadres["tm_a"].id_number,
            "village_code": world.villages["B"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": arrival,
            "planned_end": arrival.replace(year=arrival.year + 2),
            "status": "planned",
        },
    )


def test_mgt_4_conseq_posting_registration_during_ban_refused_day_after_allowed(world):
    recall(world)
    with pytest.raises(ValidationFailed) as exc:
        _post(world, BAN_END)
    assert "MGT.4.CONSEQ" in exc.value.errors
    assert not Posting.objects.filter(cadre=world.cadres["tm_a"], status="planned").exists()
    p = _post(world, DAY_AFTER)
    assert p.cadre_id == world.cadres["tm_a"].pk and p.arrival_date == DAY_AFTER


def test_mgt_4_conseq_ranking_screens_with_the_ban_in_one_query(world):
    recall(world)
    rows = village_candidates(
        user=world.users["unit"], village_id=None, role="team_member", on=BAN_END
    ).rows
    row = next(r for r in rows if r.cadre.pk == world.cadres["tm_a"].pk)
    assert any(f.clause == "MGT.4.CONSEQ" for f in row.ranked.screening)
    later = village_candidates(
        user=world.users["unit"], village_id=None, role="team_member", on=DAY_AFTER
    ).rows
    row = next(r for r in later if r.cadre.pk == world.cadres["tm_a"].pk)
    assert not any(f.clause == "MGT.4.CONSEQ" for f in row.ranked.screening)


def test_mgt_4_conseq_candidate_from_cadre_reads_the_file(world, django_assert_num_queries):
    recall(world)
    from zhucun.registry.models import Cadre

    cadre = Cadre.objects.select_related("unit").get(pk=world.cadres["tm_a"].pk)
    c = candidate_from_cadre(cadre)
    assert c.promotion_ban_until == BAN_END and c.recalled_on == dt.date(2026, 3, 15)
    annotated = with_promotion_ban(Cadre.objects.select_related("unit")).get(pk=cadre.pk)
    with django_assert_num_queries(0):
        assert candidate_from_cadre(annotated).promotion_ban_until == BAN_END
    fresh = candidate_from_cadre(
        Cadre.objects.select_related("unit").get(pk=world.cadres["fs_b"].pk)
    )
    assert fresh.promotion_ban_until is None and fresh.recalled_on is None
