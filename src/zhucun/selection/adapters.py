"""From registry rows to the plain values that zhucun.policy's rules take."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from zhucun.policy import Candidate, Finding, TeamMember
from zhucun.registry.models import Cadre, CadreFileEntry, Posting, UnitKind

# annotation names set by ``with_promotion_ban`` (a list screens its cadres without one
# query per cadre)
BAN_UNTIL = "file_ban_until"
BAN_SINCE = "file_ban_recorded_on"


def _latest_ban() -> QuerySet[CadreFileEntry]:
    return CadreFileEntry.objects.filter(cadre_id=OuterRef("pk"), ban_until__isnull=False).order_by(
        "-ban_until", "-id"
    )


def with_promotion_ban(qs: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """``qs`` with the latest-ending promotion ban of each cadre's 干部管理档案 (MGT.4.CONSEQ)."""
    latest = _latest_ban()
    return qs.annotate(
        **{
            BAN_UNTIL: Subquery(latest.values("ban_until")[:1]),
            BAN_SINCE: Subquery(latest.values("recorded_on")[:1]),
        }
    )


def promotion_ban_of(cadre: Cadre) -> tuple[dt.date | None, dt.date | None]:
    """(last day of the ban, the day it was recorded — the recall day) of the latest-ending
    ban in the cadre's 干部管理档案, or (None, None) (MGT.4.CONSEQ)."""
    if hasattr(cadre, BAN_UNTIL):
        return getattr(cadre, BAN_UNTIL), getattr(cadre, BAN_SINCE, None)
    if cadre.pk is None:
        return None, None
    row = (
        CadreFileEntry.objects.filter(cadre_id=cadre.pk, ban_until__isnull=False)
        .order_by("-ban_until", "-id")
        .values_list("ban_until", "recorded_on")
        .first()
    )
    return row if row is not None else (None, None)


def candidate_from_cadre(cadre: Cadre) -> Candidate:
    """The cadre as screening sees them — every path that screens a registered cadre
    (nominations, postings, imports, rotation replacements, ranking) comes through here, so
    the MGT.4.CONSEQ ban from the 干部管理档案 applies everywhere."""
    ban_until, recalled_on = promotion_ban_of(cadre)
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
        promotion_ban_until=ban_until,
        recalled_on=recalled_on,
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
