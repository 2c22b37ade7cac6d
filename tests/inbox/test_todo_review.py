"""The inbox for 研判召回 (issue 16, point 1): the county's quarterly review to start and sign
(MGT.4.REVIEW), the replacement a unit owes after a recall (MGT.4.CONSEQ; the county sees it
once overdue), the cadres due a talk (GUA.3.TALK); a recall tells the unit."""

import datetime as dt

from tests.review.quarterly_helpers import AFTER, QUARTER, YEAR, set_today
from tests.review.recall_helpers import RECALL_DAY, post_directly, recall
from zhucun.notices.models import Notice
from zhucun.review.services import quarterly as svc
from zhucun.review.services.talks import talk_create

from ..web.helpers import html, login
from .outsiders import items, outsider


def test_quarterly_review_to_start_then_to_sign_MGT_4_REVIEW(client, world, monkeypatch):
    set_today(monkeypatch, AFTER)  # 2026-10-15: the third quarter is over
    county = world.users["county"]
    item = items(county, AFTER)["review_quarter"]
    assert item.title == "2026年第3季度履职情况分析研判待开展"
    assert item.count == 1 and item.clause == "MGT.4.REVIEW" and item.due is None
    login(client, world, "county")
    page = client.get(item.url)
    assert page.status_code == 200 and 'id="start-review"' in html(page)
    assert "review_quarter" not in items(world.users["prefecture"], AFTER)  # it only reads
    assert "review_quarter" not in items(world.users["township"], AFTER)

    review = svc.review_start(actor=county, year=YEAR, quarter=QUARTER)
    item = items(county, AFTER)["review_quarter"]
    assert item.title == "2026年第3季度分析研判待签发报州"
    assert item.url == f"/review/quarterly/{review.pk}/"
    assert client.get(item.url).status_code == 200
    other = outsider(world, "county")  # 瑞丽市 has its own review to do, untouched by 芒市's
    assert "待开展" in items(other, AFTER)["review_quarter"].title

    svc.review_sign(actor=county, review_id=review.pk, meeting="芒市驻村工作领导小组会议")
    assert "review_quarter" not in items(county, AFTER)
    # the next quarter ends on 31 December: it is due from January on
    assert "review_quarter" not in items(county, dt.date(2026, 12, 31))
    assert "2026年第4季度" in items(county, dt.date(2027, 1, 4))["review_quarter"].title


def test_replacement_due_after_a_recall_MGT_4_CONSEQ(client, world):
    r = recall(world)  # 线美玲 (芒市人民医院) recalled on 2026-03-15
    unit, county = world.users["unit"], world.users["county"]
    before = dt.date(2026, 4, 1)
    item = items(unit, before)["recall_replacement"]
    assert item.count == 1 and item.due == r.replacement_due and item.overdue == 0
    assert item.working_days_left > 0 and item.clause == "MGT.4.CONSEQ"
    assert "recall_replacement_overdue" not in items(county, before)  # not yet late
    # the recall ended the posting that day: it is owed as a replacement, not as a term end
    on_the_day = items(unit, RECALL_DAY)
    assert "recall_replacement" in on_the_day and "term_end_unarranged" not in on_the_day

    late = r.replacement_due + dt.timedelta(days=1)
    item = items(unit, late)["recall_replacement"]
    assert item.overdue == 1 and item.working_days_left < 0
    assert item.deadline_text.startswith("已逾期")
    watch = items(county, late)["recall_replacement_overdue"]
    assert watch.count == 1 and watch.due == r.replacement_due
    login(client, world, "unit")
    page = client.get(item.url)
    assert page.status_code == 200 and "线美玲" in html(page)
    login(client, world, "county")
    assert client.get(watch.url).status_code == 200
    assert "recall_replacement" not in items(outsider(world, "unit"), late)
    assert "recall_replacement_overdue" not in items(outsider(world, "county"), late)
    assert not any(k.startswith("recall_") for k in items(world.users["township"], late))

    post_directly(
        world, name="顶替人", serial=35, unit_name="芒市人民医院", village="A", arrival=late
    )
    assert "recall_replacement" not in items(unit, late)
    assert "recall_replacement_overdue" not in items(county, late)


def test_recall_tells_the_unit_which_replacement_is_due_MGT_4_CONSEQ(client, world):
    r = recall(world)
    notice = Notice.objects.get()
    assert notice.user == world.users["unit"] and notice.kind == "recall_replacement"
    assert notice.clause == "MGT.4.CONSEQ" and "线美玲" in notice.title
    assert "2026年4月14日前" in notice.title and r.replacement_due == dt.date(2026, 4, 14)
    assert "芒驻村〔2026〕3号" in notice.body
    login(client, world, "unit")
    assert client.get(notice.url).status_code == 200
    assert RECALL_DAY == r.decided_on


def test_talks_overdue_for_unit_township_and_county_GUA_3_TALK(client, world):
    today = dt.date(2026, 5, 31)
    county, unit = world.users["county"], world.users["unit"]
    item = items(county, today)["talk_overdue"]
    assert item.count == 3 and item.overdue == 3 and item.is_overdue  # 芒市: 岳、线、排
    assert item.deadline_text == "3项已逾期" and item.clause == "GUA.3.TALK"
    assert items(world.users["township"], today)["talk_overdue"].count == 3
    assert items(unit, today)["talk_overdue"].count == 1  # its own cadre
    assert "talk_overdue" not in items(world.users["prefecture"], today)
    assert items(outsider(world, "county"), today)["talk_overdue"].count == 1  # 瑞丽: 李国强
    login(client, world, "unit")
    page = client.get(item.url)
    assert page.status_code == 200 and "线美玲" in html(page)
    talk_create(
        actor=unit,
        cadre_id=world.cadres["tm_a"].pk,
        held_on=dt.date(2026, 5, 20),
        talker="王院长",
        topics="驻村生活、工作困难",
    )
    assert "talk_overdue" not in items(unit, today)
    assert items(county, today)["talk_overdue"].count == 2
    assert not Notice.objects.exists()  # a talk is recorded, nobody waits for it
