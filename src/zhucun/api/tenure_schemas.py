"""Schemas of the tenure endpoints (issue 11): upcoming term ends and coverage gaps
(MGT.9.HANDOVER), a posting's closure (MGT.TERM, GUA.3.LEAVE15) and its handover record."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field

from .schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

LongText = Annotated[Text, Field(max_length=2000)]


class EndingQuery(PageQuery):
    pass


class EndingOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_id: int
    village_name: str
    township_name: str
    role: str
    role_label: str
    arrival_date: dt.date
    end: dt.date = Field(description="离岗日期(实际结束,否则计划期满,否则正常期满)")
    regular_end: dt.date = Field(description="正常期满日期(到岗日+任期年数,对应日)")
    replacement_status: str = Field(description="none 尚无接替 / nominated 已提名 / posted 已派驻")
    replacement_label: str
    replacement_posting_id: int | None
    replacement_name: str | None
    replacement_arrival: dt.date | None
    gap_first: dt.date | None = Field(description="空档第一天(无空档为空)")
    gap_last: dt.date | None = Field(description="空档最后一天(无接替人员时为空:空档未定)")
    gap_days: int | None = Field(description="空档天数;无接替人员时为空")
    has_gap: bool
    gap_text: str


EndingPage = page_of(EndingOut)


class TenureLeaveOut(BaseModel):
    id: int
    start: dt.date
    end: dt.date
    state: str
    state_label: str


class ClosureOut(BaseModel):
    posting_id: int
    cause: str
    cause_label: str
    end_date: dt.date
    regular_end: dt.date
    reference: str
    gap_reason: str
    note: str
    leave_after_term: TenureLeaveOut | None = Field(description="驻村结束补假(GUA.3.LEAVE15)")


class HandoverIn(Body):
    """交接清单(整体保存)"""

    handover_date: Annotated[Text, Field(max_length=40)] = Field(..., description="交接日期")
    ongoing_tasks: LongText = Field("", description="在办工作事项")
    households: LongText = Field("", description="联系走访农户情况")
    documents: LongText = Field("", description="移交文件资料")
    funds: LongText = Field("", description="经手资金、物资情况")
    receiver_name: Annotated[Text, Field(max_length=50)] = Field("", description="接收人签名")
    received_on: Annotated[Text, Field(max_length=40)] = Field("", description="接收日期")
    successor_id: Annotated[Int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="接替人员的任职编号(默认:同村同职务的接替人员)"
    )


class HandoverOut(BaseModel):
    id: int
    posting_id: int
    cadre_name: str
    successor_posting_id: int | None
    successor_name: str | None
    handover_date: dt.date
    ongoing_tasks: str
    households: str
    documents: str
    funds: str
    receiver_name: str
    received_on: dt.date | None
