"""The sizes of each scale and the geography they are drawn in.

``tiny`` (tests) and ``prefecture`` generate 德宏州 (533100, the parameter file's home
jurisdiction); ``province`` the 16 prefecture-level units of 云南 with their real codes, names,
seats and numbers of county-level units; ``national`` 31 provinces, 云南 as in ``province`` and
the others with invented prefectures inside a rough box of the province. The registry has no
province level (``Level`` starts at 州), so a province exists only as the first two digits of
its prefectures' codes; prefectures are the roots of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    label: str
    provinces: tuple[str, ...]  # two-digit codes, in order
    only_prefecture: str = ""  # four-digit code: generate just this prefecture
    county_limit: int = 0  # keep only the first N counties of each prefecture (0: all)
    prefectures: tuple[int, int] = (0, 0)  # per invented province (min, max)
    counties: tuple[int, int] = (0, 0)  # per invented prefecture (min, max)
    townships: tuple[int, int] = (10, 10)  # per county
    villages: tuple[int, int] = (6, 6)  # per township
    team_sizes: tuple[tuple[int, float], ...] = ((4, 1.0),)  # people per village: weight
    sqlite: bool = False  # allowed on SQLite


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale(
            "tiny",
            "测试(2个乡镇)",
            ("53",),
            "5331",
            county_limit=1,
            townships=(2, 2),
            villages=(5, 5),
            sqlite=True,
        ),
        Scale("prefecture", "州(市)级", ("53",), "5331", sqlite=True),
        Scale(
            "province",
            "省级",
            ("53",),
            townships=(8, 14),
            villages=(7, 13),
            team_sizes=((3, 0.65), (4, 0.29), (5, 0.06)),
        ),
        Scale(
            "national",
            "全国",
            (),  # every province of PROVINCES
            prefectures=(9, 12),
            counties=(7, 10),
            townships=(10, 17),
            villages=(5, 8),
            team_sizes=((3, 0.45), (4, 0.45), (5, 0.1)),
        ),
    )
}
SQLITE_SCALES = tuple(name for name, s in SCALES.items() if s.sqlite)


@dataclass(frozen=True)
class Province:
    code: str  # 2 digits
    name: str  # full name, e.g. 云南省
    lat: tuple[float, float]  # rough box of the populated part (WGS-84)
    lng: tuple[float, float]
    border: bool  # has a land border


PROVINCES = [
    Province("11", "北京市", (39.6, 40.6), (115.8, 117.2), False),
    Province("12", "天津市", (38.7, 40.0), (116.8, 117.8), False),
    Province("13", "河北省", (36.3, 41.5), (114.0, 119.5), False),
    Province("14", "山西省", (35.0, 40.5), (110.5, 114.0), False),
    Province("15", "内蒙古自治区", (40.0, 46.0), (108.0, 122.0), True),
    Province("21", "辽宁省", (39.5, 42.5), (120.0, 125.0), True),
    Province("22", "吉林省", (42.0, 45.5), (122.5, 129.5), True),
    Province("23", "黑龙江省", (45.0, 49.0), (124.0, 132.0), True),
    Province("31", "上海市", (30.8, 31.6), (121.0, 121.9), False),
    Province("32", "江苏省", (31.0, 34.5), (117.0, 121.0), False),
    Province("33", "浙江省", (27.5, 30.8), (118.5, 122.0), False),
    Province("34", "安徽省", (29.5, 34.5), (115.0, 119.0), False),
    Province("35", "福建省", (24.0, 27.8), (116.0, 119.8), False),
    Province("36", "江西省", (24.8, 29.8), (114.0, 117.8), False),
    Province("37", "山东省", (34.5, 37.8), (115.0, 122.0), False),
    Province("41", "河南省", (32.0, 36.0), (111.0, 116.0), False),
    Province("42", "湖北省", (29.5, 32.8), (109.0, 116.0), False),
    Province("43", "湖南省", (25.0, 30.0), (109.0, 114.0), False),
    Province("44", "广东省", (21.5, 25.0), (110.5, 116.5), False),
    Province("45", "广西壮族自治区", (21.8, 26.0), (105.5, 111.5), True),
    Province("46", "海南省", (18.3, 20.0), (108.7, 111.0), False),
    Province("50", "重庆市", (28.5, 31.8), (105.5, 110.0), False),
    Province("51", "四川省", (26.5, 33.5), (101.0, 108.5), False),
    Province("52", "贵州省", (24.8, 29.0), (104.0, 109.3), False),
    Province("53", "云南省", (21.15, 29.25), (97.53, 106.19), True),
    Province("54", "西藏自治区", (28.0, 32.0), (85.0, 97.0), True),
    Province("61", "陕西省", (32.0, 39.0), (106.0, 110.5), False),
    Province("62", "甘肃省", (33.0, 40.0), (97.0, 107.0), True),
    Province("63", "青海省", (34.0, 38.5), (96.0, 102.5), False),
    Province("64", "宁夏回族自治区", (35.5, 39.0), (105.0, 107.0), False),
    Province("65", "新疆维吾尔自治区", (36.5, 47.0), (76.0, 90.0), True),
]
PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}


@dataclass(frozen=True)
class RealPrefecture:
    code: str  # 4 digits
    name: str
    lat: float  # seat, WGS-84
    lng: float
    counties: int  # county-level units
    border: bool  # borders Myanmar, Laos or Vietnam


YUNNAN = [
    RealPrefecture("5301", "昆明市", 25.0406, 102.7123, 14, False),
    RealPrefecture("5303", "曲靖市", 25.4900, 103.7962, 9, False),
    RealPrefecture("5304", "玉溪市", 24.3518, 102.5437, 9, False),
    RealPrefecture("5305", "保山市", 25.1120, 99.1618, 5, True),
    RealPrefecture("5306", "昭通市", 27.3381, 103.7172, 11, False),
    RealPrefecture("5307", "丽江市", 26.8721, 100.2299, 5, False),
    RealPrefecture("5308", "普洱市", 22.7773, 100.9722, 10, True),
    RealPrefecture("5309", "临沧市", 23.8864, 100.0870, 8, True),
    RealPrefecture("5323", "楚雄彝族自治州", 25.0419, 101.5461, 10, False),
    RealPrefecture("5325", "红河哈尼族彝族自治州", 23.3639, 103.3756, 13, True),
    RealPrefecture("5326", "文山壮族苗族自治州", 23.3695, 104.2440, 8, True),
    RealPrefecture("5328", "西双版纳傣族自治州", 22.0017, 100.7979, 3, True),
    RealPrefecture("5329", "大理白族自治州", 25.6065, 100.2676, 12, False),
    RealPrefecture("5331", "德宏傣族景颇族自治州", 24.4334, 98.5848, 5, True),
    RealPrefecture("5333", "怒江傈僳族自治州", 25.8176, 98.8543, 4, True),
    RealPrefecture("5334", "迪庆藏族自治州", 27.8269, 99.7065, 3, False),
]
# 德宏's county-level units as they are (code, name, seat, borders Myanmar).
DEHONG_COUNTIES = [
    ("533102", "瑞丽市", 24.0127, 97.8519, True),
    ("533103", "芒市", 24.4334, 98.5848, True),
    ("533122", "梁河县", 24.8044, 98.2964, False),
    ("533123", "盈江县", 24.7056, 97.9318, True),
    ("533124", "陇川县", 24.3368, 97.7919, True),
]
# The tiny scale keeps 芒市 first (the demo's and the tests' county).
DEHONG_COUNTIES_TINY_FIRST = [DEHONG_COUNTIES[1], DEHONG_COUNTIES[0], *DEHONG_COUNTIES[2:]]
HOME_PREFECTURE = "5331"  # the parameter file's home jurisdiction (533100)
