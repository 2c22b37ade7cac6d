"""Shared setup of the 三讲三评 tests (MGT.8.SJSP): an event of 弄坎村 (岳文华, 线美玲) in
2026 Q3, votes as the paper ballots give them, the threshold set as a county would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhucun.assessment.services.sjsp import sjsp_event_record, sjsp_tallies_record
from zhucun.params.services import parameter_set

HELD = dt.date(2026, 9, 20)


def set_threshold(world: Any, value: str = "0.90") -> None:
    parameter_set(
        actor=world.users["county"],
        name="sjsp_satisfaction_threshold",
        jurisdiction_code="533103000000",
        effective=dt.date(2026, 1, 1),
        value=value,
        note="芒组通〔2026〕5号 满意度低于90%须整改",
    )


def event(world: Any, village: str = "A", role: str = "township", **over: Any):
    data = {
        "year": 2026,
        "quarter": 3,
        "held_on": HELD,
        "summary": "讲帮扶措施、讲履职情况",
        **over,
    }
    return sjsp_event_record(actor=world.users[role], village_id=world.villages[village].pk, **data)


def votes(good: int, fairly_good: int, average: int, poor: int) -> dict[str, int]:
    return {"good": good, "fairly_good": fairly_good, "average": average, "poor": poor}


def record(
    world: Any, ev: Any, cadre: str = "fs_a", group: str = "villagers", role="township", **v
):
    row = {"cadre_id": world.cadres[cadre].pk, "group": group, **votes(**v)}
    return sjsp_tallies_record(actor=world.users[role], event_id=ev.pk, rows=[row])
