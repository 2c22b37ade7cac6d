"""The inbox for selection (issue 16, point 1): nominations at the user's step of
SEL.METHOD.FLOW, appointments and party transfers due (SEL.METHOD.APPOINT10/TRANSFER15),
villages without a team (SEL.SCOPE.COVER); the body's steps notify the unit."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.selection.flow import FIVE, ON
from tests.world import cadre_data
from zhucun.notices.models import Notice
from zhucun.registry import services as reg
from zhucun.selection import services as sel
from zhucun.selection.deadlines import posting_record_milestone

from ..web.helpers import html, login
from .outsiders import items, outsider


@pytest.fixture
def candidate(world):
    return reg.cadre_create(
        actor=world.users["unit"],
        data=cadre_data(name="刀成", serial=31, unit_name="芒市人民医院", occupation="医务科科员"),
    )


def _nominate(world, cadre):
    return sel.nomination_create(
        actor=world.users["unit"],
        cadre_id=cadre.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
    )


def test_nomination_waits_at_each_step_for_its_role_SEL_METHOD_FLOW(client, world, candidate):
    unit, county, pref = world.users["unit"], world.users["county"], world.users["prefecture"]
    n = _nominate(world, candidate)
    item = items(unit)["nomination_propose"]
    assert (item.count, item.clause, item.url) == (
        1,
        "SEL.METHOD.FLOW",
        "/nominations/?state=recommended",
    )
    login(client, world, "unit")
    assert 'data-kind="nomination_propose"' in html(client.get("/"))
    page = client.get(item.url)
    assert page.status_code == 200 and "刀成" in html(page)
    assert "nomination_review" not in items(county)

    sel.nomination_propose(
        actor=unit, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="王敏"
    )
    assert "nomination_propose" not in items(unit)
    review = items(county)["nomination_review"]
    assert review.count == 1 and review.url == "/nominations/?state=proposed"
    login(client, world, "county")
    assert client.get(review.url).status_code == 200
    # a county unit's nomination is reviewed by its county, not by the prefecture
    assert "nomination_review" not in items(pref)
    assert "nomination_review" not in items(outsider(world, "county"))
    assert "nomination_propose" not in items(outsider(world, "unit"))

    sel.nomination_review(actor=county, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="李华")
    assert "nomination_review" not in items(county)
    assert items(unit)["nomination_decide"].count == 1
    sel.nomination_decide(actor=unit, nomination_id=n.pk)
    assert "nomination_decide" not in items(unit)
    post = items(county)["nomination_post"]
    assert post.count == 1 and post.url == "/nominations/?state=decided"
    sel.nomination_post(
        actor=county, nomination_id=n.pk, village_id=world.villages["A"].pk, arrival_date=ON
    )
    assert not {"nomination_post", "nomination_review"} & set(items(county))


def test_prefecture_reviews_prefecture_units_nominations_SEL_METHOD_FLOW(world):
    from zhucun.accounts.models import User

    pref_unit = User.objects.create_user(
        "pref_unit", password="pw", role="unit", unit=world.units["pref"], display_name="州农业"
    )
    cadre = reg.cadre_create(
        actor=pref_unit, data=cadre_data(name="杨州", serial=32, unit_name="德宏州农业农村局")
    )
    n = sel.nomination_create(
        actor=pref_unit,
        cadre_id=cadre.pk,
        role="team_member",
        source="application",
        dispatch_date=ON,
    )
    assert items(pref_unit)["nomination_propose"].url == "/nominations/?state=applied"
    sel.nomination_propose(
        actor=pref_unit, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="x"
    )
    assert items(world.users["prefecture"])["nomination_review"].count == 1
    assert "nomination_review" not in items(world.users["county"])  # not its unit
    assert "nomination_propose" not in items(world.users["unit"])  # another unit's


def test_body_steps_notify_the_unit_only_SEL_METHOD_FLOW(client, world, candidate):
    unit, county = world.users["unit"], world.users["county"]
    n = _nominate(world, candidate)
    sel.nomination_propose(
        actor=unit, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="王敏"
    )
    assert not Notice.objects.exists()  # the unit's own steps notify nobody
    sel.nomination_review(actor=county, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="李华")
    notice = Notice.objects.get()
    assert notice.user == unit and notice.kind == "nomination_review"
    assert notice.clause == "SEL.METHOD.FLOW" and "刀成" in notice.title
    assert notice.url == f"/nominations/{n.pk}/"
    login(client, world, "unit")
    assert client.get(notice.url).status_code == 200
    sel.nomination_reject(actor=county, nomination_id=n.pk, note="五关审查发现问题")
    rejected = Notice.objects.get(kind="nomination_reject")
    assert (
        rejected.user == unit
        and rejected.body == "五关审查发现问题"
        and "未予通过" in rejected.title
    )
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"unit"}


def test_unit_own_rejection_sends_no_notice_SEL_METHOD_FLOW(world, candidate):
    n = _nominate(world, candidate)
    sel.nomination_propose(
        actor=world.users["unit"],
        nomination_id=n.pk,
        basic_attested=True,
        no1_attested=True,
        attested_by="x",
    )
    sel.nomination_reject(actor=world.users["unit"], nomination_id=n.pk, note="本单位另有安排")
    assert not Notice.objects.exists()


def test_posting_notifies_the_unit_with_the_village_SEL_METHOD_FLOW(world, candidate):
    from tests.selection.flow import run_to_decided

    n = run_to_decided(world, candidate)
    Notice.objects.all().delete()
    sel.nomination_post(
        actor=world.users["county"],
        nomination_id=n.pk,
        village_id=world.villages["A"].pk,
        arrival_date=ON,
    )
    notice = Notice.objects.get()
    assert notice.user == world.users["unit"] and notice.kind == "nomination_post"
    assert "弄坎村" in notice.title and "2026年3月2日到岗" in notice.title


def test_appointments_due_for_the_township_overdue_SEL_METHOD_APPOINT10(client, world):
    """The world's first secretaries arrived 2024-03-01 and were never appointed: 拉勐村's
    team (普通村, FS only) is in place, 弄坎村's (3类村, one team member) is not yet."""
    township = world.users["township"]
    item = items(township)["deadline_appoint"]
    assert item.count == 2 and item.clause == "SEL.METHOD.APPOINT10"
    assert item.overdue == 1 and item.is_overdue
    assert item.working_days_left < 0 and item.deadline_text.startswith("已逾期")
    assert item.url == "/deadlines/?kind=appoint"
    login(client, world, "township")
    page = html(client.get("/"))
    assert 'data-kind="deadline_appoint"' in page and "已逾期" in page
    assert client.get(item.url).status_code == 200
    # the county guides the townships: it sees the overdue one, never the open count
    watch = items(world.users["county"])["deadline_appoint_overdue"]
    assert watch.count == 1 and watch.due == item.due
    assert "deadline_appoint" not in items(world.users["county"])
    # 勐卯街道 sees its own village only; the unit has no part in it
    assert items(outsider(world, "township"))["deadline_appoint"].count == 1
    assert not any(k.startswith("deadline_") for k in items(world.users["unit"]))
    day = timezone.localdate()
    posting_record_milestone(
        actor=township, posting_id=world.postings["fs_b"].pk, kind="appoint", on=day
    )
    after = items(township)["deadline_appoint"]
    assert (
        after.count == 1 and after.due is None and after.overdue == 0
    )  # 弄坎村's clock not started
    assert "deadline_appoint_overdue" not in items(world.users["county"])
    posting_record_milestone(
        actor=township, posting_id=world.postings["fs_a"].pk, kind="appoint", on=day
    )
    assert "deadline_appoint" not in items(township)


