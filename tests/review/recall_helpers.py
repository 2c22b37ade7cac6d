"""Shared steps of the recall tests (MGT.4.CAUSE, MGT.4.CONSEQ)."""

from __future__ import annotations

import datetime as dt

from tests.world import cadre_data
from zhucun.registry import services as reg
from zhucun.review.models import Recall
from zhucun.review.services.recall import recall_record

RECALL_DAY = dt.date(2026, 3, 15)
BAN_END = dt.date(2029, 3, 15)


def recall(world, key: str = "tm_a", *, on: dt.date = RECALL_DAY, actor=None, **over) -> Recall:
    data = {
        "cause": "absent",
        "evidence": "2026年1月至3月出勤均达不到正常工作日且无正当理由",
        "deciding_body": "芒市驻村工作领导协调机构",
        "decided_on": on,
        "reference": "芒驻村〔2026〕3号",
    }
    data.update(over)
    return recall_record(
        actor=actor or world.users["county"], posting_id=world.postings[key].pk, **data
    )


def post_directly(world, *, name: str, serial: int, unit_name: str, village: str, arrival):
    """A cadre of ``unit_name`` posted to ``village`` through the registry (no screening)."""
    c = reg.cadre_create(
        actor=world.admin, data=cadre_data(name=name, serial=serial, unit_name=unit_name)
    )
    return reg.posting_create(
        actor=world.admin,
        data={
            "id_number": c.id_number,
            "village_code": world.villages[village].jurisdiction.code,
            "role": "team_member",
            "arrival_date": arrival,
            "status": "planned" if arrival > dt.date.today() else "active",
        },
    )
