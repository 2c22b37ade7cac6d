"""月度考勤 (MGT.1.DAYS, MGT.3): the month close (township; a county or the prefecture may
name a township), the month's rows, the rankings with the bottom three per township, on-duty
days per year (saying so while the minimum is unset), the first secretary's monthly summary
(prepare → the village party secretary signs → submit) and the interview list and records.

Rank columns are null for a cadre whose jurisdiction has switched off showing rankings
(``rank_publication_enabled``); the reports up the chain keep them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.responses import Status

from zhucun.attendance import scopes, selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import Interview, MonthlyAttendance, MonthlySummary
from zhucun.attendance.services._common import month_end
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.registry import scopes as registry_scopes
from zhucun.registry.models import Jurisdiction, Level, PostingStatus

from ..attendance_schemas import (
    DutyDaysPage,
    DutyDaysQuery,
    InterviewCreate,
    InterviewOut,
    InterviewPage,
    InterviewQuery,
    MonthCloseIn,
    MonthCloseOut,
    MonthlyPage,
    MonthlyQuery,
    RankingPage,
    RankingQuery,
    SummaryOut,
    SummaryPage,
    SummaryPrepare,
    SummaryQuery,
)
from ..common import ObjectId, paginate, read_dates, responses, user_of
from .attendance_common import (
    MONTH_PATTERN,
    local,
    month_text,
    name_of,
    optional_month,
    parse_month,
    previous_month,
)

router = Router(tags=["月度考勤"])

MonthPath: Any = Path(..., pattern=MONTH_PATTERN, description="月份(YYYY-MM,如 2026-03)")  # type: ignore[type-arg]
RANK_FIELDS = ("rank", "bottom_rank", "is_bottom", "tie", "boundary_tie")
DAYS_GAP_NOTE = "每年在岗天数下限原文缺失(MGT.1.DAYS),本辖区尚未设置:未设置前不作判断"


# ---- close ---------------------------------------------------------------------------------


@router.post("/months/{month}/close", response=responses(MonthCloseOut), summary="月度考勤结账")
def month_close(
    request: HttpRequest, payload: MonthCloseIn | None = None, month: str = MonthPath
) -> dict[str, Any]:
    first = parse_month(month)
    code = payload.township_code.strip() if payload is not None else ""
    township_id = None
    if code:
        township_id = (
            Jurisdiction.objects.filter(code=code, level=Level.TOWNSHIP)
            .values_list("pk", flat=True)
            .first()
        ) or 0  # 0: no such township; the service answers as for one outside the scope
    try:
        result = att.month_close(actor=user_of(request), month=first, township_id=township_id)
    except NotFound as exc:
        raise ValidationFailed({"township_code": exc.message}) from None
    return selectors.month_close_summary(result)


# ---- rows and rankings ---------------------------------------------------------------------


def monthly_row(r: MonthlyAttendance, *, ranks: bool) -> dict[str, Any]:
    township = r.township
    county = township.parent
    row = {
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name,
        "unit_name": r.cadre.unit.name,
        "village_id": r.village_id,
        "village_name": r.village.jurisdiction.name,
        "township_code": township.code,
        "township_name": township.name,
        "county_name": county.name if county else None,
        "workdays": r.workdays,
        "duty_workdays": r.duty_workdays,
        "excused_workdays": r.excused_workdays,
        "rate": float(r.rate),
        "rank": r.rank,
        "bottom_rank": r.bottom_rank,
        "is_bottom": r.is_bottom,
        "tie": r.tie,
        "boundary_tie": r.boundary_tie,
        "needs_interview": r.needs_interview,
        "valid_reason": r.valid_reason,
        "computed_at": local(r.computed_at),
    }
    if not ranks:
        row.update(dict.fromkeys(RANK_FIELDS))
    return row


@router.get(
    "/months/{month}/attendance",
    response=responses(MonthlyPage),
    summary="月度考勤统计(出勤率;未公开排名时驻村干部看不到名次)",
)
def monthly_attendance(
    request: HttpRequest, filters: Query[MonthlyQuery], month: str = MonthPath
) -> dict[str, Any]:
    user = user_of(request)
    first = parse_month(month)
    workdays = att.working_days_of(first)
    published = selectors.rankings_published(user=user, on=month_end(first))
    qs = selectors.monthly_list(
        user=user,
        month=first,
        township=filters.township.strip(),
        county=filters.county.strip(),
        village=filters.village,
    )
    closes = [
        {
            "township_code": c.township.code,
            "township_name": c.township.name,
            "version": c.version,
            "closed_at": local(c.closed_at),
        }
        for c in selectors.month_close_list(user=user, month=first)[:500]
    ]
    return {
        "month": month_text(first),
        "workdays": len(workdays),
        "rankings_published": published,
        "closes": closes,
        **paginate(qs, filters, lambda r: monthly_row(r, ranks=published)),
    }


@router.get(
    "/months/{month}/rankings",
    response=responses(RankingPage),
    summary="出勤率排名(各乡镇末位名单,并列的全部列出,全勤者不列入;无人出勤不足的乡镇报“无”)",
)
def month_rankings(
    request: HttpRequest, filters: Query[RankingQuery], month: str = MonthPath
) -> dict[str, Any]:
    user = user_of(request)
    first = parse_month(month)
    published = selectors.rankings_published(user=user, on=month_end(first))
    qs = selectors.ranking_list(
        user=user,
        month=first,
        township=filters.township.strip(),
        county=filters.county.strip(),
        bottom_only=filters.bottom_only,
    )
    none = selectors.townships_without_bottom(
        user=user, month=first, township=filters.township.strip(), county=filters.county.strip()
    ).select_related("township")
    return {
        "month": month_text(first),
        "rankings_published": published,
        "bottom_only": filters.bottom_only,
        **paginate(qs, filters, lambda r: monthly_row(r, ranks=True)),
        "townships_none": [{"code": c.township.code, "name": c.township.name} for c in none],
    }


# ---- on-duty days --------------------------------------------------------------------------


@router.get(
    "/duty-days",
    response=responses(DutyDaysPage),
    summary="年度在岗天数(MGT.1.DAYS;下限未设置时注明“未设置”)",
)
def duty_days(request: HttpRequest, filters: Query[DutyDaysQuery]) -> dict[str, Any]:
    user = user_of(request)
    today = timezone.localdate()
    year = filters.year or today.year
    if year > today.year:
        raise ValidationFailed({"year": f"{year}年尚未开始,不能统计在岗天数"})
    postings = (
        registry_scopes.postings_visible(user)
        .filter(status=PostingStatus.ACTIVE)
        .select_related("cadre", "village__jurisdiction")
        .order_by("village__jurisdiction__code", "cadre__name", "pk")
    )
    if filters.village:
        postings = postings.filter(village_id=filters.village)
    page = paginate(postings, filters, lambda p: p)
    cadres = [p.cadre for p in page["results"]]
    # (an empty page asks nothing: the selector's SQL cannot take an empty cadre list)
    rows = selectors.duty_days_rows(cadres=cadres, year=year, as_of=today) if cadres else []
    village = {p.cadre_id: p.village.jurisdiction.name for p in page["results"]}
    results = [
        {
            "cadre_id": r.cadre.pk,
            "cadre_name": r.cadre.name,
            "village_name": village.get(r.cadre.pk, ""),
            "days": r.days,
            "since": r.since,
            "status": r.status,
            "findings": [
                {"clause": f.clause, "severity": f.severity, "message": f.message}
                for f in r.findings
            ],
        }
        for r in rows
    ]
    unset = any(r["status"] == "未设置" for r in results)
    return {
        "year": year,
        "as_of": today,
        "note": DAYS_GAP_NOTE if unset else "",
        **page,
        "results": results,
    }


# ---- summaries -----------------------------------------------------------------------------


def summary_out(s: MonthlySummary) -> dict[str, Any]:
    return {
        "id": s.pk,
        "month": month_text(s.month),
        "village_id": s.village_id,
        "village_name": s.village.jurisdiction.name,
        "state": s.state,
        "state_label": s.get_state_display(),
        "close_version": s.close_version,
        "rows": [
            {
                "cadre_id": int(r.get("cadre_id", 0)),
                "name": str(r.get("name", "")),
                "workdays": int(r.get("workdays", 0)),
                "duty_workdays": int(r.get("duty_workdays", 0)),
                "excused_workdays": int(r.get("excused_workdays", 0)),
                "rate": str(r.get("rate", "")),
                "valid_reason": str(r.get("valid_reason", "")),
                "needs_interview": bool(r.get("needs_interview")),
                "diary_entries": int(r.get("diary_entries", 0)),
            }
            for r in s.rows or []
        ],
        "note": s.note,
        "prepared_by": s.prepared_by.name,
        "prepared_at": local(s.prepared_at),
        "signed_by": name_of(s.signed_by),
        "signed_at": local(s.signed_at),
        "submitted_at": local(s.submitted_at),
    }


def _summary_after(request: HttpRequest, s: MonthlySummary) -> dict[str, Any]:
    fresh = selectors.summary_list(user=user_of(request)).filter(pk=s.pk).first()
    return summary_out(fresh or s)


@router.get("/summaries", response=responses(SummaryPage), summary="月度在岗情况汇总")
def summary_list(request: HttpRequest, filters: Query[SummaryQuery]) -> dict[str, Any]:
    qs = selectors.summary_list(
        user=user_of(request), month=optional_month(filters.month), state=filters.state
    )
    return paginate(qs, filters, summary_out)


@router.post(
    "/summaries", response=responses(SummaryOut, 201), summary="汇总本队月度在岗情况(第一书记)"
)
def summary_prepare(request: HttpRequest, payload: SummaryPrepare) -> Status[dict[str, Any]]:
    s = att.summary_prepare(
        actor=user_of(request), month=parse_month(payload.month), note=payload.note
    )
    return Status(201, _summary_after(request, s))


@router.post("/summaries/{id}/sign", response=responses(SummaryOut), summary="村党组织书记签字")
def summary_sign(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return _summary_after(request, att.summary_sign(actor=user_of(request), summary_id=id))


@router.post(
    "/summaries/{id}/submit", response=responses(SummaryOut), summary="报乡镇党委(第一书记)"
)
def summary_submit(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return _summary_after(request, att.summary_submit(actor=user_of(request), summary_id=id))


# ---- interviews ----------------------------------------------------------------------------


def interview_out(i: Interview) -> dict[str, Any]:
    return {
        "id": i.pk,
        "month": month_text(i.month),
        "cadre_id": i.cadre_id,
        "cadre_name": i.cadre.name,
        "village_id": i.village_id,
        "township_leader": i.township_leader,
        "unit_leader": i.unit_leader,
        "held_on": i.held_on,
        "record": i.record,
        "recorded_by": str(i.recorded_by),
        "recorded_at": local(i.recorded_at),
    }


@router.get(
    "/interviews",
    response=responses(InterviewPage),
    summary="约谈名单(当月在岗天数不足且无正常理由)及约谈记录",
)
def interview_list(request: HttpRequest, filters: Query[InterviewQuery]) -> dict[str, Any]:
    user = user_of(request)
    first = optional_month(filters.month) or previous_month()
    qs = selectors.interview_list(user=user, month=first, township=filters.township.strip())
    page = paginate(qs, filters, lambda r: r)
    ids = [r.cadre_id for r in page["results"]]
    records: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in (
        scopes.interviews_visible(user)
        .filter(month=first, cadre_id__in=ids)
        .select_related("cadre", "recorded_by")
        .order_by("held_on", "id")
    ):
        records[i.cadre_id].append(interview_out(i))
    page["results"] = [
        {
            "cadre_id": r.cadre_id,
            "cadre_name": r.cadre.name,
            "village_name": r.village.jurisdiction.name,
            "township_name": r.township.name,
            "workdays": r.workdays,
            "duty_workdays": r.duty_workdays,
            "rate": float(r.rate),
            "valid_reason": r.valid_reason,
            "interviewed": bool(r.interviewed),
            "interviews": records.get(r.cadre_id, []),
        }
        for r in page["results"]
    ]
    return {"month": month_text(first), **page}


@router.post("/interviews", response=responses(InterviewOut, 201), summary="记录约谈")
def interview_create(request: HttpRequest, payload: InterviewCreate) -> Status[dict[str, Any]]:
    first = parse_month(payload.month)
    held_on = read_dates({"held_on": payload.held_on})["held_on"]
    i = att.interview_record(
        actor=user_of(request),
        cadre_id=payload.cadre_id,
        month=first,
        township_leader=payload.township_leader,
        unit_leader=payload.unit_leader,
        held_on=held_on,
        record=payload.record,
    )
    fresh = scopes.interviews_visible(user_of(request)).select_related("cadre", "recorded_by")
    return Status(201, interview_out(fresh.filter(pk=i.pk).first() or i))
