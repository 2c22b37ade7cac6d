"""驻村工作经费 (issue 15, GUA.2.FS_FUND / VILLAGE_FUND / UNIT_FUND): the year's entitlements
computed from the postings (amounts as decimal strings, or the reason they cannot be
computed), totals per kind, the allocations and spending recorded, shortfalls and unspent
balances. Roles that do not read funds get empty lists; recording follows
zhucun.support.services.funds (403 / 404 with the reason)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.support.models import FundRecord
from zhucun.support.selectors import funds as sel
from zhucun.support.services.funds import fund_record

from ..common import paginate, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["驻村工作经费"])
Kind = Literal["fs", "village", "unit"]
Year = Annotated[int, Field(ge=2000, le=2100, description="年度")]


def _this_year() -> int:
    return timezone.localdate().year


class FundYearQuery(BaseModel):
    year: Year = Field(default_factory=_this_year)


class KindQuery(PageQuery):
    year: Year = Field(default_factory=_this_year)
    kind: Kind = Field(
        "fs", description="fs 第一书记工作经费 / village 村工作经费 / unit 派出单位工作经费"
    )


class FundGapQuery(KindQuery):
    list: Literal["short", "unspent"] = Field(
        "short", description="short 拨付不足 / unspent 尚未支出"
    )


class EntitlementOut(BaseModel):
    kind: str
    cadre_id: int | None
    village_id: int | None
    name: str = Field(description="姓名或村(社区)名称")
    unit_name: str = Field(description="派出单位(村经费:所属乡镇)")
    level: str = Field(description="派出单位层级,或村的类别")
    village_name: str
    months: int = Field(description="当年完整在岗月数")
    standard: str | None = Field(description="全年标准(元);无法计算时为空")
    entitled: str | None = Field(description="应安排(元);无法计算时为空")
    unset: str = Field(description="无法计算的原因(缺少的参数或标准);可计算时为空")
    allocated: str
    spent: str
    shortfall: str | None = Field(description="应安排 − 已拨付;无法计算时为空")
    unspent: str = Field(description="已拨付 − 已支出")


class TotalOut(BaseModel):
    kind: str
    label: str
    rows: int
    entitled: str = Field(description="可计算部分的应安排合计(元)")
    unset_rows: int = Field(description="无法计算应安排金额的条数")
    allocated: str
    spent: str
    shortfall: str
    unspent: str


class TotalsOut(BaseModel):
    year: int
    totals: list[TotalOut]


class FundRecordIn(Body):
    """录入拨付与支出(金额为字符串,单位元,最多两位小数)"""

    year: Annotated[Int, Field(ge=2000, le=2100)]
    kind: Kind
    cadre_id: Annotated[Int, Field(ge=1, le=MAX_ID)] | None = None
    village_id: Annotated[Int, Field(ge=1, le=MAX_ID)] | None = None
    allocated: Annotated[Text, Field(max_length=20)] = "0"
    spent: Annotated[Text, Field(max_length=20)] = "0"
    on: Annotated[Text, Field(max_length=40)] = Field(..., description="日期")
    note: Annotated[Text, Field(max_length=300)] = Field(..., description="说明(文号、用途)")


class FundRecordOut(BaseModel):
    id: int
    year: int
    kind: str
    kind_label: str
    cadre_id: int | None
    cadre_name: str | None
    village_id: int | None
    village_name: str | None
    allocated: str
    spent: str
    on: dt.date
    note: str
    recorded_by: str


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def entitlement_out(r: sel.FundRow) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "cadre_id": r.cadre_id,
        "village_id": r.village_id,
        "name": r.name,
        "unit_name": r.unit_name,
        "level": r.level,
        "village_name": r.village_name,
        "months": r.months,
        "standard": _money(r.standard.value),
        "entitled": _money(r.entitled.value),
        "unset": r.entitled.unset or r.standard.unset,
        "allocated": _money(r.allocated),
        "spent": _money(r.spent),
        "shortfall": _money(r.shortfall),
        "unspent": _money(r.unspent),
    }


def record_out(r: FundRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "year": r.year,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name if r.cadre else None,
        "village_id": r.village_id,
        "village_name": r.village.jurisdiction.name if r.village else None,
        "allocated": _money(r.allocated),
        "spent": _money(r.spent),
        "on": r.on,
        "note": r.note,
        "recorded_by": r.recorded_by.display_name or r.recorded_by.username,
    }


def _page(items: Any, q: PageQuery) -> dict[str, Any]:
    start = (q.page - 1) * q.page_size
    return {
        "count": len(items),
        "page": q.page,
        "page_size": q.page_size,
        "results": [entitlement_out(r) for r in items[start : start + q.page_size]],
    }


@router.get(
    "/fund-entitlements", response=responses(page_of(EntitlementOut)), summary="经费应安排测算"
)
def fund_entitlement_list(request: HttpRequest, filters: Query[KindQuery]) -> dict[str, Any]:
    items = sel.entitlements(user=user_of(request), year=filters.year, kind=filters.kind)
    return _page(items, filters)


@router.get("/fund-totals", response=responses(TotalsOut), summary="经费测算合计")
def fund_total_list(request: HttpRequest, filters: Query[FundYearQuery]) -> dict[str, Any]:
    totals = sel.fund_totals(user=user_of(request), year=filters.year)
    return {
        "year": filters.year,
        "totals": [
            {
                "kind": t.kind,
                "label": t.label,
                "rows": t.rows,
                "entitled": _money(t.entitled),
                "unset_rows": t.unset_rows,
                "allocated": _money(t.allocated),
                "spent": _money(t.spent),
                "shortfall": _money(t.shortfall),
                "unspent": _money(t.unspent),
            }
            for t in totals
        ],
    }


@router.get("/fund-gaps", response=responses(page_of(EntitlementOut)), summary="拨付不足与结余")
def fund_gap_list(request: HttpRequest, filters: Query[FundGapQuery]) -> dict[str, Any]:
    user = user_of(request)
    if filters.list == "short":
        items: Any = sel.shortfalls(user=user, year=filters.year, kind=filters.kind)
    else:
        items = sel.unspent(user=user, year=filters.year, kind=filters.kind)
    return _page(items, filters)


@router.get(
    "/fund-records", response=responses(page_of(FundRecordOut)), summary="经费拨付与支出记录"
)
def fund_record_list(request: HttpRequest, filters: Query[KindQuery]) -> dict[str, Any]:
    qs = sel.fund_records(user=user_of(request), year=filters.year, kind=filters.kind)
    return paginate(qs, filters, record_out)


@router.post("/fund-records", response=responses(FundRecordOut, 201), summary="录入经费拨付与支出")
def fund_record_create(request: HttpRequest, payload: FundRecordIn) -> Status[dict[str, Any]]:
    r = fund_record(
        actor=user_of(request),
        year=payload.year,
        kind=payload.kind,
        cadre_id=payload.cadre_id,
        village_id=payload.village_id,
        allocated=payload.allocated,
        spent=payload.spent,
        on=payload.on,
        note=payload.note,
    )
    r = FundRecord.objects.select_related("cadre", "village__jurisdiction", "recorded_by").get(
        pk=r.pk
    )
    return Status(201, record_out(r))
