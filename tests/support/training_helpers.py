"""Shared helpers for the training tests (MGT.7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhucun.support.models import TrainingEvent
from zhucun.support.services.training import training_attendance_set, training_event_create

YEAR = 2025


def event(
    world: Any,
    *,
    role: str = "county",
    start: dt.date = dt.date(YEAR, 4, 7),
    days: str = "2",
    title: str = "驻村干部集中轮训",
) -> TrainingEvent:
    end = start + dt.timedelta(
        days=int(Decimal(days).to_integral_value(rounding="ROUND_CEILING")) - 1
    )
    return training_event_create(
        actor=world.users[role], title=title, start=start, end=end, days=days, content="政策解读"
    )


def attend(world: Any, ev: TrainingEvent, *keys: str, role: str | None = None) -> None:
    actor = world.users[role or ("prefecture" if ev.level == "prefecture" else "county")]
    training_attendance_set(
        actor=actor, event_id=ev.pk, cadre_ids=[world.cadres[k].pk for k in keys]
    )
