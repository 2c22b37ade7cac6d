"""补助发放 (GUA.2.LIVING / TRAVEL / PAY), 体检 (GUA.2.EXAM) and 人身意外伤害保险
(GUA.2.INSURE). Amounts are exact decimals in yuan given and returned as strings ("187.00");
an amount whose standard is not set is null with the reason. Each write calls its service in
zhucun.support.services, which decides role, scope and rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.core.errors import ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.support import Amount
from zhucun.support.models import Insurance, PhysicalExam, PostingDistance, SubsidyPayment
from zhucun.support.selectors import subsidies as subsidy_read
from zhucun.support.selectors import welfare as welfare_read
from zhucun.support.services import subsidies as subsidy_write
from zhucun.support.services import welfare as welfare_write

from ..common import ObjectId, read_dates, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["补助发放、体检与保险"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40)]
Money = Annotated[Text, Field(max_length=20)]


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


class AmountOut(BaseModel):
    value: str | None = Field(description="金额(元,精确小数);标准未设置时为空")
    unset: str = Field(description="无法计算的原因(标准未设置、未登记里程)")


class SubsidyOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str
    month: dt.date
    duty_days: int
    living: AmountOut
    communication: AmountOut
    transport: AmountOut
    total_known: str = Field(description="已知金额之和")
    incomplete: bool = Field(description="有标准未设置或未登记里程,合计不完整")
    paid_living: str | None
    paid_communication: str | None
    paid_transport: str | None


class SubsidyQuery(PageQuery):
    month: _text(10) = Field("", description="补助月份(YYYY-MM),默认本月")


class PaymentIn(Body):
    """登记补助发放(GUA.2.PAY)"""

    cadre_id: Id = Field(..., description="干部编号")
    month: _text(10) = Field(..., description="补助月份(YYYY-MM)")
    kind: _text(16) = Field(
        ..., description="补助类别:living(生活补助)、communication(通信补贴)、transport(交通费补助)"
    )
    amount: Money = Field(..., description="发放金额(元,最多两位小数,以字符串给出)")
    paid_on: Date = Field(..., description="发放日期(YYYY-MM-DD)")
    reference: _text(subsidy_write.REFERENCE_MAX) = Field("", description="凭证号")


class PaymentOut(BaseModel):
    id: int
    cadre_id: int
    month: dt.date
    kind: str
    kind_label: str
    amount: str
    paid_on: dt.date
    reference: str


class SubsidyOverdueOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str
    month: dt.date
    kind: str
    kind_label: str
    overdue_from: dt.date
    clause: str
    message: str


class SubsidyOverdueQuery(PageQuery):
    on: Date = Field("", description="按哪一天计算(YYYY-MM-DD),默认今天")


class DistanceIn(Body):
    """登记驻村往返里程(GUA.2.TRAVEL)"""

    one_way_km: Money = Field(..., description="单程公里数(大于0,最多一位小数,以字符串给出)")
    origin: _text(subsidy_write.ORIGIN_MAX) = Field(..., description="起点:派出单位或实际工作地")
    source: _text(subsidy_write.SOURCE_MAX) = Field(..., description="里程依据")


class DistanceOut(BaseModel):
    posting_id: int
    one_way_km: str
    origin: str
    source: str


class ExamIn(Body):
    """登记年度体检(GUA.2.EXAM)"""

    cadre_id: Id = Field(..., description="干部编号")
    year: Int = Field(..., ge=2000, le=2099, description="年度")
    exam_on: Date = Field(..., description="体检日期(YYYY-MM-DD)")
    place: _text(welfare_write.PLACE_MAX) = Field(..., description="体检机构")
    conclusion: _text(welfare_write.CONCLUSION_MAX) = Field("", description="体检结论")


class ExamOut(BaseModel):
    id: int
    cadre_id: int
    year: int
    exam_on: dt.date
    place: str
    conclusion: str


class MissingOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str


class SubsidyMissingQuery(PageQuery):
    year: int = Field(0, ge=0, le=2099, description="年度,默认今年")


class InsuranceIn(Body):
    """登记人身意外伤害保险(GUA.2.INSURE)"""

    cadre_id: Id = Field(..., description="干部编号")
    policy_number: _text(welfare_write.POLICY_MAX) = Field(..., description="保单号")
    insurer: _text(welfare_write.INSURER_MAX) = Field(..., description="保险公司")
    start: Date = Field(..., description="保险起期(YYYY-MM-DD)")
    end: Date = Field(..., description="保险止期(YYYY-MM-DD)")


class InsuranceOut(BaseModel):
    id: int
    cadre_id: int
    policy_number: str
    insurer: str
    start: dt.date
    end: dt.date


class SubsidyGapOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str
    period_start: dt.date
    period_end: dt.date
    gap_from: dt.date | None = Field(description="第一段未投保期间的起日;为空表示已全程覆盖")
    gap_to: dt.date | None
    message: str


class SubsidyGapQuery(PageQuery):
    on: Date = Field("", description="按哪一天计算(YYYY-MM-DD),默认今天")


SubsidyPage = page_of(SubsidyOut)
OverduePage = page_of(SubsidyOverdueOut)
MissingPage = page_of(MissingOut)
GapPage = page_of(SubsidyGapOut)


def _amount(a: Amount) -> dict[str, Any]:
    return {"value": None if a.value is None else str(a.value), "unset": a.unset}


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _month(raw: str) -> dt.date:
    if not raw.strip():
        return timezone.localdate().replace(day=1)
    first = subsidy_write.month_first(raw)
    if first is None or not 2000 <= first.year <= 2099:
        raise ValidationFailed({"month": "月份格式应为YYYY-MM,例如2025-07"})
    return first


def _on(raw: str) -> dt.date:
    return read_dates({"on": raw})["on"] if raw.strip() else timezone.localdate()  # type: ignore[no-any-return]


def _page(qs: Any, query: PageQuery, rows: Any) -> dict[str, Any]:
    """One COUNT, one LIMIT/OFFSET query, and the page's rows computed together."""
    start = (query.page - 1) * query.page_size
    return {
        "count": qs.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": rows(list(qs[start : start + query.page_size])),
    }


