"""Facts for the quarterly review tests (MGT.4.REVIEW): month rows as the month close writes
them, discipline records written with the model (the service belongs to another part), and
a fixed "today" so that the quarter's begun/over checks do not follow the clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhucun.attendance.models import MonthlyAttendance
from zhucun.registry.models import Posting
from zhucun.review.models import DisciplineRecord

YEAR, QUARTER = 2026, 3
MONTHS = (dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1))
AFTER = dt.date(2026, 10, 15)  # the quarter is over
DURING = dt.date(2026, 8, 15)  # begun, not over


def set_today(monkeypatch, day: dt.date) -> None:
    import zhucun.review.services.quarterly as svc

    monkeypatch.setattr(svc, "_today", lambda: day)


def month_row(posting: Posting, month: dt.date, *, short: bool, reason: str = "") -> None:
    """One closed month: ``short`` = below working days; ``needs_interview`` when short and
    no valid reason (what the month close writes)."""
    duty = 12 if short else 21
    MonthlyAttendance.objects.create(
        month=month,
        township_id=posting.village.township_id,
        village=posting.village,
        cadre_id=posting.cadre_id,
        workdays=21,
        duty_workdays=duty,
        excused_workdays=0,
        rate=(Decimal(duty) / Decimal(21)).quantize(Decimal("0.0001")),
        rank=1,
        bottom_rank=1,
        is_bottom=short,
        tie=False,
        needs_interview=short and not reason,
        valid_reason=reason,
        computed_at=timezone.now(),
    )


def discipline(cadre, day: dt.date, recorder, **over) -> DisciplineRecord:
    data = dict(
        cadre=cadre,
        occurred_on=day,
        description="工作日多次不在村,经核实属实",
        found_by="乡镇党委督查",
        outcome="admonition",
        prohibition="reside",
        recorder_kind="county",
        recorded_by=recorder,
    )
    data.update(over)
    return DisciplineRecord.objects.create(**data)
