"""驻村覆盖情况 (SEL.SCOPE.COVER): every village in the caller's scope with its team, its
status and every finding — uncovered villages first, then teams that break the composition
rule, then exceptions, then the rest (ordered and counted in the database by
zhucun.selection.coverage); and the recorded exception to the rule (SEL.SCOPE.ADJUST)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from zhucun.policy import Finding
from zhucun.selection import services
from zhucun.selection.coverage import (
    CoverageRow,
    coverage_queryset,
    coverage_rows,
    coverage_summary,
)
from zhucun.selection.models import CompositionException

from ..common import read_dates, responses, user_of
from ..selection_schemas import (
    CompositionExceptionCreate,
    CompositionExceptionOut,
    CoveragePage,
    CoverageQuery,
)

router = Router(tags=["覆盖情况"])


def finding_out(f: Finding) -> dict[str, str]:
    return {"clause": f.clause, "severity": f.severity, "message": f.message}


def row_out(r: CoverageRow) -> dict[str, Any]:
    v = r.village
    township = v.township
    county = township.parent
    return {
        "village": {
            "id": v.pk,
            "code": v.jurisdiction.code,
            "name": v.jurisdiction.name,
            "township_code": township.code,
            "township_name": township.name,
            "county_code": county.code if county else None,
            "county_name": county.name if county else None,
            "categories": sorted(v.categories),
        },
        "status": r.status,
        "team": [
            {
                "posting_id": p.pk,
                "cadre_id": p.cadre_id,
                "cadre_name": p.cadre.name,
                "unit_name": p.cadre.unit.name,
                "role": p.role,
                "role_label": p.get_role_display(),
                "arrival_date": p.arrival_date,
            }
            for p in r.team
        ],
        "findings": [finding_out(f) for f in r.findings],
    }


@router.get("/coverage", response=responses(CoveragePage), summary="驻村覆盖情况")
def coverage_list(request: HttpRequest, filters: Query[CoverageQuery]) -> dict[str, Any]:
    today = timezone.localdate()
    qs = coverage_queryset(
        user=user_of(request),
        on=today,
        county=filters.county.strip(),
        township=filters.township.strip(),
        only_problems=filters.problems,
    )
    start = (filters.page - 1) * filters.page_size
    summary = coverage_summary(qs)
    rows = coverage_rows(qs[start : start + filters.page_size], on=today)
    return {
        "on": today,
        "summary": summary,
        "count": summary["villages"],
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [row_out(r) for r in rows],
    }


def exception_out(e: CompositionException) -> dict[str, Any]:
    return {
        "id": e.pk,
        "village_id": e.village_id,
        "village_name": e.village.jurisdiction.name,
        "reason": e.reason,
        "valid_from": e.valid_from,
        "valid_until": e.valid_until,
        "approved_by": str(e.approved_by),
        "created_at": e.created_at,
        "max_team_size": e.max_team_size,
        "min_first_secretaries": e.min_first_secretaries,
        "min_team_members": e.min_team_members,
        "decided_by": e.decided_by,
    }


@router.post(
    "/coverage/exceptions",
    response=responses(CompositionExceptionOut, 201),
    summary="登记选派调整(例外)",
)
def composition_exception_create(
    request: HttpRequest, payload: CompositionExceptionCreate
) -> Status[dict[str, Any]]:
    dates = read_dates(
        {"valid_from": payload.valid_from, "valid_until": payload.valid_until},
        optional=frozenset({"valid_until"}),
    )
    exc = services.composition_exception_create(
        actor=user_of(request),
        village_id=payload.village_id,
        reason=payload.reason,
        valid_from=dates["valid_from"],
        valid_until=dates["valid_until"],
        max_team_size=payload.max_team_size,
        min_first_secretaries=payload.min_first_secretaries,
        min_team_members=payload.min_team_members,
        decided_by=payload.decided_by,
    )
    return Status(201, exception_out(exc))
