"""Dispatching units (派出单位) of the demo: a few 省级, about 25 州级 and 15 县级 per county."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .places import COUNTIES, PREFECTURE


@dataclass(frozen=True)
class UnitSpec:
    name: str
    level: str  # province / prefecture / county
    kind: str  # organ / soe / institution
    jurisdiction_code: str  # "" for provincial units (outside the demo tree)
    lat: float
    lng: float
    address: str


KUNMING = (25.0406, 102.7129)

PROVINCE_UNITS = [
    ("云南省农业农村厅", "organ"),
    ("云南省财政厅", "organ"),
    ("云南省林业和草原局", "organ"),
    ("云南省民族宗教事务委员会", "organ"),
    ("云南省农业科学院", "institution"),
]

PREFECTURE_UNITS = [
    ("中共德宏州委办公室", "organ"),
    ("德宏州人民政府办公室", "organ"),
    ("德宏州纪委监委", "organ"),
    ("中共德宏州委组织部", "organ"),
    ("中共德宏州委宣传部", "organ"),
    ("中共德宏州委统战部", "organ"),
    ("德宏州发展和改革委员会", "organ"),
    ("德宏州财政局", "organ"),
    ("德宏州农业农村局", "organ"),
    ("德宏州林业和草原局", "organ"),
    ("德宏州水务局", "organ"),
    ("德宏州自然资源和规划局", "organ"),
    ("德宏州住房和城乡建设局", "organ"),
    ("德宏州交通运输局", "organ"),
    ("德宏州教育体育局", "organ"),
    ("德宏州卫生健康委员会", "organ"),
    ("德宏州人力资源和社会保障局", "organ"),
    ("德宏州民族宗教事务委员会", "organ"),
    ("德宏州市场监督管理局", "organ"),
    ("德宏州商务局", "organ"),
    ("德宏州人民医院", "institution"),
    ("德宏州农业技术推广中心", "institution"),
    ("德宏职业学院", "institution"),
    ("云南电网有限责任公司德宏供电局", "soe"),
    ("德宏州城市建设投资集团有限公司", "soe"),
]

COUNTY_UNIT_SUFFIXES = [
    ("委组织部", "organ"),
    ("农业农村局", "organ"),
    ("财政局", "organ"),
    ("林业和草原局", "organ"),
    ("水务局", "organ"),
    ("自然资源局", "organ"),
    ("住房和城乡建设局", "organ"),
    ("交通运输局", "organ"),
    ("教育体育局", "organ"),
    ("卫生健康局", "organ"),
    ("人力资源和社会保障局", "organ"),
    ("市场监督管理局", "organ"),
    ("人民医院", "institution"),
    ("农业技术推广中心", "institution"),
    ("城乡建设投资有限公司", "soe"),
]

_STREETS = ["团结大街", "勐焕路", "芒市大街", "新建路", "青年路", "阳光路", "孔雀湖路", "民族路"]


def _jitter(rng: random.Random, lat: float, lng: float) -> tuple[float, float]:
    return round(lat + rng.uniform(-0.012, 0.012), 6), round(lng + rng.uniform(-0.012, 0.012), 6)


def unit_specs() -> list[UnitSpec]:
    rng = random.Random(PREFECTURE[0])
    specs: list[UnitSpec] = []
    for name, kind in PROVINCE_UNITS:
        lat, lng = _jitter(rng, *KUNMING)
        specs.append(UnitSpec(name, "province", kind, "", lat, lng, "云南省昆明市"))
    for name, kind in PREFECTURE_UNITS:
        lat, lng = _jitter(rng, PREFECTURE[2], PREFECTURE[3])
        address = f"德宏州芒市{rng.choice(_STREETS)}{rng.randint(1, 120)}号"
        specs.append(UnitSpec(name, "prefecture", kind, PREFECTURE[0], lat, lng, address))
    for county in COUNTIES:
        for suffix, kind in COUNTY_UNIT_SUFFIXES:
            lat, lng = _jitter(rng, county.lat, county.lng)
            name = (f"中共{county.name}" if suffix.startswith("委") else county.name) + suffix
            address = f"德宏州{county.name}{rng.choice(_STREETS)}{rng.randint(1, 120)}号"
            specs.append(UnitSpec(name, "county", kind, county.full_code, lat, lng, address))
    return specs


# What the cadres of a unit of each kind do at home (职业 / 单位职务).
OCCUPATIONS = {
    "organ": ["公务员"],
    "institution": ["事业单位管理人员", "专业技术人员"],
    "soe": ["企业管理人员", "企业技术人员"],
}
HOSPITAL_ADMIN = "医院行政管理人员"
POSTS = {
    "organ": [
        "一级科员",
        "二级科员",
        "四级主任科员",
        "三级主任科员",
        "二级主任科员",
        "副科长",
        "科长",
    ],
    "institution": ["助理农艺师", "农艺师", "工程师", "办公室副主任", "科员", "技术员"],
    "soe": ["业务主管", "综合部副经理", "工程师", "专责", "客户经理"],
}
