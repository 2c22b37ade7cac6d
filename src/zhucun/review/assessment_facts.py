"""The review app's facts for an assessment draft (MGT.5.ANNUAL): the standing discipline
records (MGT.10; a superseded record no longer counts) and the talks (GUA.3.TALK) of the
assessment's period. Registered into ``zhucun.assessment.facts.FACT_PROVIDERS`` from
``ReviewConfig.ready`` — the assessment app sits below this one and never imports it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from zhucun.assessment.facts import FactProvider, register, span, within
from zhucun.assessment.models import Assessment
from zhucun.policy.review import OUTCOME_LABELS, PROHIBITION_LABELS

from .models import DisciplineRecord, Talk


def _discipline(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """One query: the standing records of the batch's cadres over the batch's span."""
    first, last = span(assessments)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in (
        DisciplineRecord.objects.filter(
            cadre_id__in={a.cadre_id for a in assessments},
            superseded_by__isnull=True,
            occurred_on__range=(first, last),
        )
        .order_by("occurred_on", "pk")
        .values("pk", "cadre_id", "occurred_on", "outcome", "prohibition")
    ):
        rows[r["cadre_id"]].append(r)
    return {
        a.pk: [
            {
                "id": r["pk"],
                "occurred_on": r["occurred_on"].isoformat(),
                "outcome": r["outcome"],
                "prohibition": r["prohibition"],
            }
            for r in rows.get(a.cadre_id, [])
            if within(a, r["occurred_on"])
        ]
        for a in assessments
    }


def _discipline_text(value: list[dict[str, Any]]) -> str:
    if not value:
        return "无"
    return ";".join(
        f"{d['occurred_on']} {PROHIBITION_LABELS.get(d['prohibition'], '')}"
        f"({OUTCOME_LABELS.get(d['outcome'], '')})"
        for d in value
    )


def _talks(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """One query: the talks of the batch's cadres over the batch's span."""
    first, last = span(assessments)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in (
        Talk.objects.filter(
            cadre_id__in={a.cadre_id for a in assessments}, held_on__range=(first, last)
        )
        .order_by("held_on", "pk")
        .values("pk", "cadre_id", "held_on", "talker")
    ):
        rows[r["cadre_id"]].append(r)
    return {
        a.pk: [
            {"id": r["pk"], "held_on": r["held_on"].isoformat(), "talker": r["talker"]}
            for r in rows.get(a.cadre_id, [])
            if within(a, r["held_on"])
        ]
        for a in assessments
    }


def _talks_text(value: list[dict[str, Any]]) -> str:
    if not value:
        return "无"
    return f"{len(value)}次:" + ";".join(f"{t['held_on']} {t['talker']}" for t in value)


def register_providers() -> None:
    register(FactProvider("discipline", "纪律处理记录", "MGT.10", _discipline, _discipline_text))
    register(FactProvider("talks", "谈心谈话", "GUA.3.TALK", _talks, _talks_text))
