"""Concentrated training days (MGT.7.DAYS) as the assessment draft's fact "参加培训天数"
(MGT.5.ANNUAL), registered into ``zhucun.assessment.facts`` from ``SupportConfig.ready``.

For each assessment: the days of the events the cadre attended that start within the
assessment's period (up to today) — one query for the batch."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zhucun.assessment.facts import FactProvider, register, span, within
from zhucun.assessment.models import Assessment

from .models import TrainingAttendance


def _training(assessments: Sequence[Assessment]) -> dict[int, Any]:
    first, last = span(assessments)
    rows = TrainingAttendance.objects.filter(
        cadre_id__in={a.cadre_id for a in assessments},
        event__start__gte=first,
        event__start__lte=last,
    ).values_list("cadre_id", "event__start", "event__days")
    by_cadre: dict[int, list[tuple[Any, Decimal]]] = {}
    for cadre_id, start, days in rows.order_by():
        by_cadre.setdefault(cadre_id, []).append((start, days))
    out: dict[int, Any] = {}
    for a in assessments:
        attended = [d for s, d in by_cadre.get(a.cadre_id, []) if within(a, s)]
        out[a.pk] = {"days": str(sum(attended, Decimal(0))), "events": len(attended)}
    return out


def _training_text(value: dict[str, Any]) -> str:
    return f"参加集中培训{value['events']}次,共{value['days']}天(MGT.7.DAYS)"


def register_providers() -> None:
    register(FactProvider("training", "参加培训天数", "MGT.7.DAYS", _training, _training_text))
