"""Request and response schemas of the attendance endpoints (MGT.1, MGT.3), in the style of
``schemas`` and ``selection_schemas``: strict bodies (``extra="forbid"``, no type coercion),
dates as text "YYYY-MM-DD" and months as text "YYYY-MM", lengths capped at the columns they
are stored in. The services (zhucun.attendance.services) do the business validation and
report it with Chinese reasons keyed by field or clause id.

Every finding in a response carries its clause id: ``{"clause", "severity", "message"}``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .schemas import MAX_ID, Body, Bool, FieldErrorOut, Int, Number, PageQuery, Text, page_of
from .selection_schemas import FindingOut

# ---- input -------------------------------------------------------------------------------


# Dates and months are read (and refused with a Chinese reason) by the routers; the patterns
# document the form clients should send.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
MONTH_PATTERN = r"^\d{4}-\d{2}$"
OPTIONAL_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
OPTIONAL_MONTH = r"^(\d{4}-\d{2})?$"
ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40, json_schema_extra={"pattern": DATE_PATTERN})]
Month = Annotated[Text, Field(max_length=20, json_schema_extra={"pattern": MONTH_PATTERN})]
Reason = Annotated[Text, Field(max_length=300)]  # CheckInReview.reason, LeaveRequest.reason …
Leader = Annotated[Text, Field(max_length=64)]  # Interview.township_leader / unit_leader
LongText = Annotated[Text, Field(max_length=5000)]  # DiaryEntry.text, Interview.record
Short = Annotated[Text, Field(max_length=32)]
DeviceId = Annotated[Text, Field(max_length=128)]
PlaceReason = Annotated[Text, Field(max_length=200)]  # no_position_reason, SpecialPeriod.reason
Code = Annotated[Text, Field(max_length=15)]
Note = Annotated[Text, Field(max_length=2000)]

CheckInStatusFilter = Literal[
    "", "ok", "off_fence", "low_accuracy", "no_position", "late", "no_point"
]
LeaveStateFilter = Literal["", "pending", "approved", "rejected", "returned", "cancelled"]
LeaveKindFilter = Literal[
    "", "personal", "sick", "business_trip", "training", "meeting", "rotation_rest"
]
LeaveView = Literal["all", "mine", "approve"]
SummaryStateFilter = Literal["", "prepared", "signed", "submitted"]
MONTH_DOC = "月份(YYYY-MM,如 2026-03)"


class CheckInCreate(Body):
    """一次签到(手机点一下):浏览器定位(WGS-84)与精度、客户端生成的标识和设备时间。
    同一 client_key 重复提交只记录一次(首次201,之后200,返回同一条记录)。"""

    client_key: Annotated[Text, Field(max_length=64, json_schema_extra={"format": "uuid"})] = Field(
        ..., description="客户端生成的签到标识(UUID),离线重传时不变"
    )
    lat: Number | None = Field(None, description="纬度(WGS-84,-90至90);无法定位时为 null")
    lng: Number | None = Field(None, description="经度(WGS-84,-180至180);无法定位时为 null")
    accuracy_m: Number | None = Field(None, description="定位精度(米,不小于0)")
    device_time: Annotated[
        Text, Field(max_length=64, json_schema_extra={"pattern": ISO_MOMENT})
    ] = Field(..., description="设备签到时间(ISO 8601,带时区,如 2026-03-03T08:30:00+08:00)")
    device_id: DeviceId = Field("", description="设备标识")
    no_position_reason: PlaceReason = Field(
        "", description="无法定位的原因(如“浏览器拒绝定位权限”)"
    )
    offline: Bool | None = Field(None, description="是否为离线排队后补传")


class CheckInReviewIn(Body):
    """乡镇党委核实签到异常:认可(计入在岗)或不认可,须写明理由"""

    accept: Bool = Field(..., description="true 认可(计入在岗)/ false 不认可")
    reason: Reason = Field(..., description="理由(如“经核实因公出差”)")


class CheckInBatchReviewIn(Body):
    """乡镇党委一次核实多条签到异常(同一决定、同一理由;任一条不存在或不在管辖范围内则全部不核实)"""

    ids: list[Annotated[Int, Field(ge=1, le=MAX_ID)]] = Field(
        ..., min_length=1, max_length=500, description="签到记录编号(最多500条)"
    )
    accept: Bool = Field(..., description="true 认可(计入在岗)/ false 不认可")
    reason: Reason = Field(..., description="理由(如“经核实因公出差”)")


class SignalResolveIn(Body):
    """记录对异常签到提示的核查意见(提示本身不删除、不改变签到)"""

    note: Reason = Field(..., description="核查意见")


class LeaveCreate(Body):
    """本人请假(含轮休)"""

    kind: Short = Field(
        ...,
        description="类别:personal 事假/sick 病假/business_trip 因公出差/training 培训/"
        "meeting 会议/rotation_rest 轮休(或中文名称)",
    )
    start: Date = Field(..., description="开始日期(YYYY-MM-DD)")
    end: Date = Field(..., description="结束日期(YYYY-MM-DD)")
    reason: Reason = Field(..., description="事由")


class LeaveDecide(Body):
    """审批人批准或不批准(不批准须写明意见);乡镇党委批准小规模工作队轮休时可填写理由"""

    approve: Bool = Field(..., description="true 批准 / false 不批准")
    note: Reason = Field("", description="审批意见(不批准时必填)")
    override_reason: Reason = Field(
        "", description="乡镇党委说明理由(工作队人数不足以按三分之一轮休时,MGT.1.REST)"
    )


class LeaveReturn(Body):
    """销假:返岗日期(默认今天)"""

    returned_on: Date | None = Field(None, description="返岗日期(YYYY-MM-DD),默认今天")


class LeaveCancel(Body):
    """撤回请假(待审批的,或已批准但尚未开始的)"""

    reason: Reason = Field("", description="撤回说明")


class LeaveOverride(Body):
    """乡镇党委记录理由,允许小规模工作队的轮休由第一书记批准(MGT.1.REST)"""

    reason: Reason = Field(..., description="理由")


class SpecialPeriodCreate(Body):
    """县(市)或州宣布特殊时期,期间不安排轮休(MGT.1.REST)"""

    jurisdiction_code: Code = Field(..., description="范围(州、县(市)或乡镇区划代码)")
    start: Date = Field(..., description="开始日期(YYYY-MM-DD)")
    end: Date = Field(..., description="结束日期(YYYY-MM-DD)")
    reason: PlaceReason = Field(..., description="事由(如防汛救灾、重大活动保障)")


class DiarySave(Body):
    """写或修改本人某日的工作日志"""

    duties: list[Short] = Field(
        default_factory=list,
        max_length=10,
        description="职责任务:DUT.1 建强基层党组织/DUT.2 巩固脱贫成果/DUT.3 推进强村富民/"
        "DUT.4 提升治理水平/DUT.5 强化为民服务",
    )
    text: LongText = Field(..., description="工作内容")


class MonthCloseIn(Body):
    """月度考勤结账(MGT.3):乡镇党委结本乡镇;县(市)、州可指定乡镇,不指定则结辖区内全部乡镇"""

    township_code: Code = Field("", description="乡镇(街道)区划代码(可选)")


class SummaryPrepare(Body):
    """第一书记汇总本队已结账月份的在岗情况(MGT.3.SUMMARY)"""

    month: Month = Field(..., description=MONTH_DOC)
    note: Note = Field("", description="说明")


class InterviewCreate(Body):
    """记录约谈(MGT.3.TALK)"""

    cadre_id: Id = Field(..., description="干部编号")
    month: Month = Field(..., description="所约谈的月份(YYYY-MM)")
    township_leader: Leader = Field(..., description="乡镇驻村工作协调小组长")
    unit_leader: Leader = Field(..., description="派出单位分管领导")
    held_on: Date = Field(..., description="约谈日期(YYYY-MM-DD)")
    record: LongText = Field(..., description="约谈记录")


# ---- output ------------------------------------------------------------------------------


class CheckInOut(BaseModel):
    """签到结果:重复提交(同一 client_key)返回同一内容"""

    id: int
    client_key: str
    day: dt.date = Field(description="签到日(设备时间所在日)")
    status: str = Field(
        description="ok 正常/off_fence 超出签到范围/low_accuracy 定位精度不足/"
        "no_position 无法定位/late 超时补传/no_point 本村未设签到点"
    )
    status_label: str
    counts: bool = Field(description="是否计入在岗(异常须乡镇党委认可后才计入)")
    distance_m: float | None = Field(description="距本村签到点(米,WGS-84)")
    device_time: dt.datetime
    received_at: dt.datetime = Field(description="服务器接收时间")
    findings: list[FindingOut]


MAX_CHECKIN_BATCH = 100  # check-ins per request: a phone's queue after days offline


class CheckInBatchIn(Body):
    """手机一次补传离线队列中的多条签到:items 的每一项与 POST /checkins 的请求体相同,
    逐项判定、逐项答复(某一项无效不影响其他各项)"""

    items: list[dict[str, object]] = Field(
        ...,
        min_length=1,
        max_length=MAX_CHECKIN_BATCH,
        description=f"签到(1至{MAX_CHECKIN_BATCH}条,每项同 POST /checkins 的请求体)",
    )


class CheckInBatchItemOut(BaseModel):
    """一条签到的答复:status 同单条接口的HTTP状态码(201 新记录、200 已记录过、400 数据无效、
    401 未登录、403 不允许、503 暂未保存须重发);成功时 checkin 为签到结果,否则 detail/errors 说明原因"""

    status: int
    checkin: CheckInOut | None = None
    detail: str = ""
    errors: list[FieldErrorOut] = []


class CheckInBatchOut(BaseModel):
    """逐项答复,与 items 的顺序一一对应"""

    results: list[CheckInBatchItemOut]


class CheckInRowOut(CheckInOut):
    cadre_id: int
    cadre_name: str
    village_id: int
    village_name: str
    lat: float | None
    lng: float | None
    accuracy_m: float | None
    device_id: str
    no_position_reason: str
    review_decision: str | None = Field(
        description="乡镇核查:accept 认可/reject 不认可;未核查为 null"
    )
    review_reason: str | None
    source: str = Field(
        "", description="来源:空为本系统的签到;否则为导入的其他APP名称(如“云岭先锋”,MGT.1.CHECKIN)"
    )
    address: str = Field("", description="其他APP记录的签到地址(导入时填写)")


class CheckInImportOut(BaseModel):
    """其他APP签到记录导入结果(MGT.1.CHECKIN):全部行通过校验才写入"""

    written: bool
    summary: str = Field(description="中文结果说明")
    filename: str
    sha256: str = Field(description="文件SHA-256")
    source: str = Field(description="数据来源(APP名称)")
    rows: int = Field(description="数据行数")
    created: int = Field(description="新增签到条数")
    already_imported: int = Field(description="已导入过、未重复写入的条数")
    statuses: dict[str, int] = Field(
        description="新增签到按判定结果计数(ok 计入在岗,其余须乡镇核实)"
    )


class FraudSignalOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    village_id: int
    village_name: str
    checkin_id: int
    checkin_day: dt.date
    clause: str = Field(description="条款编号(MGT.1.FRAUD)")
    kind: str = Field(
        description="impossible_speed/shared_device/repeated_coordinates/on_leave/clock_ahead 等"
    )
    severity: str
    message: str
    created_at: dt.datetime
    resolved: bool
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution_note: str


class TeamTodayRowOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    role: str
    role_label: str
    village_id: int
    village_name: str
    state: str = Field(description="done 已签到/pending 签到异常/away 请假外出/none 未签到")
    state_label: str
    checked_in: bool = Field(description="当日有计入在岗的签到")
    checkin_status: str | None = Field(description="当日最近一次签到的判定")
    away_kind: str | None = Field(description="当日覆盖的已批准请假类别")
    away_kind_label: str | None


class TeamTodayOut(BaseModel):
    day: dt.date
    summary: dict[str, int] = Field(description="各状态人数:done/pending/away/none")
    count: int
    page: int
    page_size: int
    results: list[TeamTodayRowOut]


class LeaveOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    village_id: int
    village_name: str
    kind: str
    kind_label: str
    start: dt.date
    end: dt.date
    days: int
    reason: str
    state: str
    state_label: str
    approver_level: str = Field(description="township 乡镇党委 / first_secretary 第一书记")
    approver_level_label: str
    findings: list[FindingOut]
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    override_reason: str
    returned_on: dt.date | None
    actual_end: dt.date | None


class SpecialPeriodOut(BaseModel):
    id: int
    jurisdiction_code: str
    jurisdiction_name: str
    start: dt.date
    end: dt.date
    reason: str
    declared_by: str
    declared_at: dt.datetime


class DutyOut(BaseModel):
    code: str
    label: str


class DiaryPhotoOut(BaseModel):
    id: int
    url: str
    caption: str


class DiaryOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    village_id: int
    day: dt.date
    duties: list[DutyOut]
    text: str
    photos: list[DiaryPhotoOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class MonthCloseTownshipOut(BaseModel):
    code: str
    name: str
    version: int
    changed: bool = Field(description="本次结账是否改变了结果(重复结账不改变任何数据)")
    rows: int
    bottom: int = Field(0, description="末位名单人数(全勤者不列入)")
    interview: int = Field(0, description="约谈名单人数")


class MonthCloseOut(BaseModel):
    month: str
    workdays: int = Field(description="当月工作日(按国务院节假日安排,含调休)")
    townships: list[MonthCloseTownshipOut]
    changed: int = Field(0, description="本次结账结果有变化的乡镇数")


class MonthlyRowOut(BaseModel):
    """一名干部的月度出勤;排名各项在本人所在辖区关闭排名公开时对驻村干部为 null"""

    cadre_id: int
    cadre_name: str
    unit_name: str
    village_id: int
    village_name: str
    township_code: str
    township_name: str
    county_name: str | None
    workdays: int = Field(description="应出勤天数")
    duty_workdays: int = Field(description="实际在岗天数")
    excused_workdays: int = Field(description="请假(有正常理由)天数")
    rate: float = Field(description="出勤率(0–1)")
    rank: int | None
    bottom_rank: int | None = Field(description="倒数名次")
    is_bottom: bool | None = Field(description="是否末位(MGT.3.RANK)")
    tie: bool | None = Field(description="末位并列")
    boundary_tie: bool | None = Field(description="末位边界并列(超出人数)")
    needs_interview: bool = Field(description="需约谈(MGT.3.TALK)")
    valid_reason: str
    computed_at: dt.datetime


class MonthCloseStateOut(BaseModel):
    township_code: str
    township_name: str
    version: int
    closed_at: dt.datetime


class MonthlyPage(BaseModel):
    month: str
    workdays: int = Field(description="当月工作日(按国务院节假日安排,含调休)")
    rankings_published: bool = Field(description="排名对当前用户是否公开")
    closes: list[MonthCloseStateOut] = Field(description="辖区内已结账的乡镇")
    count: int
    page: int
    page_size: int
    results: list[MonthlyRowOut]


class TownshipNoneOut(BaseModel):
    code: str
    name: str


class RankingPage(BaseModel):
    month: str
    rankings_published: bool
    bottom_only: bool
    count: int
    page: int
    page_size: int
    results: list[MonthlyRowOut]
    townships_none: list[TownshipNoneOut] = Field(
        default_factory=list,
        description="已结账且无出勤不足队员的乡镇:末位名单为“无”(全勤的队员不列入末位名单)",
    )


class DutyDaysRowOut(BaseModel):
    cadre_id: int
    cadre_name: str
    village_name: str
    days: int = Field(description="本年在岗天数(含因公出差、培训、会议)")
    since: dt.date | None = Field(description="本年到岗日期(年中到岗时按比例折算)")
    status: str = Field(description="正常/进度落后/未达标/未设置")
    findings: list[FindingOut]


class DutyDaysPage(BaseModel):
    year: int
    as_of: dt.date
    note: str = Field(description="每年在岗天数下限尚未设置时的说明(否则为空)")
    count: int
    page: int
    page_size: int
    results: list[DutyDaysRowOut]


class SummaryRowOut(BaseModel):
    cadre_id: int
    name: str
    workdays: int
    duty_workdays: int
    excused_workdays: int
    rate: str
    valid_reason: str
    needs_interview: bool
    diary_entries: int


class SummaryOut(BaseModel):
    id: int
    month: str
    village_id: int
    village_name: str
    state: str = Field(
        description="prepared 已汇总/signed 村党组织书记已签字/submitted 已报乡镇党委"
    )
    state_label: str
    close_version: int = Field(description="依据的结账版本")
    rows: list[SummaryRowOut]
    note: str
    prepared_by: str
    prepared_at: dt.datetime
    signed_by: str | None
    signed_at: dt.datetime | None
    submitted_at: dt.datetime | None


class InterviewOut(BaseModel):
    id: int
    month: str
    cadre_id: int
    cadre_name: str
    village_id: int
    township_leader: str
    unit_leader: str
    held_on: dt.date
    record: str
    recorded_by: str
    recorded_at: dt.datetime


class InterviewRowOut(BaseModel):
    """需约谈的干部(当月实际在岗天数不足且无正常理由)及已记录的约谈"""

    cadre_id: int
    cadre_name: str
    village_name: str
    township_name: str
    workdays: int
    duty_workdays: int
    rate: float
    valid_reason: str
    interviewed: bool
    interviews: list[InterviewOut]


class InterviewPage(BaseModel):
    month: str
    count: int
    page: int
    page_size: int
    results: list[InterviewRowOut]


CheckInPage = page_of(CheckInRowOut)


class CheckInBatchReviewOut(BaseModel):
    reviewed: int = Field(description="核实的条数")
    results: list[CheckInRowOut]


FraudSignalPage = page_of(FraudSignalOut)
LeavePage = page_of(LeaveOut)
DiaryPage = page_of(DiaryOut)
SummaryPage = page_of(SummaryOut)


# ---- query parameters --------------------------------------------------------------------


class CheckInQuery(PageQuery):
    cadre: int | None = Field(None, ge=1, le=MAX_ID, description="干部编号")
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")
    day_from: Text = Field(
        "", json_schema_extra={"pattern": OPTIONAL_DATE}, description="签到日起(YYYY-MM-DD)"
    )
    day_to: Text = Field(
        "", json_schema_extra={"pattern": OPTIONAL_DATE}, description="签到日止(YYYY-MM-DD)"
    )
    status: CheckInStatusFilter = Field("", description="判定")
    exceptions: bool = Field(False, description="只列未计入且未经乡镇核查的异常签到")
    client_key: Text = Field(
        "",
        max_length=36,
        json_schema_extra={"pattern": "^([0-9a-fA-F-]{32,36})?$"},
        description="手机生成的签到键(UUID):查询某次签到是否已入库",
    )


class FraudSignalQuery(PageQuery):
    open_only: bool = Field(True, description="只列未核查的提示")
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")


class TeamTodayQuery(PageQuery):
    day: Text = Field(
        "", json_schema_extra={"pattern": OPTIONAL_DATE}, description="日期(YYYY-MM-DD),默认今天"
    )
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")


class LeaveQuery(PageQuery):
    view: LeaveView = Field(
        "all", description="all 管辖范围内全部 / mine 本人的 / approve 待本人审批的"
    )
    state: LeaveStateFilter = Field("", description="状态")
    kind: LeaveKindFilter = Field("", description="类别")
    cadre: int | None = Field(None, ge=1, le=MAX_ID, description="干部编号")
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")


class DiaryQuery(PageQuery):
    cadre: int | None = Field(None, ge=1, le=MAX_ID, description="干部编号")
    month: Text = Field(
        "", json_schema_extra={"pattern": OPTIONAL_MONTH}, description=MONTH_DOC + ",可选"
    )


class MonthlyQuery(PageQuery):
    township: Text = Field("", description="乡镇(街道)区划代码")
    county: Text = Field("", description="县(市)区划代码")
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")


class RankingQuery(PageQuery):
    township: Text = Field("", description="乡镇(街道)区划代码")
    county: Text = Field("", description="县(市)区划代码")
    bottom_only: bool = Field(
        True, description="只列各乡镇末位名单(并列的全部列出,全勤者不列入);false 为完整排名"
    )


class DutyDaysQuery(PageQuery):
    year: int | None = Field(None, ge=1900, le=2099, description="年份,默认今年")
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")


class SummaryQuery(PageQuery):
    month: Text = Field(
        "", json_schema_extra={"pattern": OPTIONAL_MONTH}, description=MONTH_DOC + ",可选"
    )
    state: SummaryStateFilter = Field("", description="状态")


class InterviewQuery(PageQuery):
    month: Text = Field(
        "", json_schema_extra={"pattern": OPTIONAL_MONTH}, description=MONTH_DOC + ",默认上月"
    )
    township: Text = Field("", description="乡镇(街道)区划代码")
