"""The team's meetings (MGT.2) and visits (MGT.8.VISITS) as facts of the assessment draft
(MGT.5.ANNUAL): what the cadre attended and did in the period, counted from the records —
registered into ``zhucun.assessment.facts`` from ``WorkConfig.ready``; one query per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count

from zhucun.assessment.facts import FactProvider, register, span, within
from zhucun.assessment.models import Assessment

from .models import Meeting, Visit


def _meetings(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.2: the weekly meetings the cadre attended in the period."""
    first, last = span(assessments)
    days: dict[int, list[Any]] = defaultdict(list)
    for cadre_id, held_on in Meeting.objects.filter(
        attendees__in={a.cadre_id for a in assessments}, held_on__range=(first, last)
    ).values_list("attendees", "held_on"):
        days[cadre_id].append(held_on)
    return {a.pk: sum(1 for d in days.get(a.cadre_id, []) if within(a, d)) for a in assessments}


def _meetings_text(value: int) -> str:
    return f"参加工作例会{value}次(MGT.2)"


def _visits(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.8.VISITS: the visits the cadre recorded in the period, the households met and the
    return-to-poverty risks found."""
    first, last = span(assessments)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for v in (
        Visit.objects.filter(
            cadre_id__in={a.cadre_id for a in assessments}, visited_on__range=(first, last)
        )
        .values("cadre_id", "visited_on", "risk_found")
        .annotate(households=Count("households"))
    ):
        rows[v["cadre_id"]].append(v)
    out: dict[int, Any] = {}
    for a in assessments:
        mine = [v for v in rows.get(a.cadre_id, []) if within(a, v["visited_on"])]
        out[a.pk] = {
            "visits": len(mine),
            "households": sum(v["households"] for v in mine),
            "risks": sum(1 for v in mine if v["risk_found"]),
        }
    return out


def _visits_text(value: dict[str, Any]) -> str:
    text = f"到组到户走访{value['visits']}次,涉及农户{value['households']}户次"
    if value["risks"]:
        text += f",发现返贫致贫风险{value['risks']}次"
    return text + "(MGT.8.VISITS)"


def register_providers() -> None:
    register(FactProvider("meetings", "参加会议情况", "MGT.2", _meetings, _meetings_text))
    register(FactProvider("visits", "走访农户情况", "MGT.8.VISITS", _visits, _visits_text))
