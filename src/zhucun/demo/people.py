"""Synthetic people of the demo: names by ethnicity, ID numbers with a valid check digit and the
birth date inside, mobile numbers. Everything is drawn from the ``random.Random`` passed in."""

from __future__ import annotations

import datetime as dt
import random

# Share of each ethnicity among the demo cadres (德宏: 汉族 about half the population, then 傣族,
# 景颇族, 傈僳族, 阿昌族, 德昂族; a few cadres of other ethnicities from elsewhere in 云南).
ETHNICITIES = [
    ("汉族", 52),
    ("傣族", 21),
    ("景颇族", 13),
    ("傈僳族", 5),
    ("阿昌族", 4),
    ("德昂族", 2),
    ("彝族", 1.5),
    ("白族", 1.5),
]

_HAN_SURNAMES = (
    "李李李王王张张杨杨杨赵赵刘陈陈段段尹杜董何周许郭黄罗孙马朱胡徐高林曹蒋岳寸闫番"
    "沈谢余邓施吕唐雷蔡彭钱冯韩梁邵孟熊苏石"
)
_DAI_SURNAMES = "线线方方孟孟龚刀思郎喊冯朗闷岩晏"
_LISU_SURNAMES = "余余麻李密蔡恒胡褚熊"
_ACHANG_SURNAMES = "曹赵梁杨穆许孙囊"
_DEANG_SURNAMES = "李赵杨王董穆何"
_YI_BAI_SURNAMES = "李杨张段赵字普"
_JINGPO_SURNAMES = [
    "排",
    "岳",
    "木然",
    "勒排",
    "石",
    "何",
    "董",
    "金",
    "雷",
    "孔",
    "祁",
    "麻",
    "沙",
]
_JINGPO_MALE = ["早腊", "麻途", "勒干", "早扎", "早糯", "腊", "干", "诺", "麻糯", "勒崩", "早东"]
_JINGPO_FEMALE = ["木兰", "玛鲁", "南", "途", "扎", "果", "当", "玛冬", "南途", "木锐"]

_MALE_CHARS = "伟强军磊勇涛斌明刚杰鹏超浩华建平志国荣文俊峰海林春晓云龙亮飞宏忠德成昌宇"
_FEMALE_CHARS = "芳娟艳丽敏静燕玲霞红梅兰英萍琼秀娜婷雪莉琳慧琴凤蓉佳晶颖倩洁美丽彩"


def weighted(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _given(rng: random.Random, female: bool) -> str:
    pool = _FEMALE_CHARS if female else _MALE_CHARS
    if rng.random() < 0.25:
        return rng.choice(pool)
    return rng.choice(pool) + rng.choice(pool)


def person_name(rng: random.Random, ethnicity: str, female: bool) -> str:
    if ethnicity == "景颇族":
        surname = rng.choice(_JINGPO_SURNAMES)
        if rng.random() < 0.7:
            return surname + rng.choice(_JINGPO_FEMALE if female else _JINGPO_MALE)
        return surname + _given(rng, female)
    surnames = {
        "傣族": _DAI_SURNAMES,
        "傈僳族": _LISU_SURNAMES,
        "阿昌族": _ACHANG_SURNAMES,
        "德昂族": _DEANG_SURNAMES,
        "彝族": _YI_BAI_SURNAMES,
        "白族": _YI_BAI_SURNAMES,
    }.get(ethnicity, _HAN_SURNAMES)
    return rng.choice(surnames) + _given(rng, female)


# ---- ID numbers (GB 11643) -----------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# 户籍地 of the cadres: mostly the five county-level units of 德宏, some from 保山, 大理, 昆明.
ID_AREAS = [
    ("533103", 26),
    ("533102", 10),
    ("533122", 12),
    ("533123", 16),
    ("533124", 12),
    ("530502", 8),
    ("532901", 6),
    ("530102", 5),
    ("530381", 5),
]


def id_check_digit(body17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random, birth: dt.date, female: bool, used: set[str]) -> str:
    """A unique, valid 18-digit number: the 17th digit is odd for men and even for women."""
    area = weighted(rng, ID_AREAS)
    for _ in range(1000):
        seq = rng.randint(0, 99) * 10 + rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
        body = f"{area}{birth:%Y%m%d}{seq:03d}"
        number = body + id_check_digit(body)
        if number not in used:
            used.add(number)
            return number
    raise RuntimeError("身份证号用尽")  # pragma: no cover


_PHONE_PREFIXES = [
    "139", "138", "137", "136", "135", "150", "151", "152", "157", "158", "159", "182", "183",
    "187", "188", "133", "153", "180", "189", "130", "131", "155", "156", "185", "186", "199",
]  # fmt: skip


def phone(rng: random.Random, used: set[str]) -> str:
    while True:
        number = rng.choice(_PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        if number not in used:
            used.add(number)
            return number


# ---- dates ---------------------------------------------------------------------------------


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_for_age(rng: random.Random, on: dt.date, low: int, high: int) -> dt.date:
    """A birth date such that the person's age on ``on`` lies in [low, high]."""
    latest = add_years(on, -low)
    earliest = add_years(on, -high - 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


EDUCATION = [("大学本科", 68), ("硕士研究生", 10), ("大专", 18), ("中专", 4)]