def _where(p: Any) -> dict[str, Any]:
    return {
        "posting_id": p.pk,
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "unit_name": p.cadre.unit.name,
        "village_name": p.village.jurisdiction.name,
    }


@router.get(
    "/subsidies", response=responses(SubsidyPage), summary="月度补助表(GUA.2.LIVING、GUA.2.TRAVEL)"
)
def subsidy_list(request: HttpRequest, filters: Query[SubsidyQuery]) -> dict[str, Any]:
    user = user_of(request)
    month = _month(filters.month)
    params = parameters_current()

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                **_where(r.posting),
                "month": r.month,
                "duty_days": r.duty_days,
                "living": _amount(r.living),
                "communication": _amount(r.communication),
                "transport": _amount(r.transport),
                "total_known": str(r.total),
                "incomplete": r.incomplete,
                "paid_living": _s(r.paid["living"]),
                "paid_communication": _s(r.paid["communication"]),
                "paid_transport": _s(r.paid["transport"]),
            }
            for r in subsidy_read.subsidy_rows(items, month=month, params=params)
        ]

    return _page(subsidy_read.subsidy_table(user=user, month=month), filters, rows)


def payment_out(p: SubsidyPayment) -> dict[str, Any]:
    return {
        "id": p.pk,
        "cadre_id": p.cadre_id,
        "month": p.month,
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "amount": str(p.amount),
        "paid_on": p.paid_on,
        "reference": p.reference,
    }


@router.post(
    "/subsidy-payments", response=responses(PaymentOut, 201), summary="登记补助发放(GUA.2.PAY)"
)
def subsidy_payment_create(request: HttpRequest, payload: PaymentIn) -> Status[dict[str, Any]]:
    p = subsidy_write.subsidy_payment_record(actor=user_of(request), **payload.model_dump())
    p.refresh_from_db()
    return Status(201, payment_out(p))


