"""村民小组分片联系与走访 (MGT.8.GROUPS, MGT.8.VISITS, DUT.2): the village groups with their
contact cadre, the groups without one, the groups not visited enough in a month, households,
visits and the township's list of return-to-poverty risks to acknowledge. Each write calls
zhucun.work.services.visits, which decides role, scope and rules; outside the caller's scope a
group or a visit answers 404. Household names are masked for the roles that may not see them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.api.selection_schemas import FindingOut
from zhucun.params.selectors import parameters_current
from zhucun.policy.work import VISIT_PURPOSE_LABELS
from zhucun.registry.models import Jurisdiction
from zhucun.work.models import TEXT_MAX, Household, Visit
from zhucun.work.selectors import visits as read
from zhucun.work.services import visits as write

from ..common import ObjectId, paginate, read_dates, responses, user_of
from ..schemas import MAX_ID, Body, Bool, Int, PageQuery, Text, page_of
from .attendance_common import optional_month, parse_month, previous_month

router = Router(tags=["村民小组与走访"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40)]
Month = Annotated[Text, Field(max_length=16)]
PURPOSE_TEXT = "、".join(f"{k}({v})" for k, v in VISIT_PURPOSE_LABELS.items())


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


class GroupQuery(PageQuery):
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村编号")


class OnQuery(PageQuery):
    on: Date = Field("", description="按哪一天计算(YYYY-MM-DD),默认今天")


class VisitMonthQuery(PageQuery):
    month: Month = Field("", description="月份(YYYY-MM),默认上月")


class GroupOut(BaseModel):
    id: int
    code: str
    name: str
    village_id: int
    village_name: str
    contact_id: int | None = Field(None, description="当前分片联系记录编号")
    contact_cadre_id: int | None
    contact_name: str | None = Field(None, description="联系人(驻村干部)")
    contact_since: dt.date | None


class UnvisitedOut(BaseModel):
    id: int
    name: str
    village_id: int
    village_name: str
    contact_name: str | None
    visits: int = Field(description="当月走访次数")
    minimum: int = Field(description="每月应走访次数(visits_min_per_month)")
    findings: list[FindingOut]


class ContactIn(Body):
    """指定村民小组联系人(MGT.8.GROUPS):原联系人于起始日前一天结束"""

    cadre_id: Id = Field(..., description="驻村干部编号(须在本村工作队)")
    since: Date = Field(..., description="联系起始日期(YYYY-MM-DD)")


class ContactOut(BaseModel):
    id: int
    group_id: int
    cadre_id: int
    cadre_name: str
    since: dt.date
    until: dt.date | None


class HouseholdQuery(PageQuery):
    group: int | None = Field(None, ge=1, le=MAX_ID, description="村民小组编号")
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村编号")


class HouseholdIn(Body):
    """登记走访农户(DUT.2)"""

    group_id: Id = Field(..., description="村民小组编号")
    head_name: _text(write.NAME_MAX) = Field(..., description="户主姓名")
    risk_return_to_poverty: Bool = Field(False, description="返贫致贫风险")
    note: _text(write.NOTE_MAX) = Field("", description="备注")


class HouseholdOut(BaseModel):
    id: int
    group_id: int
    group_name: str
    head_name: str = Field(description="户主姓名(无权查看者只见姓氏)")
    risk_return_to_poverty: bool


class NewHousehold(Body):
    head_name: _text(write.NAME_MAX) = Field(..., description="户主姓名")
    risk_return_to_poverty: Bool = Field(False, description="返贫致贫风险")


class VisitQuery(PageQuery):
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村编号")
    month: Month = Field("", description="月份(YYYY-MM)")


class RiskQuery(PageQuery):
    open_only: bool = Field(True, description="只列尚未确认的")


class VisitIn(Body):
    """录入走访记录(MGT.8.VISITS)"""

    group_id: Id = Field(..., description="村民小组编号(本村)")
    visited_on: Date = Field(..., description="走访日期(YYYY-MM-DD)")
    purposes: Annotated[list[_text(16)], Field(max_length=10)] = Field(
        ..., description=f"走访事项(至少一项,代码或中文):{PURPOSE_TEXT}"
    )
    household_ids: Annotated[list[Id], Field(max_length=write.HOUSEHOLDS_MAX)] = Field(
        default_factory=list, description="走访农户编号(本小组已登记的)"
    )
    new_households: Annotated[list[NewHousehold], Field(max_length=write.NEW_HOUSEHOLDS_MAX)] = (
        Field(default_factory=list, description="新登记并走访的农户")
    )
    findings: _text(TEXT_MAX) = Field("", description="走访情况")
    risk_found: Bool = Field(False, description="发现返贫致贫风险(须填跟进措施)")
    follow_up: _text(TEXT_MAX) = Field("", description="跟进措施")


class AcknowledgeIn(Body):
    """乡镇(街道)确认返贫致贫风险"""

    note: _text(write.ACK_NOTE_MAX) = Field("", description="确认意见")


class VisitOut(BaseModel):
    id: int
    village_id: int
    village_name: str
    group_id: int
    group_name: str
    cadre_id: int
    cadre_name: str
    visited_on: dt.date
    purposes: list[str]
    purpose_labels: list[str]
    households: list[HouseholdOut]
    findings: str
    risk_found: bool
    follow_up: str
    acknowledged: bool
    acknowledged_at: dt.datetime | None
    recorded_at: dt.datetime


def group_out(g: Jurisdiction) -> dict[str, Any]:
    return {
        "id": g.pk,
        "code": g.code,
        "name": g.name,
        "village_id": g.village_id,  # type: ignore[attr-defined]
        "village_name": g.village_name,  # type: ignore[attr-defined]
        "contact_id": getattr(g, "contact_id", None),
        "contact_cadre_id": getattr(g, "contact_cadre_id", None),
        "contact_name": getattr(g, "contact_name", None),
        "contact_since": getattr(g, "contact_since", None),
    }


def household_out(user: Any, h: Household) -> dict[str, Any]:
    return {
        "id": h.pk,
        "group_id": h.group_id,
        "group_name": h.group.name,
        "head_name": read.household_name(user, h),
        "risk_return_to_poverty": h.risk_return_to_poverty,
    }


def visit_out(user: Any, v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "village_id": v.village_id,
        "village_name": v.village.jurisdiction.name,
        "group_id": v.group_id,
        "group_name": v.group.name,
        "cadre_id": v.cadre_id,
        "cadre_name": v.cadre.name,
        "visited_on": v.visited_on,
        "purposes": list(v.purposes),
        "purpose_labels": read.purpose_labels(v.purposes),
        "households": [
            {
                "id": h.pk,
                "group_id": h.group_id,
                "group_name": v.group.name,
                "head_name": read.household_name(user, h),
                "risk_return_to_poverty": h.risk_return_to_poverty,
            }
            for h in v.households.all()
        ],
        "findings": v.findings,
        "risk_found": v.risk_found,
        "follow_up": v.follow_up,
        "acknowledged": v.acknowledged_at is not None,
        "acknowledged_at": v.acknowledged_at,
        "recorded_at": v.recorded_at,
    }


@router.get(
    "/village-groups",
    response=responses(page_of(GroupOut)),
    summary="村民小组及其联系人(MGT.8.GROUPS)",
)
def village_group_list(request: HttpRequest, filters: Query[GroupQuery]) -> dict[str, Any]:
    qs = read.village_groups(user=user_of(request), village=filters.village)
    return paginate(qs, filters, group_out)


@router.get(
    "/village-groups/without-contact",
    response=responses(page_of(GroupOut)),
    summary="没有联系人的村民小组(MGT.8.GROUPS)",
    description="有在岗驻村工作队的村中,在指定日期没有分片联系人的村民小组",
)
def village_group_without_contact(request: HttpRequest, filters: Query[OnQuery]) -> dict[str, Any]:
    on = read_dates({"on": filters.on})["on"] if filters.on.strip() else timezone.localdate()
    qs = read.groups_without_contact(user=user_of(request), on=on)
    return paginate(qs, filters, group_out)


@router.get(
    "/village-groups/unvisited",
    response=responses(page_of(UnvisitedOut)),
    summary="当月走访次数不足的村民小组(MGT.8.VISITS)",
    description="当月有联系人、走访次数少于 visits_min_per_month 的村民小组",
)
def village_group_unvisited(
    request: HttpRequest, filters: Query[VisitMonthQuery]
) -> dict[str, Any]:
    month = parse_month(filters.month) if filters.month.strip() else previous_month()
    params = parameters_current()
    qs = read.unvisited_groups(user=user_of(request), month=month, params=params)

    def row(g: Jurisdiction) -> dict[str, Any]:
        (r,) = read.unvisited_rows([g], month=month, params=params)
        return {
            "id": g.pk,
            "name": g.name,
            "village_id": g.village_id,  # type: ignore[attr-defined]
            "village_name": g.village_name,  # type: ignore[attr-defined]
            "contact_name": g.contact_name,  # type: ignore[attr-defined]
            "visits": g.visits,  # type: ignore[attr-defined]
            "minimum": g.minimum,  # type: ignore[attr-defined]
            "findings": [
                {"clause": f.clause, "severity": f.severity, "message": f.message}
                for f in r["findings"]
            ],
        }

    return paginate(qs, filters, row)


@router.post(
    "/village-groups/{id}/contact",
    response=responses(ContactOut, 201),
    summary="指定村民小组联系人",
)
def village_group_contact(
    request: HttpRequest, payload: ContactIn, id: int = ObjectId
) -> Status[dict[str, Any]]:
    c = write.group_contact_assign(
        actor=user_of(request), group_id=id, cadre_id=payload.cadre_id, since=payload.since
    )
    return Status(
        201,
        {
            "id": c.pk,
            "group_id": c.group_id,
            "cadre_id": c.cadre_id,
            "cadre_name": c.cadre.name,
            "since": c.since,
            "until": c.until,
        },
    )


@router.get("/households", response=responses(page_of(HouseholdOut)), summary="走访农户列表")
def household_list(request: HttpRequest, filters: Query[HouseholdQuery]) -> dict[str, Any]:
    user = user_of(request)
    qs = read.household_list(user=user, group=filters.group, village=filters.village)
    return paginate(qs, filters, lambda h: household_out(user, h))


@router.post("/households", response=responses(HouseholdOut, 201), summary="登记走访农户")
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[dict[str, Any]]:
    user = user_of(request)
    h = write.household_add(
        actor=user,
        group_id=payload.group_id,
        head_name=payload.head_name,
        risk_return_to_poverty=payload.risk_return_to_poverty,
        note=payload.note,
    )
    return Status(201, household_out(user, h))


@router.get("/visits", response=responses(page_of(VisitOut)), summary="走访记录列表")
def visit_list(request: HttpRequest, filters: Query[VisitQuery]) -> dict[str, Any]:
    user = user_of(request)
    qs = read.visit_list(user=user, village=filters.village, month=optional_month(filters.month))
    return paginate(qs, filters, lambda v: visit_out(user, v))


@router.post("/visits", response=responses(VisitOut, 201), summary="录入走访记录")
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[dict[str, Any]]:
    user = user_of(request)
    v = write.visit_record(
        actor=user,
        group_id=payload.group_id,
        visited_on=payload.visited_on,
        purposes=payload.purposes,
        household_ids=payload.household_ids,
        new_households=[h.model_dump() for h in payload.new_households],
        findings=payload.findings,
        risk_found=payload.risk_found,
        follow_up=payload.follow_up,
    )
    return Status(201, visit_out(user, read.visit_get(user=user, pk=v.pk)))


@router.get(
    "/visits/risks",
    response=responses(page_of(VisitOut)),
    summary="返贫致贫风险待确认(MGT.8.VISITS)",
    description="走访中发现返贫致贫风险的记录,乡镇(街道)确认前一直列出",
)
def visit_risks(request: HttpRequest, filters: Query[RiskQuery]) -> dict[str, Any]:
    user = user_of(request)
    qs = read.risk_visits(user=user, open_only=filters.open_only)
    return paginate(qs, filters, lambda v: visit_out(user, v))


@router.post(
    "/visits/{id}/acknowledge",
    response=responses(VisitOut),
    summary="乡镇(街道)确认返贫致贫风险",
)
def visit_acknowledge(request: HttpRequest, payload: AcknowledgeIn, id: int = ObjectId) -> Any:
    user = user_of(request)
    v = write.visit_risk_acknowledge(actor=user, visit_id=id, note=payload.note)
    return visit_out(user, read.visit_get(user=user, pk=v.pk))
