"""Columns of each import kind. Headers and cleaners come from the FieldSpecs of
``registry.validation``; this module only adds what a template needs to explain them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhucun.policy.needs import NEEDS

from .. import validation as v
from ..models import (
    Datum,
    Gender,
    Level,
    OccupationCode,
    PartyStatus,
    PostingStatus,
    Role,
    UnitKind,
    UnitLevel,
)
from .samples import id_number_with_check

KINDS: dict[str, str] = {
    "jurisdictions": "行政区划",
    "villages": "村(社区)",
    "units": "派出单位",
    "cadres": "驻村干部",
    "postings": "驻村任职",
}

# Import kinds of the apps above the registry (attendance's check-ins from another app),
# filled in by ``engine.register_kind`` from their AppConfig.ready(): the registry never
# imports them. They are not in KINDS (the registry page's list) but the engine, the
# templates and the ``import`` / ``template`` commands take them like the registry's own.
EXTRA_KINDS: dict[str, str] = {}
# kind → field → further headers an office may write for the column (compared after NFKC,
# without spaces, like the labels)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {}
# kind → the 填写说明 notes that replace the registry's (which speak of updating records)
KIND_NOTES: dict[str, list[str]] = {}


def all_kinds() -> dict[str, str]:
    """Every import kind, the registry's and the registered ones, with its Chinese label."""
    return {**KINDS, **EXTRA_KINDS}


def kind_label(kind: str) -> str:
    return KINDS.get(kind) or EXTRA_KINDS.get(kind, kind)


TOWNSHIP_CODE = "township_code"

SPECS: dict[str, v.FieldSpec] = {
    "jurisdictions": v.JURISDICTION_FIELDS,
    "villages": {
        "code": v.JURISDICTION_FIELDS["code"],
        "name": v.JURISDICTION_FIELDS["name"],
        TOWNSHIP_CODE: ("所属乡镇(街道)区划代码", v.division_code),
        **v.VILLAGE_FIELDS,
    },
    "units": v.UNIT_FIELDS,
    "cadres": v.CADRE_FIELDS,
    "postings": {
        **v.POSTING_FIELDS,
        # the written reason for the row's warnings (the checks every posting path runs)
        "reason": ("说明理由", lambda x: v.text(x, max_length=500, required=False)),
    },
}


def is_required(spec: v.FieldSpec, field: str) -> bool:
    """A column is required when its cleaner refuses an empty cell (the rule itself decides)."""
    try:
        spec[field][1](None)
    except v.FieldError:
        return True
    return False


def required_fields(kind: str) -> list[str]:
    return [f for f in SPECS[kind] if is_required(SPECS[kind], f)]


def empty_defaults(kind: str, fields: set[str] | list[str]) -> dict[str, Any]:
    """The value an absent optional column stands for when a record is created."""
    return {f: SPECS[kind][f][1](None) for f in fields}


def _labels(choices: type) -> str:
    return "、".join(str(label) for code, label in choices.choices if code)


_YES_NO = "填“是”或“否”(也可填1/0、有/无),留空视为“否”"
_DATE = "日期,如2021-10-19(也可写2021/10/19、2021年10月19日)"
_CODE12 = "12位统计用区划代码,请将该列设为文本格式"

# field → how to fill it in (the allowed values are read from the model's choices)
HELP: dict[str, str] = {
    "code": _CODE12 + ";村(居)民小组为15位",
    "name": "名称全称",
    "level": f"可填:{_labels(Level)}",
    "parent_code": "上级单位的区划代码;州(市)留空。上级可以是系统中已有的,也可以在本文件中",
    TOWNSHIP_CODE: "村(社区)所属乡镇(街道)的12位区划代码,须已在系统中",
    "checkin_lat": "签到点纬度,如24.256(须与经度同时填写)",
    "checkin_lng": "签到点经度,如98.276",
    "checkin_datum": f"可填:{_labels(Datum)};留空为WGS-84(手机GPS)。高德、腾讯地图取的点为GCJ-02",
    "checkin_radius_m": "签到半径,1~20000的整数(米)",
    "needs": "村需求(SEL.METHOD.NEED,可不填):可填"
    + "、".join(n.label for n in NEEDS)
    + ";多项用“、”分隔,如“产业发展、基层治理”;填写即替换原有需求",
    "jurisdiction_code": "单位所在地的区划代码;县级用户只能登记本县(市)内的单位",
    "lat": "单位所在地纬度(可不填)",
    "lng": "单位所在地经度(可不填)",
    "address": "地址(可不填)",
    "gender": f"可填:{_labels(Gender)}",
    "ethnicity": "如汉族、傣族、景颇族",
    "id_number": "18位身份证号,最后一位可为X;请将该列设为文本格式,否则Excel会丢失后几位",
    "phone": "11位手机号或带区号的座机号",
    "birth_date": _DATE + ";须与身份证号中的出生日期一致",
    "education": "如大学本科、硕士研究生",
    "unit_name": "派出单位全称,须已在系统中登记且在您的管辖范围内",
    "post": "在派出单位的职务",
    "party_status": f"可填:{_labels(PartyStatus)}",
    "full_member_since": _DATE + ";正式党员必填,其他留空",
    "work_start_date": _DATE,
    "occupation": "职业(可不填)",
    "occupation_code": f"可填:{_labels(OccupationCode)};其他职业留空",
    "spouse_id_number": "配偶也是登记在册的干部时填写其身份证号(可在同一文件中);留空表示不变",
    "village_code": "所驻村(社区)的12位区划代码,须在您的管辖范围内",
    "role": f"可填:{_labels(Role)}",
    "arrival_date": _DATE,
    "planned_end": _DATE + ";须晚于到岗日期",
    "actual_end": _DATE + ";状态为“已结束”时必填",
    "status": f"可填:{_labels(PostingStatus)};留空为在岗",
    "reason": "资格审查、工作队组成或任期有须说明理由的提示事项时(如计划期满早于正常任期、"
    "夫妻同时驻村)在此写明理由;没有则留空",
}

