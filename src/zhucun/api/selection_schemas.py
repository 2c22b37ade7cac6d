"""Request and response schemas of the selection endpoints (nominations, coverage, deadlines,
screening, parameters), in the style of ``schemas``: strict bodies (``extra="forbid"``, no
type coercion), dates as text "YYYY-MM-DD" read by ``zhucun.registry.validation.date``, and
lengths capped at the columns they are stored in. The services do the business validation.

Every finding in a response carries its clause id: ``{"clause", "severity", "message"}``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, WithJsonSchema

from zhucun.policy import CLAUSE_IDS

from .schemas import MAX_ID, Body, Bool, FieldErrorOut, Int, Number, PageQuery, Text, page_of

# ---- input -------------------------------------------------------------------------------

NOTE_MAX = 2000  # = max_length of Nomination.note / NominationStep.note (tests/core)


def _known_clause(value: str) -> str:
    if value not in CLAUSE_IDS:
        raise ValueError(f"未知条款编号“{value}”")
    return value


def _text(max_length: int) -> Any:
    return Annotated[Text, Field(max_length=max_length)]


Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Count = Annotated[Int, Field(ge=0, le=50)]
Note = _text(NOTE_MAX)
Date = _text(40)
Person = _text(32)  # Nomination.attested_by / reviewer_name
Short = _text(32)
Code = _text(12)
ParamName = _text(64)
ParamNote = _text(300)  # ParameterValue.note
CLAUSE_PATTERN = r"^[A-Z]{3}(\.[A-Z0-9_]+)+$"
ClauseId = Annotated[
    str,
    StringConstraints(strict=True, pattern=CLAUSE_PATTERN, max_length=64),
    AfterValidator(_known_clause),
]
REASONS_DOC = '对提示事项的说明:{条款编号: 理由},如 {"SEL.SRC.XD": "…"}'
Reasons = Annotated[
    dict[ClauseId, Note],
    Field(default_factory=dict, max_length=100, description=REASONS_DOC),
    WithJsonSchema(
        {
            "type": "object",
            "description": REASONS_DOC,
            "maxProperties": 100,
            "propertyNames": {"type": "string", "pattern": CLAUSE_PATTERN, "maxLength": 64},
            "additionalProperties": {"type": "string", "maxLength": NOTE_MAX},
        }
    ),
]
MilestoneKind = Literal["appoint", "transfer"]


class NominationCreate(Body):
    """派出单位录入个人报名或组织推荐的人选"""

    cadre_id: Id = Field(..., description="人选(干部编号)")
    role: Short = Field(
        ..., description="拟任驻村职务:first_secretary/team_leader/team_member 或中文名称"
    )
    source: Short = Field(
        ..., description="产生方式:application(个人报名)/recommendation(组织推荐)或中文名称"
    )
    dispatch_date: Date = Field(..., description="拟派出日期(YYYY-MM-DD)")
    village_id: Id | None = Field(None, description="拟派驻村(村编号,可选)")
    note: Note = Field("", description="备注")


class NominationPropose(Body):
    """派出单位组织人事部门提出人选(SEL.COND.BASIC、SEL.COND.NO1 由审查人确认)"""

    basic_attested: Bool = Field(..., description="已审查人选基本条件(SEL.COND.BASIC)")
    no1_attested: Bool = Field(..., description="已审查不属于“素质不高、能力不强”(SEL.COND.NO1)")
    attested_by: Person = Field(..., description="审查人")
    reasons: Reasons
    note: Note = Field("", description="意见")


class Checkpoints(Body):
    """五关审查(SEL.METHOD.FIVE):未提交的关口视为未确认"""

    political: Bool = Field(False, description="政治关")
    conduct: Bool = Field(False, description="品行关")
    ability: Bool = Field(False, description="能力关")
    style: Bool = Field(False, description="作风关")
    integrity: Bool = Field(False, description="廉洁关")


class NominationReview(Body):
    """同级驻村工作领导协调机构审核备案"""

    checkpoints: Checkpoints = Field(..., description="五关审查(SEL.METHOD.FIVE)")
    reviewer_name: Person = Field(..., description="审核人")
    reasons: Reasons
    note: Note = Field("", description="审核意见")


class NominationDecide(Body):
    """派出单位党委(党组)研究确定"""

    reasons: Reasons
    note: Note = Field("", description="研究意见")


class NominationPost(Body):
    """派驻到村:按到岗日期重新审查人选,并连同新成员审查全队"""

    village_id: Id = Field(..., description="派驻村(村编号)")
    arrival_date: Date = Field(..., description="到岗日期(YYYY-MM-DD)")
    planned_end: Date | None = Field(
        None, description="计划期满日期(YYYY-MM-DD),不填则按任期参数计算"
    )
    reasons: Reasons
    note: Note = Field("", description="意见")


class NominationReject(Body):
    """不予通过"""

    note: Note = Field(..., description="不予通过的理由")


class NominationWithdraw(Body):
    """撤回"""

    note: Note = Field("", description="撤回说明")


class CompositionExceptionCreate(Body):
    """登记选派调整(SEL.SCOPE.ADJUST)"""

    village_id: Id = Field(..., description="村编号")
    reason: Note = Field(..., description="调整理由(疫情防控、边境管控、基层治理、强边固防等)")
    valid_from: Date = Field(..., description="生效日期(YYYY-MM-DD)")
    valid_until: Date | None = Field(
        None, description="截止日期(YYYY-MM-DD);选派调整须写明有效期限,缺少时答复400"
    )
    max_team_size: Count | None = Field(None, description="例外允许的全队最多人数")
    min_first_secretaries: Count | None = Field(None, description="例外允许的第一书记最少人数")
    min_team_members: Count | None = Field(None, description="例外允许的工作队员最少人数")
    decided_by: _text(100) = Field("", description="决定机关(会议),默认为登记人所在机构")


class MilestoneCreate(Body):
    """登记第一书记任命(appoint)或党组织关系转接(transfer)的完成日期"""

    kind: MilestoneKind = Field(
        ...,
        description="appoint 第一书记任命(SEL.METHOD.APPOINT10)/transfer 党组织关系转接(SEL.METHOD.TRANSFER15)",
    )
    on: Date = Field(..., description="完成日期(YYYY-MM-DD)")
    note: Note = Field("", description="说明")


# Amounts and ratios as text: plain digits only — "1e-999999999" would make Fraction() work
# for hours (and counts above 2**31 have no meaning here).
NUMBER_TEXT = r"^\d{1,15}(\.\d{1,15})?(/\d{1,15})?$"


def _number_text(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(NUMBER_TEXT, value.strip()):
        raise ValueError('应为整数、小数(如 "1.25")或分数(如 "1/3")')
    return value


ParameterValueIn = Annotated[
    Bool | Annotated[Int, Field(ge=0, le=2**31 - 1)] | Number | _text(64),
    AfterValidator(_number_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
                {"type": "number"},
                {"type": "string", "maxLength": 64, "pattern": NUMBER_TEXT},
            ]
        }
    ),
]


class ParameterSet(Body):
    """为本人管辖的州(市)或县(市)设置政策参数,自生效日期起适用"""

    name: ParamName = Field(..., description="参数名称")
    jurisdiction_code: Code = Field(..., description="适用辖区代码")
    effective: Date = Field(..., description="生效日期(YYYY-MM-DD)")
    value: ParameterValueIn = Field(
        ..., description='取值:整数、金额(如 1.25 或 "1.25")、比例(如 "1/3")或 true/false'
    )
    note: ParamNote = Field(..., description="设置依据(文件名称、文号)")


# ---- output ------------------------------------------------------------------------------


class FindingOut(BaseModel):
    clause: str = Field(description="条款编号,如 SEL.COND.NO3")
    severity: str = Field(description="error 不符合 / warning 须说明理由 / info 提示")
    message: str


class NominationStepOut(BaseModel):
    id: int
    action: str = Field(description="create/propose/review/decide/post/reject/withdraw")
    action_label: str
    from_state: str
    to_state: str
    to_state_label: str
    actor_name: str
    at: dt.datetime
    note: str
    findings: list[FindingOut]


class NominationOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_id: int
    unit_name: str
    role: str
    role_label: str
    village_id: int | None
    village_name: str | None
    source: str
    source_label: str
    state: str
    state_label: str
    dispatch_date: dt.date
    posting_id: int | None = Field(description="派驻到村后的任职编号")
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class NominationDetailOut(NominationOut):
    basic_attested: bool
    no1_attested: bool
    attested_by: str
    checkpoints: dict[str, bool] = Field(description="五关审查(SEL.METHOD.FIVE)")
    reviewer_name: str
    findings: list[FindingOut] = Field(description="最近一次资格审查结果")
    warning_reasons: dict[str, str] = Field(description="对提示事项的说明:{条款编号: 理由}")
    steps: list[NominationStepOut]
    allowed_actions: list[str] = Field(
        description="当前用户的角色在此状态下可办理的环节(propose/review/decide/post/reject/withdraw)"
    )


class CoverageVillageOut(BaseModel):
    id: int
    code: str
    name: str
    township_code: str
    township_name: str
    county_code: str | None
    county_name: str | None
    categories: list[str] = Field(description="3类村类别:former_poor/relocation/border")


class TeamMemberOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    role: str
    role_label: str
    arrival_date: dt.date


class CoverageRowOut(BaseModel):
    village: CoverageVillageOut
    status: str = Field(description="未覆盖/不符合/例外/需说明/符合")
    team: list[TeamMemberOut]
    findings: list[FindingOut]


class CoverageSummaryOut(BaseModel):
    villages: int
    uncovered: int = Field(description="未覆盖(无在岗驻村干部)")
    failing: int = Field(description="工作队组成不符合要求")
    exceptions: int = Field(description="按选派调整(例外)")
    cat3: int = Field(description="3类村")


class CoveragePage(BaseModel):
    on: dt.date = Field(description="审查日期(今天)")
    summary: CoverageSummaryOut
    count: int = Field(description="符合条件的总数")
    page: int
    page_size: int
    results: list[CoverageRowOut] = Field(description="未覆盖的在前,其次不符合、例外,其余在后")


class CompositionExceptionOut(BaseModel):
    id: int
    village_id: int
    village_name: str
    reason: str
    valid_from: dt.date
    valid_until: dt.date | None
    approved_by: str
    created_at: dt.datetime
    max_team_size: int | None = None
    min_first_secretaries: int | None = None
    min_team_members: int | None = None
    decided_by: str = ""


class DeadlineOut(BaseModel):
    posting_id: int
    cadre_id: int
    cadre_name: str
    village_id: int
    village_name: str
    township_name: str
    role: str
    role_label: str
    kind: str
    kind_label: str
    start: dt.date = Field(
        description="起算日:任命为工作队配齐之日或第一书记到岗之日(取其晚者),转接为报到日期"
    )
    done_on: dt.date | None = Field(description="完成日期")
    due: dt.date | None = Field(description="截止日期;节假日安排未录入的年份为 null")
    unknown_year: int | None = Field(description="节假日安排尚未录入的年份(此时 due 为 null)")
    status: str = Field(description="未到期/即将到期/已逾期/已完成/请录入YYYY年节假日安排")
    findings: list[FindingOut]
    team_in_place: bool = Field(
        True, description="任命:工作队是否已按组成要求配齐(未配齐时任命时限尚未起算,due 为 null)"
    )


DeadlinePage = page_of(DeadlineOut)


class MilestoneOut(BaseModel):
    posting_id: int
    cadre_name: str
    kind: str
    kind_label: str
    on: dt.date
    fs_appointed_on: dt.date | None = Field(description="第一书记任命日期")
    party_transfer_on: dt.date | None = Field(description="党组织关系转接日期")


class ScreeningRowOut(BaseModel):
    row: int = Field(description="行号(与上传文件一致)")
    name: str
    result: str = Field(description="符合/需说明理由/不符合/数据有误")
    findings: list[FindingOut]
    problems: list[FieldErrorOut] = Field(description="数据有误时逐列列出原因")


class ScreeningOut(BaseModel):
    filename: str
    total: int
    counts: dict[str, int] = Field(description="各审查结果的人数")
    results: list[ScreeningRowOut]


ParameterValueOut = bool | int | str | None


class ParameterRowOut(BaseModel):
    name: str
    clause: str = Field(description="条款编号")
    unit: str
    description: str
    source: str = Field(description="原文依据")
    gap: bool = Field(description="文件未规定具体数值,须由辖区设置")
    gap_note: str
    value: ParameterValueOut = Field(
        description='现行取值:整数、true/false,金额与比例为文本(如 "1.25"、"1/3");未设置为 null'
    )
    effective: dt.date | None
    set_by: str = Field(description="设置该取值的辖区代码(空为文件默认值)")
    unset_reason: str = Field(description="未设置时的原因")


class ParameterTableOut(BaseModel):
    jurisdiction_code: str
    on: dt.date
    results: list[ParameterRowOut]


class ParameterValueSetOut(BaseModel):
    id: int
    name: str
    jurisdiction_code: str
    jurisdiction_name: str
    effective: dt.date
    value: bool | int | float | str
    note: str
    created_by: str
    created_at: dt.datetime


# ---- query parameters --------------------------------------------------------------------


NominationStateFilter = Literal[
    "", "applied", "recommended", "proposed", "filed", "decided", "posted", "rejected", "withdrawn"
]


class NominationQuery(PageQuery):
    state: NominationStateFilter = Field(
        "",
        description="状态:applied/recommended/proposed/filed/decided/posted/rejected/withdrawn",
    )
    q: Text = Field("", description="人选姓名包含")


class CoverageQuery(PageQuery):
    county: Text = Field("", description="县(市)区划代码或名称")
    township: Text = Field("", description="乡镇(街道)区划代码或名称")
    problems: bool = Field(False, description="只列未覆盖、不符合或例外的村")


class DeadlineQuery(PageQuery):
    kind: MilestoneKind = Field(
        "appoint", description="appoint 第一书记任命 / transfer 党组织关系转接"
    )


class ParameterQuery(BaseModel):
    on: Text = Field("", description="查询日期(YYYY-MM-DD),默认今天")


# ---- 因村精准组队 (SEL.METHOD.NEED) ---------------------------------------------------------

RoleFilter = Literal["first_secretary", "team_leader", "team_member"]


class CandidateQuery(BaseModel):
    role: RoleFilter = Field(
        "team_member", description="拟任职务:first_secretary/team_leader/team_member"
    )
    on: Text = Field("", description="拟派出日期(YYYY-MM-DD),默认今天;年龄、党龄按此日审查")
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="只排此派出单位的人选")


class RankedCandidateOut(BaseModel):
    rank: int = Field(description="排序,1为首选")
    cadre_id: int
    name: str
    unit_id: int
    unit_name: str
    eligible: bool = Field(description="是否通过资格审查(无 error)")
    needs_reason: bool = Field(description="是否有须说明理由的提示(warning)")
    needs_met: list[str] = Field(description="所契合的本村需求代码")
    reasons: list[FindingOut] = Field(description="排序理由(均为 info)")
    screening: list[FindingOut] = Field(description="资格审查结果")


class VillageCandidatesOut(BaseModel):
    village_id: int
    village_name: str
    role: str
    role_label: str
    on: dt.date
    needs: list[str] = Field(description="本村需求代码")
    need_labels: list[str]
    count: int
    results: list[RankedCandidateOut]
