"""Request and response schemas.

Request bodies use the field names of ``zhucun.registry.validation``'s FieldSpecs and are
built from them, so the API accepts exactly what the services clean. Types are strict (a
number where text is expected is a 400 with a Chinese reason); choice fields accept the code
or the Chinese label; dates are text "YYYY-MM-DD". The services do the business validation.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, create_model

from zhucun.registry import validation as v
from zhucun.registry.models import Cadre, DispatchingUnit, Posting, Village

# ---- input -------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符(\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("包含无效的Unicode字符") from None
    return value


Text = Annotated[str, Strict(), AfterValidator(_clean_text)]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
MAX_ID = 2**63 - 1
Code = Annotated[Text, Field(max_length=32)]  # a division code; the service checks its form
Name = Annotated[Text, Field(max_length=64)]  # = Jurisdiction.name (tests/core)

DATE_FIELDS = {
    "birth_date",
    "full_member_since",
    "work_start_date",
    "arrival_date",
    "planned_end",
    "actual_end",
}
NUMBER_FIELDS = {"lat", "lng", "checkin_lat", "checkin_lng"}
INT_FIELDS = {"checkin_radius_m"}
NeedList = Annotated[list[Annotated[Text, Field(max_length=32)]], Field(max_length=20)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    def data(self) -> dict[str, Any]:
        """The fields the client sent (PATCH semantics: absent fields stay as they are)."""
        return self.model_dump(exclude_unset=True)


# A string the service checks for its exact form (codes, ID numbers, dates): bounded generously
# here, refused precisely by the service.
FORMATTED_MAX = 64


def _type_of(name: str, cleaner: Any, model: Any = None) -> Any:
    if cleaner is v.boolean:
        return Bool
    if cleaner is v.village_needs:
        return NeedList
    if name in NUMBER_FIELDS:
        return Number
    if name in INT_FIELDS:
        return Int
    # free text: the model's max_length, the one limit of form, API, service and import
    limit = FORMATTED_MAX
    if model is not None:
        try:
            limit = model._meta.get_field(name).max_length or FORMATTED_MAX
        except Exception:  # not a model field (a code or a reference): formatted
            limit = FORMATTED_MAX
    return Annotated[Text, Field(max_length=limit)]


def _describe(name: str, label: str) -> str:
    if name in DATE_FIELDS:
        return f"{label}(YYYY-MM-DD)"
    if name == "needs":
        from zhucun.policy.needs import NEEDS

        codes = "、".join(f"{n.code}({n.label})" for n in NEEDS)
        return f"{label}(SEL.METHOD.NEED):代码或中文名称的列表,可选 {codes}"
    return label


def body_from_spec(
    model_name: str,
    spec: v.FieldSpec,
    *,
    required: frozenset[str] = frozenset(),
    extra: dict[str, Any] | None = None,
    doc: str = "",
    model: Any = None,
) -> type[Body]:
    fields: dict[str, Any] = dict(extra or {})
    for name, (label, cleaner) in spec.items():
        t = _type_of(name, cleaner, model)
        if name in required:
            fields[name] = (t, Field(..., description=_describe(name, label)))
        else:
            fields[name] = (t | None, Field(None, description=_describe(name, label)))
    model = create_model(model_name, __base__=Body, __doc__=doc, **fields)
    return model


VillageCreate = body_from_spec(
    "VillageCreate",
    v.VILLAGE_FIELDS,
    extra={
        "code": (Code, Field(..., description="村(社区)区划代码(12位)")),
        "name": (Name, Field(..., description="村(社区)名称")),
        "township_code": (Code, Field(..., description="所属乡镇(街道)区划代码")),
    },
    doc="新建村(社区):同时建立其区划节点",
    model=Village,
)
VillageUpdate = body_from_spec(
    "VillageUpdate",
    v.VILLAGE_FIELDS,
    extra={"name": (Name | None, Field(None, description="村(社区)名称"))},
    doc="修改村(社区),只改提交的字段",
    model=Village,
)
UnitCreate = body_from_spec(
    "UnitCreate",
    v.UNIT_FIELDS,
    required=frozenset({"name", "level", "kind"}),
    doc="新建派出单位",
    model=DispatchingUnit,
)
UnitUpdate = body_from_spec(
    "UnitUpdate", v.UNIT_FIELDS, doc="修改派出单位,只改提交的字段", model=DispatchingUnit
)
CadreCreate = body_from_spec(
    "CadreCreate",
    v.CADRE_FIELDS,
    required=frozenset(
        {
            "name",
            "gender",
            "ethnicity",
            "id_number",
            "birth_date",
            "unit_name",
            "party_status",
            "work_start_date",
        }
    ),
    doc="登记驻村干部",
    model=Cadre,
)
CadreUpdate = body_from_spec(
    "CadreUpdate", v.CADRE_FIELDS, doc="修改干部信息,只改提交的字段", model=Cadre
)
PostingCreate = body_from_spec(
    "PostingCreate",
    v.POSTING_FIELDS,
    required=frozenset({"id_number", "village_code", "role", "arrival_date"}),
    extra={
        "reasons": (
            dict[Annotated[Text, Field(max_length=32)], Annotated[Text, Field(max_length=500)]],
            Field(
                default_factory=dict,
                max_length=50,
                description="对须说明理由的提示事项,按条款编号逐条写明理由,如 "
                '{"MGT.TERM": "…"};与提名流程的派驻到村相同的资格审查、工作队组成和任期检查',
            ),
        )
    },
    doc="登记驻村任职(与提名流程相同的资格审查、工作队组成和任期检查:错误不予登记,提示须说明理由)",
    model=Posting,
)


class PostingEnd(Body):
    """结束驻村任职"""

    end_date: Code = Field(..., description="结束日期(YYYY-MM-DD)")
    note: Annotated[Text, Field(max_length=2000)] = Field("", description="说明")
    gap_reason: Annotated[Text, Field(max_length=300)] = Field(
        "", description="接替人员到岗前离岗的例外理由(MGT.9.HANDOVER 压茬交接)"
    )


# ---- output ------------------------------------------------------------------------------


class FieldErrorOut(BaseModel):
    field: str = Field(description="出错的字段;政策规则的拒绝或提示时为空字符串")
    reason: str = Field(description="原因(中文)")
    clause: str | None = Field(
        None, description="政策规则的拒绝或提示:条款编号(CLAUSES.md);字段错误时不出现"
    )


class ErrorOut(BaseModel):
    """错误:detail 为中文说明,errors 逐字段列出原因(可为空);needs_reason 为 true 时,
    errors 均为填写理由即可继续的提示事项(clause 为条款编号),请在 reasons 中逐条说明后重新提交"""

    detail: str
    errors: list[FieldErrorOut]
    needs_reason: bool = Field(
        False, description="为 true 时各提示事项填写理由(reasons)后可重新提交;否则不出现"
    )


class ScopeOut(BaseModel):
    jurisdiction_code: str | None
    jurisdiction_name: str | None
    unit_id: int | None
    unit_name: str | None
    cadre_id: int | None
    cadre_name: str | None
    village_id: int | None
    village_name: str | None


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    scope: ScopeOut


class JurisdictionOut(BaseModel):
    code: str
    name: str
    level: str
    level_label: str
    parent_code: str | None
    parent_name: str | None


class VillageOut(BaseModel):
    id: int
    code: str
    name: str
    township_code: str
    township_name: str
    county_code: str | None
    county_name: str | None
    former_poor: bool
    relocation: bool
    border: bool
    key_village: bool
    weak_village: bool
    categories: list[str]
    checkin_lat: float | None
    checkin_lng: float | None
    checkin_datum: str
    checkin_radius_m: int | None
    needs: list[str] = Field(description="村需求代码(SEL.METHOD.NEED)")
    need_labels: list[str] = Field(description="村需求名称")
    active_count: int = Field(description="在岗驻村干部人数")


class UnitOut(BaseModel):
    id: int
    name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    jurisdiction_code: str | None
    jurisdiction_name: str | None
    lat: float | None
    lng: float | None
    address: str


class CadreOut(BaseModel):
    """干部。id_number/phone 按角色可能为脱敏值;health_fit/family_hardship/spouse_id 无权查看时为 null;
    无权查看完整身份证号时 birth_date 为 null,只给出生年份 birth_year"""

    id: int
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date | None
    birth_year: int
    education: str
    unit_id: int
    unit_name: str
    post: str
    party_status: str
    full_member_since: dt.date | None
    work_start_date: dt.date
    occupation: str
    occupation_code: str
    is_xuandiao: bool
    tech_commissioner: bool
    talent_program: bool
    rural_experience: bool
    agri_specialty: bool
    retired: bool
    age_exception: bool
    age_exception_note: str
    id_number: str
    phone: str
    health_fit: bool | None
    family_hardship: bool | None
    spouse_id: int | None
    promotion_ban_until: dt.date | None = Field(
        None,
        description="召回撤换后不得提拔使用和晋升职级至(含)(MGT.4.CONSEQ);今天不在限制期内为 null",
    )
    excellent_years: list[int] | None = Field(
        None,
        description="考核等次为“优秀”的年度(已确定等次、您可查阅的,新的在前),同等条件下优先考虑"
        "提拔任用(GUA.3.PRIORITY);仅干部详情给出,列表为 null",
    )


class PostingOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_id: int
    village_code: str
    village_name: str
    township_name: str
    role: str
    role_label: str
    arrival_date: dt.date
    planned_end: dt.date | None
    actual_end: dt.date | None
    status: str
    status_label: str
    # MGT.STATUS (optional: older clients ignore them)
    personnel_unchanged: bool | None = Field(None, description="原人事关系、工资和福利待遇不变")
    freed_from_unit_duties: bool | None = Field(None, description="脱产驻村,不承担派出单位工作")
    no_village_election: bool | None = Field(None, description="不参加村级组织换届选举")
    party_transfer_on: dt.date | None = Field(None, description="党组织关系转入日期")


def page_of(item: type[BaseModel]) -> type[BaseModel]:
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        count=(int, Field(description="符合条件的总数")),
        page=(int, ...),
        page_size=(int, ...),
        results=(list[item], ...),  # type: ignore[valid-type]
    )


JurisdictionPage = page_of(JurisdictionOut)
VillagePage = page_of(VillageOut)
UnitPage = page_of(UnitOut)
CadrePage = page_of(CadreOut)
PostingPage = page_of(PostingOut)


# ---- query parameters --------------------------------------------------------------------


class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000, description="页码,从1开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数,最多200")


class JurisdictionQuery(PageQuery):
    level: Text = Field("", description="层级:prefecture/county/township/village/village_group")
    parent: Text = Field("", description="上级区划代码")
    q: Text = Field("", description="名称包含或代码前缀")


class VillageQuery(PageQuery):
    q: Text = Field("", description="名称包含或代码前缀")
    county: Text = Field("", description="县(市)区划代码")
    township: Text = Field("", description="乡镇(街道)区划代码")
    category: Text = Field("", description="3类村类别:former_poor/relocation/border")
    cat3: bool | None = Field(None, description="是否3类村(任一类别)")
    key: bool | None = Field(None, description="是否重点村或薄弱村")
    need: Text = Field("", description="村需求代码(SEL.METHOD.NEED),如 industry")


class UnitQuery(PageQuery):
    q: Text = Field("", description="名称包含")
    level: Text = Field("", description="层级:province/prefecture/county")
    kind: Text = Field("", description="性质:organ/soe/institution")


class CadreQuery(PageQuery):
    q: Text = Field(
        "",
        description="姓名包含;或身份证号:可见完整号码的角色可按完整号码、后4位以上或掩码形式"
        "(如5331**********1234)查找,其他角色只能按页面显示的前2位和后2位(如53**************7X)",
    )
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="派出单位编号")
    party_status: Text = Field("", description="政治面貌:none/probationary/full")
    posted: bool | None = Field(None, description="是否在岗驻村")


class PostingQuery(PageQuery):
    village: int | None = Field(None, ge=1, le=MAX_ID, description="村(社区)编号")
    status: Text = Field("", description="状态:planned/active/ended")
    role: Text = Field("", description="驻村职务:first_secretary/team_leader/team_member")
    county: Text = Field("", description="县(市)区划代码")
    township: Text = Field("", description="乡镇(街道)区划代码")