KIND_HELP: dict[str, dict[str, str]] = {
    "villages": {"name": "村(社区)名称全称"},
    "units": {
        "name": "单位全称,用于识别单位(已存在的单位按文件更新)",
        "level": f"可填:{_labels(UnitLevel)}",
        "kind": f"可填:{_labels(UnitKind)}",
    },
    "cadres": {"name": "姓名"},
}


# Help texts that quote a parameter in force (SEL.SRC.AGE), registered by the params app in
# its ready() (the parameters in force live above the registry: no import runs back up).
DYNAMIC_HELP: dict[str, Callable[[], str]] = {}
AGE_NOTE_FALLBACK = "按年龄例外选派时的说明"


def help_text(kind: str, field: str) -> str:
    if field in DYNAMIC_HELP:
        return DYNAMIC_HELP[field]()
    if field == "age_exception_note":
        return AGE_NOTE_FALLBACK
    if field in KIND_HELP.get(kind, {}):
        return KIND_HELP[kind][field]
    if SPECS[kind][field][1] is v.boolean:
        return _YES_NO
    return HELP.get(field, "")


# one example row per kind, written in grey italics under the header; the importer skips a
# row that is exactly this example
_EX_ID = id_number_with_check("53310319900517001")
EXAMPLES: dict[str, dict[str, str]] = {
    "jurisdictions": {
        "code": "533103102099",
        "name": "示例村民委员会",
        "level": "村(社区)",
        "parent_code": "533103102000",
    },
    "villages": {
        "code": "533103102099",
        "name": "示例村民委员会",
        TOWNSHIP_CODE: "533103102000",
        "former_poor": "否",
        "relocation": "否",
        "border": "是",
        "key_village": "是",
        "weak_village": "否",
        "checkin_lat": "24.256",
        "checkin_lng": "98.276",
        "checkin_datum": "GCJ-02",
        "checkin_radius_m": "500",
        "needs": "产业发展、边境/民族团结",
    },
    "units": {
        "name": "示例县农业农村局",
        "level": "县级",
        "kind": "机关",
        "jurisdiction_code": "533103000000",
        "lat": "",
        "lng": "",
        "address": "芒市勇罕街1号",
    },
    "cadres": {
        "name": "张示例",
        "gender": "男",
        "ethnicity": "汉族",
        "id_number": _EX_ID,
        "phone": "13900000000",
        "birth_date": "1990-05-17",
        "education": "大学本科",
        "unit_name": "示例县农业农村局",
        "post": "科员",
        "party_status": "正式党员",
        "full_member_since": "2015-07-01",
        "work_start_date": "2012-08-01",
        "occupation": "公务员",
        "occupation_code": "",
        "health_fit": "是",
        "family_hardship": "否",
        "spouse_id_number": "",
        "is_xuandiao": "否",
        "tech_commissioner": "否",
        "talent_program": "否",
        "rural_experience": "是",
        "agri_specialty": "否",
        "retired": "否",
        "age_exception": "否",
        "age_exception_note": "",
    },
    "postings": {
        "id_number": _EX_ID,
        "village_code": "533103102099",
        "role": "第一书记",
        "arrival_date": "2024-03-01",
        "planned_end": "2026-03-01",
        "actual_end": "",
        "status": "在岗",
        "reason": "",
    },
}

# columns kept as text in the template (Excel would otherwise turn them into numbers)
TEXT_FIELDS = {
    "code",
    "parent_code",
    TOWNSHIP_CODE,
    "jurisdiction_code",
    "id_number",
    "spouse_id_number",
    "phone",
    "village_code",
}

# how an existing record is recognised, and what happens to it
KEYS: dict[str, tuple[str, str]] = {
    "jurisdictions": ("code", "区划代码已存在的,按文件更新名称(层级、上级不能通过导入修改)"),
    "villages": ("code", "区划代码已存在的村(社区),按文件中出现的列更新"),
    "units": ("name", "单位名称已存在的,按文件中出现的列更新"),
    "cadres": ("id_number", "身份证号已登记的干部,按文件中出现的列更新"),
    "postings": (
        "id_number",
        "同一干部、同一村、同一到岗日期的任职已存在的,按文件更新职务、期满、结束日期和状态",
    ),
}
