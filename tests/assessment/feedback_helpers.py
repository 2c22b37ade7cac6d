"""Assessments and 三讲三评 votes written with the models (the services that finalise them and
record the votes belong to other parts): finalised results with their date, one event per
village and quarter, the votes of each voter group."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from zhucun.assessment.models import Assessment, SjspEvent, SjspTally
from zhucun.registry.models import Jurisdiction, Posting

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def county_of(posting: Posting) -> Jurisdiction:
    return Jurisdiction.objects.get(code=posting.village.jurisdiction.code[:6] + "000000")


def assessment(
    world,
    key: str,
    *,
    grade: str = "competent",
    year: int = 2025,
    kind: str = "annual",
    final: bool = True,
    finalised_at: dt.datetime | None = None,
) -> Assessment:
    """The assessment of ``world.postings[key]``'s cadre, finalised (by default) on
    2026-01-20 by the county of the village."""
    posting = world.postings[key]
    county = world.users["county"]
    return Assessment.objects.create(
        cadre_id=posting.cadre_id,
        posting=posting,
        county=county_of(posting),
        kind=kind,
        year=year,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        state="final" if final else "draft",
        grade=grade if final else "",
        appraisal="工作扎实,群众认可" if final else "",
        started_by=county,
        finalised_by=county if final else None,
        finalised_at=(finalised_at or at(2026, 1, 20)) if final else None,
    )


def sjsp_event(world, village: str, *, year: int, quarter: int, held_on: dt.date) -> SjspEvent:
    return SjspEvent.objects.create(
        village=world.villages[village],
        year=year,
        quarter=quarter,
        held_on=held_on,
        summary="讲帮扶措施、讲履职情况、讲发展变化",
        recorded_by=world.users["township"],
    )


def votes(event: SjspEvent, cadre, group: str, **counts: int) -> SjspTally:
    data = {"good": 0, "fairly_good": 0, "average": 0, "poor": 0, **counts}
    return SjspTally.objects.create(event=event, cadre=cadre, group=group, **data)
