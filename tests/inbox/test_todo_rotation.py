"""The inbox for 调整轮换 (issue 16, point 1): an application waits at its holder's step
(MGT.9.APPLY: township seals, unit decides and sends the form with the documents — MGT.9.DOCS —,
the organisation department that manages the cadre reviews); its decision reaches the cadre."""

import pytest

from tests.rotation import flow
from zhucun.notices.models import Notice
from zhucun.rotation import services as rs

from ..web.helpers import html, login
from .outsiders import items, outsider


@pytest.fixture(autouse=True)
def _attachments_dir(settings, tmp_path):
    settings.ZHUCUN_ATTACHMENTS_DIR = tmp_path / "files"


def _rotation_kinds(user) -> set[str]:
    return {k for k in items(user) if k.startswith("rotation_")}


def test_application_waits_at_each_holder_step_MGT_9_APPLY(client, world):
    township, unit, county = (world.users[r] for r in ("township", "unit", "county"))
    app = flow.applied(world)
    item = items(township)["rotation_applied"]
    assert item.count == 1 and item.clause == "MGT.9.APPLY" and item.due is None
    assert item.url == "/rotation/?state=applied"
    login(client, world, "township")
    assert 'data-kind="rotation_applied"' in html(client.get("/"))
    assert client.get(item.url).status_code == 200
    assert _rotation_kinds(unit) == set() and _rotation_kinds(county) == set()
    assert _rotation_kinds(outsider(world, "township")) == set()

    flow.upload(world, app, "evidence", role="team_member")
    rs.rotation_seal(actor=township, application_id=app.pk, opinion="同意", sealed_by="刀乡长")
    assert _rotation_kinds(township) == set()
    assert items(unit)["rotation_sealed"].count == 1
    assert _rotation_kinds(outsider(world, "unit")) == set()

    login(client, world, "unit")
    assert client.get(items(unit)["rotation_sealed"].url).status_code == 200


def test_unit_sends_the_form_then_the_county_reviews_MGT_9_DOCS(client, world):
    unit, county = world.users["unit"], world.users["county"]
    app = flow.decided(world)
    item = items(unit)["rotation_decided"]
    assert item.count == 1 and item.clause == "MGT.9.DOCS"
    assert item.url == "/rotation/?state=decided"
    flow.with_documents(world, app)
    rs.rotation_submit(
        actor=unit, application_id=app.pk, unit_opinion="同意调整", form_handler="王干事"
    )
    assert _rotation_kinds(unit) == set()
    review = items(county)["rotation_form_filled"]
    assert review.count == 1 and review.url == "/rotation/?state=form_filled"
    login(client, world, "county")
    assert client.get(review.url).status_code == 200
    # 芒市人民医院 is a county unit: the prefecture does not manage its cadres, 瑞丽 neither
    assert _rotation_kinds(world.users["prefecture"]) == set()
    assert _rotation_kinds(outsider(world, "county")) == set()
    rs.rotation_grant(actor=county, application_id=app.pk, opinion="同意", reviewer_name="李部长")
    assert _rotation_kinds(county) == set()


def test_grant_notifies_the_cadre_and_the_unit_MGT_9_APPLY(client, world):
    app = flow.form_filled(world)
    Notice.objects.all().delete()
    rs.rotation_grant(
        actor=world.users["county"], application_id=app.pk, opinion="同意", reviewer_name="李部长"
    )
    notices = {n.user.username: n for n in Notice.objects.select_related("user")}
    assert set(notices) == {"team_member", "unit"}
    mine = notices["team_member"]
    assert mine.kind == "rotation_grant" and mine.clause == "MGT.9.APPLY"
    assert "审查同意" in mine.title and "2025年6月1日交接" in mine.title
    assert mine.url == f"/rotation/{app.pk}/"
    assert "线美玲" in notices["unit"].title
    login(client, world, "team_member")
    assert client.get(mine.url).status_code == 200


def test_township_refusal_reaches_the_cadre_only_MGT_9_APPLY(world):
    app = flow.applied(world)
    rs.rotation_reject(actor=world.users["township"], application_id=app.pk, note="材料不实")
    notice = Notice.objects.get()
    assert notice.user == world.users["team_member"] and notice.kind == "rotation_reject"
    assert notice.body == "材料不实" and "乡镇党委签章" in notice.title
    assert "rotation_applied" not in items(world.users["township"])