@router.get(
    "/subsidy-payments/overdue",
    response=responses(OverduePage),
    summary="逾期未发放的补助(GUA.2.PAY)",
    description="补助月份所在季度的下一季度最后一天仍未发放的,自次日起逾期;标准未设置的补助不计逾期",
)
def subsidy_overdue(request: HttpRequest, filters: Query[SubsidyOverdueQuery]) -> dict[str, Any]:
    user = user_of(request)
    params = parameters_current()
    qs = subsidy_read.overdue_payments(user=user, today=_on(filters.on), params=params)

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                **_where(r["posting"]),
                "month": r["month"],
                "kind": r["kind"],
                "kind_label": r["kind_label"],
                "overdue_from": r["overdue_from"],
                "clause": r["clause"],
                "message": r["message"],
            }
            for r in subsidy_read.overdue_rows(items, params=params)
        ]

    return _page(qs, filters, rows)


def distance_out(d: PostingDistance) -> dict[str, Any]:
    return {
        "posting_id": d.posting_id,
        "one_way_km": str(d.one_way_km),
        "origin": d.origin,
        "source": d.source,
    }


@router.put(
    "/postings/{id}/distance",
    response=responses(DistanceOut),
    summary="登记驻村往返里程(GUA.2.TRAVEL)",
)
def distance_put(request: HttpRequest, payload: DistanceIn, id: int = ObjectId) -> dict[str, Any]:
    d = subsidy_write.distance_set(actor=user_of(request), posting_id=id, **payload.model_dump())
    d.refresh_from_db()
    return distance_out(d)


@router.post("/exams", response=responses(ExamOut, 201), summary="登记年度体检(GUA.2.EXAM)")
def exam_create(request: HttpRequest, payload: ExamIn) -> Status[dict[str, Any]]:
    e: PhysicalExam = welfare_write.exam_record(actor=user_of(request), **payload.model_dump())
    e.refresh_from_db()
    return Status(
        201,
        {
            "id": e.pk,
            "cadre_id": e.cadre_id,
            "year": e.year,
            "exam_on": e.exam_on,
            "place": e.place,
            "conclusion": e.conclusion,
        },
    )


@router.get(
    "/exams/missing", response=responses(MissingPage), summary="未体检的驻村干部(GUA.2.EXAM)"
)
def exam_missing(request: HttpRequest, filters: Query[SubsidyMissingQuery]) -> dict[str, Any]:
    year = filters.year or timezone.localdate().year
    qs = welfare_read.missing_exams(user=user_of(request), year=year)
    return _page(qs, filters, lambda items: [_where(p) for p in items])


@router.post(
    "/insurance",
    response=responses(InsuranceOut, 201),
    summary="登记人身意外伤害保险(GUA.2.INSURE)",
)
def insurance_create(request: HttpRequest, payload: InsuranceIn) -> Status[dict[str, Any]]:
    i: Insurance = welfare_write.insurance_record(actor=user_of(request), **payload.model_dump())
    i.refresh_from_db()
    return Status(
        201,
        {
            "id": i.pk,
            "cadre_id": i.cadre_id,
            "policy_number": i.policy_number,
            "insurer": i.insurer,
            "start": i.start,
            "end": i.end,
        },
    )


@router.get(
    "/insurance/gaps",
    response=responses(GapPage),
    summary="保险未全程覆盖的驻村任职(GUA.2.INSURE)",
    description="在岗任职中,自到岗至计划期满(无则至今日)未被单一保单覆盖的,逐条给出第一段未投保期间",
)
def insurance_gap_list(request: HttpRequest, filters: Query[SubsidyGapQuery]) -> dict[str, Any]:
    today = _on(filters.on)
    qs = welfare_read.insurance_gaps(user=user_of(request), today=today)

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                **_where(r.posting),
                "period_start": r.start,
                "period_end": r.end,
                "gap_from": r.gap_from,
                "gap_to": r.gap_to,
                "message": r.message,
            }
            for r in welfare_read.insurance_gap_rows(items, today=today)
        ]

    return _page(qs, filters, rows)
