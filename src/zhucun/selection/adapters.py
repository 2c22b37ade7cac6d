"""From registry rows to the plain values that zhucun.policy's rules take."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zhucun.policy import Candidate, Finding, TeamMember
from zhucun.registry.models import Cadre, Posting, UnitKind


def candidate_from_cadre(cadre: Cadre) -> Candidate:
    return Candidate(
        name=cadre.name,
        birth_date=cadre.birth_date,
        party_status=cadre.party_status,  # type: ignore[arg-type]
        full_member_since=cadre.full_member_since,
        work_start_date=cadre.work_start_date,
        occupation=cadre.occupation,
        occupation_code=cadre.occupation_code,
        health_fit=cadre.health_fit,
        family_hardship=cadre.family_hardship,
        is_xuandiao=cadre.is_xuandiao,
        retired=cadre.retired,
        age_exception=cadre.age_exception,
        rural_experience=cadre.rural_experience,
        agri_specialty=cadre.agri_specialty,
        tech_commissioner=cadre.tech_commissioner,
        talent_program=cadre.talent_program,
        is_organ_cadre=cadre.unit.kind == UnitKind.ORGAN,
        cadre_id=cadre.pk,
        unit_kind=cadre.unit.kind,  # SEL.SRC.POOL: the dispatching unit's kind and level
        unit_level=cadre.unit.level,
    )


def team_member_of(posting: Posting) -> TeamMember:
    c = posting.cadre
    return TeamMember(
        cadre_id=c.pk,
        role=posting.role,
        spouse_id=c.spouse_id,
        is_xuandiao=c.is_xuandiao,
        name=c.name,
    )


def findings_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [
        {"clause": f.clause, "severity": f.severity, "message": f.message, "data": _plain(f.data)}
        for f in findings
    ]


def _plain(data: Any) -> Any:
    import datetime as dt
    from decimal import Decimal
    from fractions import Fraction

    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple | set | frozenset):
        return [_plain(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, Decimal | Fraction):
        return str(data)
    return data
