"""The role homes show what the review app waits for: the replacement a unit owes after a
recall (MGT.4.CONSEQ) and the cadres due for a talk (GUA.3.TALK)."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import html, login

from .recall_helpers import post_directly, recall


def _box(text: str) -> dict[str, int]:
    found = {
        key: re.search(rf'id="{key}">(\d+)<', text)
        for key in ("home-replacements", "home-talks-overdue")
    }
    return {k: int(m.group(1)) for k, m in found.items() if m}


@pytest.mark.parametrize("role", ["county", "prefecture", "township", "unit"])
def test_mgt_4_conseq_replacement_due_on_the_home_until_posted(client, world, role):
    login(client, world, role)
    before = _box(html(client.get("/")))
    r = recall(world)
    assert _box(html(client.get("/")))["home-replacements"] == before["home-replacements"] + 1
    post_directly(
        world,
        name="顶替者",
        serial=42,
        unit_name=r.cadre.unit.name,
        village="A",
        arrival=r.decided_on,
    )
    assert _box(html(client.get("/")))["home-replacements"] == before["home-replacements"]


def test_gua_3_talk_home_counts_cadres_due_for_a_talk(client, world):
    """The unit's cadres in post with no talk are counted; a talk today removes one."""
    from django.utils import timezone

    from zhucun.review.services.talks import talk_create

    login(client, world, "unit")
    n = _box(html(client.get("/")))["home-talks-overdue"]
    assert n >= 1
    talk_create(
        actor=world.users["unit"],
        cadre_id=world.cadres["tm_a"].pk,
        held_on=timezone.localdate(),
        talker="分管领导 张华",
        topics="了解驻村生活",
    )
    assert _box(html(client.get("/")))["home-talks-overdue"] == n - 1


@pytest.mark.parametrize("role", ["first_secretary", "team_member", "village_secretary"])
def test_cadre_homes_have_no_review_box(client, world, role):
    login(client, world, role)
    assert "review-box" not in html(client.get("/"))


def test_mgt_4_conseq_home_marks_the_overdue_replacement(client, world, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    r = recall(world)
    login(client, world, "unit")
    monkeypatch.setattr(timezone, "localdate", lambda *a: r.replacement_due)
    assert "已超期" not in html(client.get("/"))
    later = r.replacement_due + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    assert "已超期 1 人" in html(client.get("/"))
