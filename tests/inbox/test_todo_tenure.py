"""The inbox for tenure (issue 16, point 1): terms ending within the notice window with nobody
arranged to follow (MGT.9.HANDOVER, for the unit and the county), and the 交接清单 the county
still has to write once the replacement is posted."""

import datetime as dt

from django.utils import timezone

from tests.world import cadre_data
from zhucun.policy.dates import anniversary
from zhucun.registry import services as reg
from zhucun.registry.models import Posting, PostingStatus
from zhucun.selection import services as sel
from zhucun.tenure.services import handover_save

from ..web.helpers import html, login
from .outsiders import items, outsider


def _ends_in(world, key: str, days: int) -> dt.date:
    end = timezone.localdate() + dt.timedelta(days=days)
    Posting.objects.filter(pk=world.postings[key].pk).update(planned_end=end)
    return end


def _replacement(world, arrival: dt.date) -> Posting:
    return reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres["spare"].id_number,
            "village_code": world.villages["A"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": arrival,
            "status": PostingStatus.PLANNED,
        },
    )


def test_term_end_without_replacement_for_unit_and_county_MGT_9_HANDOVER(client, world):
    end = _ends_in(world, "tm_a", 20)  # 线美玲, 芒市人民医院, 弄坎村
    county, unit = world.users["county"], world.users["unit"]
    for user in (county, unit):
        item = items(user)["term_end_unarranged"]
        assert item.count == 1 and item.due == end and item.clause == "MGT.9.HANDOVER"
        assert item.working_days_left > 0 and item.deadline_text.startswith("还剩")
        assert item.url == "/tenure/term-ends/"
    login(client, world, "unit")
    assert 'data-kind="term_end_unarranged"' in html(client.get("/"))
    page = client.get("/tenure/term-ends/")
    assert page.status_code == 200 and "线美玲" in html(page)
    # not for another county or another unit, nor for the township (it appoints nobody)
    assert "term_end_unarranged" not in items(outsider(world, "county"))
    assert "term_end_unarranged" not in items(outsider(world, "unit"))
    assert "term_end_unarranged" not in items(world.users["township"])
    # the unit nominates a successor for the village and role: arranged, the item goes
    sel.nomination_create(
        actor=unit,
        cadre_id=world.cadres["spare"].pk,
        role="team_member",
        source="recommendation",
        dispatch_date=end,
        village_id=world.villages["A"].pk,
    )
    assert "term_end_unarranged" not in items(unit)
    assert "term_end_unarranged" not in items(county)


def test_term_end_by_the_regular_end_when_no_planned_end_MGT_TERM(world):
    today = timezone.localdate()
    regular = today + dt.timedelta(days=40)
    cadre = reg.cadre_create(
        actor=world.admin, data=cadre_data(name="期满人", serial=34, unit_name="芒市人民医院")
    )
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": cadre.id_number,
            "village_code": world.villages["B"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": anniversary(regular, -2),
            "planned_end": None,
        },
    )
    item = items(world.users["county"])["term_end_unarranged"]
    assert item.count == 1 and item.due == regular  # arrival + term_min_years (2)


def test_handover_record_due_once_the_replacement_is_posted_MGT_9_HANDOVER(client, world):
    end = _ends_in(world, "tm_a", 20)
    county = world.users["county"]
    assert "handover_record" not in items(county)  # nobody to hand over to yet
    _replacement(world, end)
    got = items(county)
    assert "term_end_unarranged" not in got
    item = got["handover_record"]
    assert item.count == 1 and item.due == end and item.url == "/tenure/term-ends/"
    assert "handover_record" not in items(world.users["unit"])  # the county writes it
    assert "handover_record" not in items(outsider(world, "county"))
    login(client, world, "county")
    page = html(client.get(item.url))
    assert f"/postings/{world.postings['tm_a'].pk}/handover/" in page
    response = client.post(
        f"/postings/{world.postings['tm_a'].pk}/handover/",
        {
            "handover_date": end.isoformat(),
            "ongoing_tasks": "入户走访台账",
            "households": "",
            "documents": "",
            "funds": "",
            "receiver_name": "",
            "received_on": "",
        },
    )
    assert response.status_code == 302
    assert "handover_record" not in items(county)


def test_handover_record_written_through_the_service_disappears(world):
    end = _ends_in(world, "tm_a", 20)
    _replacement(world, end)
    handover_save(
        actor=world.users["county"],
        posting_id=world.postings["tm_a"].pk,
        data={"handover_date": end, "documents": "工作日志"},
    )
    assert "handover_record" not in items(world.users["county"])
