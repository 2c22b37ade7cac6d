"""Geography of the demo prefecture: 德宏傣族景颇族自治州 with its five county-level units and
51 township-level units (2 街道, 23 镇, 26 乡 of which 5 民族乡).

Township names are the real ones; coordinates are approximate township seats (WGS-84);
township codes follow the statistical scheme (街道 0xx, 镇 1xx, 乡 2xx) with 遮放镇 533103102.
Villages (村/社区) are invented: names from Dai, Jingpo and Han place-name syllables, codes
0xx for 社区 and 2xx for 村. The geography is fixed (its own random seed), so that the codes of
the villages carrying deliberate gaps stay stable whatever ``--seed`` the people use.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

PREFECTURE = ("533100000000", "德宏傣族景颇族自治州", 24.4334, 98.5848)
GEO_SEED = 533100


@dataclass(frozen=True)
class County:
    code: str  # 6 digits
    name: str
    lat: float
    lng: float
    border: bool  # borders Myanmar

    @property
    def full_code(self) -> str:
        return self.code + "000000"


COUNTIES = [
    County("533102", "瑞丽市", 24.0127, 97.8519, True),
    County("533103", "芒市", 24.4334, 98.5848, True),
    County("533122", "梁河县", 24.8044, 98.2964, False),
    County("533123", "盈江县", 24.7056, 97.9318, True),
    County("533124", "陇川县", 24.3368, 97.7919, True),
]
COUNTY_BY_CODE = {c.code: c for c in COUNTIES}
BORDER_COUNTIES = {c.code for c in COUNTIES if c.border}


@dataclass(frozen=True)
class Township:
    code: str  # 9 digits
    name: str
    lat: float
    lng: float
    villages: int  # number of 村(社区) at full scale
    border: bool = False  # the township lies on the Myanmar border
    mountain: bool = False  # mountain township: Jingpo/Lisu/Han village names, more 3类村

    @property
    def full_code(self) -> str:
        return self.code + "000"

    @property
    def county_code(self) -> str:
        return self.code[:6]

    @property
    def kind(self) -> str:
        return "街道" if self.name.endswith("街道") else "镇" if self.name.endswith("镇") else "乡"


T = Township
TOWNSHIPS = [
    # 芒市 533103 (州府所在地)
    T("533103001", "勐焕街道", 24.4390, 98.5880, 8),
    T("533103101", "芒市镇", 24.4480, 98.6020, 10),
    T("533103102", "遮放镇", 24.2560, 98.2760, 8, border=True),
    T("533103103", "勐戛镇", 24.1120, 98.5280, 7, border=True, mountain=True),
    T("533103104", "芒海镇", 24.0280, 98.4260, 5, border=True, mountain=True),
    T("533103105", "风平镇", 24.3720, 98.5030, 8),
    T("533103201", "轩岗乡", 24.5020, 98.4830, 6),
    T("533103202", "江东乡", 24.5520, 98.6950, 5, mountain=True),
    T("533103203", "西山乡", 24.4720, 98.4450, 6, mountain=True),
    T("533103204", "中山乡", 24.2050, 98.7150, 5, border=True, mountain=True),
    T("533103205", "三台山德昂族乡", 24.3330, 98.4200, 4, mountain=True),
    T("533103206", "五岔路乡", 24.2030, 98.6230, 4, mountain=True),
    # 瑞丽市 533102 (全境沿边)
    T("533102001", "勐卯街道", 24.0130, 97.8530, 8, border=True),
    T("533102101", "畹町镇", 24.0800, 98.0620, 5, border=True),
    T("533102102", "弄岛镇", 23.9950, 97.7300, 5, border=True),
    T("533102103", "姐相镇", 24.0400, 97.7900, 6, border=True),
    T("533102201", "户育乡", 24.1050, 97.8500, 4, border=True, mountain=True),
    T("533102202", "勐秀乡", 24.0650, 97.9450, 4, border=True, mountain=True),
    # 梁河县 533122 (不沿边)
    T("533122101", "遮岛镇", 24.8070, 98.2980, 9),
    T("533122102", "芒东镇", 24.7630, 98.2400, 6),
    T("533122103", "勐养镇", 24.6920, 98.2200, 6),
    T("533122201", "平山乡", 24.8800, 98.3300, 5, mountain=True),
    T("533122202", "小厂乡", 24.8300, 98.4200, 5, mountain=True),
    T("533122203", "大厂乡", 24.9000, 98.2500, 5, mountain=True),
    T("533122204", "九保阿昌族乡", 24.7620, 98.3800, 5),
    T("533122205", "曩宋阿昌族乡", 24.7820, 98.1800, 5, mountain=True),
    T("533122206", "河西乡", 24.7000, 98.3000, 5, mountain=True),
    # 盈江县 533123
    T("533123101", "平原镇", 24.7100, 97.9400, 11),
    T("533123102", "旧城镇", 24.6400, 97.8100, 7),
    T("533123103", "那邦镇", 24.7200, 97.5700, 4, border=True, mountain=True),
    T("533123104", "弄璋镇", 24.6200, 97.9700, 7),
    T("533123105", "盏西镇", 24.9300, 98.0500, 6, mountain=True),
    T("533123106", "卡场镇", 25.1000, 97.8800, 5, border=True, mountain=True),
    T("533123107", "昔马镇", 24.8000, 97.6300, 5, border=True, mountain=True),
    T("533123108", "太平镇", 24.8000, 97.8200, 6, border=True, mountain=True),
    T("533123201", "铜壁关乡", 24.5800, 97.6500, 4, border=True, mountain=True),
    T("533123202", "支那乡", 25.0200, 97.9500, 4, border=True, mountain=True),
    T("533123203", "苏典傈僳族乡", 25.2000, 97.9500, 4, border=True, mountain=True),
    T("533123204", "勐弄乡", 24.5200, 97.9000, 5, mountain=True),
    T("533123205", "芒章乡", 24.7800, 98.0000, 5, mountain=True),
    T("533123206", "新城乡", 24.6000, 97.8800, 5),
    T("533123207", "油松岭乡", 24.8200, 97.9000, 5, mountain=True),
    # 陇川县 533124
    T("533124101", "章凤镇", 24.3370, 97.7920, 9, border=True),
    T("533124102", "陇把镇", 24.2500, 97.9800, 7, border=True),
    T("533124103", "景罕镇", 24.4000, 97.8600, 6),
    T("533124104", "城子镇", 24.4300, 97.9300, 7),
    T("533124201", "户撒阿昌族乡", 24.5700, 98.0700, 7, mountain=True),
    T("533124202", "护国乡", 24.4700, 98.0600, 6, mountain=True),
    T("533124203", "清平乡", 24.3800, 98.1000, 6, border=True, mountain=True),
    T("533124204", "王子树乡", 24.1800, 98.0000, 5, border=True, mountain=True),
    T("533124205", "勐约乡", 24.4700, 97.7000, 5, border=True, mountain=True),
]
del T
TOWNSHIP_BY_CODE = {t.code: t for t in TOWNSHIPS}

# Villages whose role in the demo is fixed (see build.DELIBERATE_GAPS and build.DEMO_VILLAGE):
# code → flags forced on top of the generated ones.
_PLAIN = {"former_poor": False, "relocation": False, "border": False}
FORCED_CATEGORIES: dict[str, dict[str, bool]] = {
    "533103102201": {"border": True, "key_village": True},  # 遮放镇: the demo accounts' village
    "533122203202": _PLAIN,  # 梁河县大厂乡: no team (SEL.SCOPE.COVER)
    "533123206202": _PLAIN,  # 盈江县新城乡: no team (SEL.SCOPE.COVER)
    "533122204201": {"former_poor": True},  # 梁河县九保阿昌族乡: 3类村, 1 member only
    "533123103201": {"border": True},  # 盈江县那邦镇: 3类村 with 6 people
}
# Villages whose team comes through the selection workflow (demo/selection.py): the loader
# leaves them without a team and the nominations post it; and the border village with a team of
# 5 where a recorded SEL.SCOPE.ADJUST exception lets a 6th member in.
NATIONAL_DAY_VILLAGE = "533103105201"  # 芒市风平镇: team arrives 2025-09-26 (国庆 across APPOINT10)
RECENT_VILLAGES = ("533124104201", "533122102201")  # 陇川县城子镇, 梁河县芒东镇: arrive Nov 2026
SELECTION_VILLAGES = (NATIONAL_DAY_VILLAGE, *RECENT_VILLAGES)
EXCEPTION_VILLAGE = "533103104201"  # 芒市芒海镇: 抵边村, 5 people + 1 by SEL.SCOPE.ADJUST
FORCED_CATEGORIES |= {code: _PLAIN for code in SELECTION_VILLAGES}
FORCED_CATEGORIES[EXCEPTION_VILLAGE] = {"border": True, "former_poor": False, "relocation": False}
FORCED_GROUPS = {"533103102201"}
# Index of a village within its township that always exists, whatever the scale.
MIN_VILLAGES_PER_TOWNSHIP = 2

_DAI_1 = "芒弄等允贺拉户广南勐曼帕邦雷那蛮姐喊景遮"
_DAI_2 = "坎棒里么线欠母嘎海岗丙别卡赛东满杏相丘罕养晃令龙秀冒宽蚌掌朗"
_HILL = [
    "邦瓦", "帮角", "拱岭", "吾帕", "石板", "回龙", "龙门", "红岩", "大寨", "新寨", "中寨",
    "河头", "黄草坝", "松坡", "茶山", "营盘", "三角岩", "竹林", "麻栗坝", "香菜塘", "勐广",
    "弯丹", "芒究", "卡昔", "允燕", "坪山", "杉木笼", "大坪子", "核桃坪", "岗巴", "木瓜坝",
    "古城", "新民", "团坡", "横山", "龙塘", "板栗坡", "南林", "帕浪", "邦外", "勒门",
    "硝厂沟", "马鹿塘", "蚌洪", "丝光坪", "棒蚌", "岔河", "雪梨", "老官城", "户瓦", "曼东",
    "邦达", "苏家寨", "茂竹林", "梁子头", "大田坝", "弄贤", "石梯", "卡牙", "勐典",
]  # fmt: skip
_COMMUNITY = [
    "团结", "民族", "金龙", "新城", "菩提", "光明", "幸福", "东方", "朝阳", "青年", "河滨",
    "银井", "金湖", "和平", "文化", "兴边", "振兴", "勐焕", "凤凰", "孔雀", "芒冒", "姐告",
    "建设", "育才", "南湖",
]  # fmt: skip
_NUMERALS = "一二三四五六七八九十"


@dataclass
class VillageSpec:
    code: str  # 12 digits
    name: str
    township: Township
    community: bool
    lat: float  # WGS-84, the true position
    lng: float
    datum: str  # datum in which the check-in point is stored
    stored_lat: float
    stored_lng: float
    radius_m: int
    former_poor: bool = False
    relocation: bool = False
    border: bool = False
    key_village: bool = False
    weak_village: bool = False
    groups: list[tuple[str, str]] = field(default_factory=list)  # (15-digit code, name)

    @property
    def is_cat3(self) -> bool:
        return self.former_poor or self.relocation or self.border


# ---- datum conversion (WGS-84 → GCJ-02, the published approximation) ---------------------

_A = 6378245.0
_EE = 0.00669342162296594323


def _t_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _t_lng(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    d_lat = _t_lat(lng - 105.0, lat - 35.0)
    d_lng = _t_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sq = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sq) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sq * math.cos(rad) * math.pi)
    return lat + d_lat, lng + d_lng


# ---- villages ------------------------------------------------------------------------------


def _village_name(rng: random.Random, t: Township, community: bool, used: set[str]) -> str:
    for _ in range(500):
        if community and rng.random() < 0.6:
            stem = rng.choice(_COMMUNITY)
        elif t.mountain and rng.random() < 0.6:
            stem = rng.choice(_HILL)
        elif rng.random() < 0.85:
            stem = rng.choice(_DAI_1) + rng.choice(_DAI_2)
        else:
            stem = rng.choice(_HILL)
        name = stem + ("社区" if community else "村")
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("村名用尽")  # pragma: no cover


def _counts(scale: float) -> dict[str, int]:
    return {t.code: max(MIN_VILLAGES_PER_TOWNSHIP, round(t.villages * scale)) for t in TOWNSHIPS}


def villages(scale: float = 1.0) -> list[VillageSpec]:
    """All demo villages in code order. The same villages (and names) at every scale: a smaller
    scale keeps the first villages of every township."""
    rng = random.Random(GEO_SEED)
    counts = _counts(scale)
    used: set[str] = set()
    result: list[VillageSpec] = []
    for t in TOWNSHIPS:
        n_community = t.villages if t.kind == "街道" else 1 if t.kind == "镇" else 0
        for i in range(t.villages):
            community = i < n_community
            code = t.code + (f"{i + 1:03d}" if community else f"{200 + i - n_community + 1:03d}")
            name = _village_name(rng, t, community, used)
            spread = 0.02 if community else 0.07
            lat = min(max(t.lat + rng.uniform(-spread, spread), 23.85), 25.28)
            lng = min(max(t.lng + rng.uniform(-spread, spread), 97.55), 98.88)
            datum = "GCJ-02" if rng.random() < 0.5 else "WGS-84"
            s_lat, s_lng = wgs84_to_gcj02(lat, lng) if datum == "GCJ-02" else (lat, lng)
            v = VillageSpec(
                code=code,
                name=name,
                township=t,
                community=community,
                lat=lat,
                lng=lng,
                datum=datum,
                stored_lat=round(s_lat, 6),
                stored_lng=round(s_lng, 6),
                radius_m=rng.choice([300, 400, 500, 500, 600, 800]),
            )
            _categorise(rng, v)
            if rng.random() < 0.3 or v.code in FORCED_GROUPS:
                stem = name[:-2] if community else name[:-1]
                v.groups = [
                    (f"{code}{k:03d}", f"{stem}{_NUMERALS[k - 1]}组")
                    for k in range(1, rng.randint(3, 7) + 1)
                ]
            for flag, value in FORCED_CATEGORIES.get(code, {}).items():
                setattr(v, flag, value)
            if i < counts[t.code]:
                result.append(v)
    return result


def _categorise(rng: random.Random, v: VillageSpec) -> None:
    t = v.township
    if t.border and rng.random() < (0.3 if v.community else 0.55):
        v.border = True
    poor = 0.0 if t.kind == "街道" else 0.33 if t.mountain else 0.12
    v.former_poor = rng.random() < poor
    v.relocation = not v.community and rng.random() < (0.08 if t.mountain else 0.03)
    v.key_village = rng.random() < (0.15 if v.is_cat3 else 0.05)
    v.weak_village = rng.random() < 0.07
