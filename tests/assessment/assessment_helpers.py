"""Facts and settings for the assessment tests (MGT.5.*): the 优秀 ratio set by the county
the way a jurisdiction sets it, 三讲三评 votes written with the models (the service belongs to
another part), and the three groups' opinions."""

from __future__ import annotations

import datetime as dt

from zhucun.assessment.models import SjspEvent, SjspTally
from zhucun.assessment.services import assessments as svc
from zhucun.params.services import parameter_set

YEAR = 2025
MANGSHI = "533103000000"


def set_ratio(world, value: str = "0.5") -> None:
    parameter_set(
        actor=world.users["county"],
        name="excellent_quota_ratio",
        jurisdiction_code=MANGSHI,
        effective=dt.date(2020, 1, 1),
        value=value,
        note="芒组通〔2025〕9号",
    )


def sjsp(world, village_key: str, cadre, *, year: int, quarter: int, votes: dict) -> None:
    """One event's tallies for ``cadre``: ``votes`` group → (好, 较好, 一般, 差)."""
    event, _ = SjspEvent.objects.get_or_create(
        village=world.villages[village_key],
        year=year,
        quarter=quarter,
        defaults={
            "held_on": dt.date(year, quarter * 3, 20),
            "summary": "讲帮扶措施、讲履职情况、讲发展变化",
            "recorded_by": world.users["township"],
        },
    )
    for group, (g, fg, av, p) in votes.items():
        SjspTally.objects.create(
            event=event, cadre=cadre, group=group, good=g, fairly_good=fg, average=av, poor=p
        )


def hear_all(world, assessment_id: int) -> None:
    county = world.users["county"]
    for group in ("village_cadres", "party_members", "villagers"):
        svc.assessment_opinion_add(
            actor=county,
            assessment_id=assessment_id,
            group=group,
            source="座谈会,12人",
            text="工作扎实,群众认可",
        )


def ready(world, assessment_id: int, grade: str, decision: str = "") -> None:
    """Opinions of the three groups, an appraisal and ``grade``."""
    hear_all(world, assessment_id)
    svc.assessment_grade_set(
        actor=world.users["county"],
        assessment_id=assessment_id,
        appraisal="驻村期间履职尽责,成效明显",
        grade=grade,
        quota_decision=decision,
    )
