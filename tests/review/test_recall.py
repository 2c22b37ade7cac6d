"""recall_record (MGT.4.CAUSE, MGT.4.CONSEQ): a recall ends the posting, writes the ban into
the 干部管理档案 through the corresponding day three years on (inclusive) and makes a
replacement from the same unit due, listed until a posting of that unit in the village is
recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.models import CadreFileEntry, Posting, PostingStatus
from zhucun.registry.selectors import cadre_promotion_ban
from zhucun.review.models import Recall
from zhucun.review.selectors import recall as sel
from zhucun.tenure.models import PostingClosure

from .recall_helpers import BAN_END, RECALL_DAY, post_directly, recall


def test_mgt_4_conseq_recall_gives_ban_through_corresponding_day_and_replacement_due(world):
    r = recall(world)
    assert r.ban_until == BAN_END  # 2026-03-15 → 2029-03-15, inclusive
    assert r.replacement_due > r.decided_on
    p = Posting.objects.get(pk=world.postings["tm_a"].pk)
    assert p.status == PostingStatus.ENDED and p.actual_end == RECALL_DAY
    closure = PostingClosure.objects.get(posting=p)
    assert closure.cause == "recall" and closure.reference == "芒驻村〔2026〕3号"
    entry = CadreFileEntry.objects.get(cadre=world.cadres["tm_a"])
    assert entry.clause == "MGT.4.CONSEQ" and entry.kind == "recall"
    assert entry.ban_until == BAN_END and entry.recorded_on == RECALL_DAY
    for part in ("弄坎村", "2026年3月15日", "芒市驻村工作领导协调机构", "芒驻村〔2026〕3号"):
        assert part in entry.text
    assert "无正当理由长期不在岗" in entry.text and "2029年3月15日" in entry.text
    assert Event.objects.filter(action="recall.record").count() == 1
    assert Event.objects.filter(action="cadre.file_record").count() == 1
    # the ban runs through the last day and not a day longer
    cadre = world.cadres["tm_a"].pk
    assert cadre_promotion_ban(cadre_id=cadre, on=BAN_END) is not None
    assert cadre_promotion_ban(cadre_id=cadre, on=BAN_END + dt.timedelta(days=1)) is None


def test_mgt_4_conseq_recall_on_29_february_bans_through_28_february(world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2028, 3, 1))
    r = recall(world, "fs_b", on=dt.date(2028, 2, 29))
    assert r.ban_until == dt.date(2031, 2, 28)


def test_mgt_4_cause_recall_does_not_wait_for_a_planned_successor(world):
    """MGT.9.HANDOVER is waived with a reason citing MGT.4 (a recall does not wait)."""
    post_directly(
        world,
        name="候补",
        serial=41,
        unit_name="芒市人民医院",
        village="A",
        arrival=timezone.localdate() + dt.timedelta(days=30),
    )
    r = recall(world)
    closure = PostingClosure.objects.get(posting_id=r.posting_id)
    assert "MGT.4" in closure.gap_reason


@pytest.mark.parametrize(
    "field, value",
    [
        ("cause", "lazy"),
        ("evidence", "  "),
        ("deciding_body", "=HYPERLINK(1)"),
        ("reference", ""),
    ],
)
def test_mgt_4_cause_recall_validates_cause_and_texts(world, field, value):
    with pytest.raises(ValidationFailed) as exc:
        recall(world, **{field: value})
    assert field in exc.value.errors
    assert not Recall.objects.exists()
    assert Posting.objects.get(pk=world.postings["tm_a"].pk).status == PostingStatus.ACTIVE


def test_mgt_4_cause_decision_day_not_in_future_nor_before_arrival(world):
    with pytest.raises(ValidationFailed) as exc:
        recall(world, on=timezone.localdate() + dt.timedelta(days=1))
    assert "decided_on" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        recall(world, on=dt.date(2024, 2, 29))
    assert "到岗日期" in exc.value.errors["decided_on"]


def test_mgt_4_cause_only_the_county_body_records_recalls(world):
    for role in ("township", "prefecture"):
        with pytest.raises(Forbidden) as exc:
            recall(world, actor=world.users[role])
        assert "县级驻村工作领导协调机构" in exc.value.message
    with pytest.raises(Forbidden):
        recall(world, actor=world.users["unit"])
    # 瑞丽市's posting is outside 芒市's county: as if it did not exist
    with pytest.raises(NotFound):
        recall(world, "fs_c")
    assert recall(world, "fs_c", actor=world.admin).cadre_id == world.cadres["fs_c"].pk


def test_mgt_4_cause_ended_posting_cannot_be_recalled_twice(world):
    recall(world)
    with pytest.raises(ValidationFailed) as exc:
        recall(world)
    assert "posting_id" in exc.value.errors


def test_mgt_4_cause_review_entry_must_be_this_countys_for_this_cadre(world):
    with pytest.raises(NotFound):
        recall(world, review_entry_id=999999)


def test_mgt_4_cause_review_entry_of_the_county_is_linked(world):
    from zhucun.registry.models import Jurisdiction
    from zhucun.review.models import QuarterlyReview, ReviewEntry

    county = Jurisdiction.objects.get(code="533103000000")
    review = QuarterlyReview.objects.create(
        county=county, year=2026, quarter=1, started_by=world.users["county"]
    )
    entry = ReviewEntry.objects.create(
        review=review,
        cadre=world.cadres["tm_a"],
        posting=world.postings["tm_a"],
        conclusion="recall",
    )
    other = ReviewEntry.objects.create(
        review=review, cadre=world.cadres["fs_b"], posting=world.postings["fs_b"]
    )
    with pytest.raises(NotFound):
        recall(world, review_entry_id=other.pk)  # another cadre's entry
    assert recall(world, review_entry_id=entry.pk).review_entry_id == entry.pk


def _due_ids(user, today):
    return set(sel.replacements_due(user=user, today=today).values_list("pk", flat=True))


def test_mgt_4_conseq_replacement_due_on_unit_and_county_lists_until_posted(world):
    r = recall(world)  # 线美玲, 芒市人民医院, 弄坎村
    today = timezone.localdate()
    for role in ("unit", "county", "township", "prefecture", "admin"):
        assert r.pk in _due_ids(world.users[role], today), role
    for role in ("first_secretary", "team_member", "village_secretary"):
        assert not _due_ids(world.users[role], today)
    # a posting of ANOTHER unit in the village does not replace; one before the recall neither
    post_directly(
        world,
        name="他单位",
        serial=42,
        unit_name="德宏州农业农村局",
        village="A",
        arrival=RECALL_DAY,
    )
    post_directly(
        world,
        name="早到者",
        serial=43,
        unit_name="芒市人民医院",
        village="A",
        arrival=RECALL_DAY - dt.timedelta(days=1),
    )
    assert r.pk in _due_ids(world.users["unit"], today)
    # the same unit's cadre posted in that village from the recall day on: replaced
    p = post_directly(
        world, name="顶替者", serial=44, unit_name="芒市人民医院", village="A", arrival=RECALL_DAY
    )
    assert r.pk not in _due_ids(world.users["unit"], today)
    assert r.pk not in _due_ids(world.users["county"], today)
    got = sel.recall_get(user=world.users["county"], pk=r.pk, today=today)
    assert got.replaced and not got.overdue
    assert sel.replacement_posting_of(got).pk == p.pk


def test_mgt_4_conseq_replacement_overdue_after_the_deadline(world):
    r = recall(world)
    county = world.users["county"]
    on_deadline = sel.replacements_due(user=county, today=r.replacement_due).get(pk=r.pk)
    assert not on_deadline.overdue
    after = sel.replacements_due(user=county, today=r.replacement_due + dt.timedelta(days=1)).get(
        pk=r.pk
    )
    assert after.overdue


def test_mgt_4_cause_recalls_scoped_by_village_and_unit(world, django_user_model):
    r = recall(world)
    from zhucun.registry.models import Jurisdiction

    ruili = django_user_model.objects.create_user(
        "ruili",
        password="pw",
        role="county",
        jurisdiction=Jurisdiction.objects.get(code="533102000000"),
    )
    assert not sel.recall_list(user=ruili).exists()
    with pytest.raises(NotFound):
        sel.recall_get(user=ruili, pk=r.pk)
    assert sel.recall_list(user=world.users["unit"]).filter(pk=r.pk).exists()