def test_party_transfer_due_counts_working_days_left_SEL_METHOD_TRANSFER15(client, world):
    township, county = world.users["township"], world.users["county"]
    assert items(county)["deadline_transfer"].count == 2  # the county records transfers too
    for key in ("fs_a", "fs_b"):
        posting_record_milestone(
            actor=township,
            posting_id=world.postings[key].pk,
            kind="transfer",
            on=dt.date(2024, 3, 5),
        )
    assert "deadline_transfer" not in items(township)
    today = timezone.localdate()
    cadre = reg.cadre_create(actor=world.admin, data=cadre_data(name="新党员", serial=33))
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": cadre.id_number,
            "village_code": world.villages["B"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": today,
        },
    )
    item = items(township)["deadline_transfer"]
    assert item.count == 1 and item.overdue == 0 and not item.is_overdue
    assert item.working_days_left == 15 and item.deadline_text == "还剩15个工作日"
    login(client, world, "county")
    assert client.get(items(county)["deadline_transfer"].url).status_code == 200
    # the prefecture watches only what is overdue: 团结村's first secretary
    pref = items(world.users["prefecture"])
    assert pref["deadline_transfer_overdue"].count == 1 and "deadline_transfer" not in pref


def test_village_without_a_team_SEL_SCOPE_COVER(client, world):
    county = world.users["county"]
    assert "villages_uncovered" not in items(county)
    v = reg.village_create(
        actor=world.admin,
        code="533103102009",
        name="芒棒村",
        township_code="533103102000",
        border=True,
    )
    item = items(county)["villages_uncovered"]
    assert item.count == 1 and item.clause == "SEL.SCOPE.COVER" and "3类村1个" in item.note
    assert items(world.users["prefecture"])["villages_uncovered"].count == 1
    assert "villages_uncovered" not in items(outsider(world, "county"))
    assert "villages_uncovered" not in items(world.users["township"])  # it does not post teams
    login(client, world, "county")
    page = client.get(item.url)
    assert page.status_code == 200 and "芒棒村" in html(page)
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres["spare"].id_number,
            "village_code": v.jurisdiction.code,
            "role": "first_secretary",
            "arrival_date": timezone.localdate(),
        },
    )
    assert "villages_uncovered" not in items(county)


@pytest.mark.parametrize("kind", ["appoint", "transfer"])
def test_inbox_dues_are_the_deadline_pages_dues_SEL_METHOD_APPOINT10(world, kind):
    """``deadline_dues`` (the inbox) gives each open posting the date ``deadline_rows`` (the
    deadlines page) gives it, the clock not started included (弄坎村, 团结村: team short)."""
    from zhucun.params.calendar import work_calendar
    from zhucun.selection.deadlines import deadline_dues, deadline_queryset, deadline_rows

    postings = list(deadline_queryset(user=world.admin, kind=kind))
    calendar = work_calendar()
    rows = deadline_rows(postings, kind=kind, today=timezone.localdate(), calendar=calendar)
    dues = deadline_dues(postings, kind=kind, calendar=calendar)
    assert dues == {r.posting.pk: r.due for r in rows} and len(dues) >= 3
    assert (None in dues.values()) == (kind == "appoint")
