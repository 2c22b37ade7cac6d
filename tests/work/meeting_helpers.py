"""Helpers for the MGT.2 / DUT.LIST tests (on tests/world.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhucun.attendance.models import LeaveRequest
from zhucun.registry.models import Posting
from zhucun.work.services import meetings as svc

SEPT = dt.date(2025, 9, 1)  # ISO weeks 1, 8, 15, 22 September 2025 (no holidays)
AFTER_SEPT = dt.date(2025, 10, 1)


def meet(world: Any, day: dt.date, **kw: Any):
    team = [world.cadres["fs_a"].pk, world.cadres["tm_a"].pk]
    data: dict[str, Any] = {"attendee_ids": team, "topics": "研究本周工作"}
    data.update(kw)
    return svc.meeting_record(actor=world.users["first_secretary"], held_on=day, **data)


def rest(cadre: Any, start: dt.date, end: dt.date, kind: str = "rotation_rest") -> LeaveRequest:
    posting = Posting.objects.filter(cadre=cadre).order_by("-arrival_date").first()
    assert posting is not None
    return LeaveRequest.objects.create(
        cadre=cadre,
        posting=posting,
        village=posting.village,
        kind=kind,
        start=start,
        end=end,
        reason="轮休",
        state="approved",
        approver_level="township",
    )
