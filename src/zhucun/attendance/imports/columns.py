"""MGT.1.CHECKIN: the columns of a sheet of check-ins made with another app (the 「云岭先锋」
export or any similar sheet), the cleaners of their cells and the template's texts.

A row names the cadre (姓名 and/or 身份证号), the moment (签到时间), the position (纬度, 经度)
and its coordinate system (坐标系: WGS-84, GCJ-02 or BD-09, in the spellings offices use);
定位精度, 签到地址, 上传时间 and 设备号 are optional. Each column also answers to the headers
other apps and offices write (``ALIASES``)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhucun.registry import validation as v
from zhucun.registry.imports.samples import id_number_with_check

KIND = "checkins"
LABEL = "签到记录(其他APP)"
DATUMS = ["WGS-84", "GCJ-02", "BD-09"]
DATUM_TEXT = "WGS-84(手机GPS原始坐标)、GCJ-02(国测局坐标:高德、腾讯地图)或BD-09(百度地图)"
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099  # plausible years of a record (input bounds)

# the words offices and apps use for each coordinate system, compared in lower case without
# spaces, hyphens, brackets or a trailing 坐标系/坐标
_DATUM_WORDS = {
    "WGS-84": {"wgs84", "wgs", "gps", "gps原始", "原始", "地球", "大地", "wgs84经纬度"},
    "GCJ-02": {
        "gcj02",
        "gcj",
        "国测局",
        "火星",
        "国家测绘局",
        "高德",
        "高德地图",
        "腾讯",
        "腾讯地图",
        "高德腾讯",
    },
    "BD-09": {"bd09", "bd09ll", "bd", "百度", "百度地图", "百度经纬度"},
}
_DATUM_NOISE = re.compile(r"[\s\-_()()·.]")


def datum(value: Any) -> str:
    s = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    if not s:
        raise v.FieldError(f"不能为空,应为:{DATUM_TEXT}")
    key = _DATUM_NOISE.sub("", s.lower())
    for suffix in ("坐标系统", "坐标系", "坐标"):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    for name, words in _DATUM_WORDS.items():
        if key in words:
            return name
    raise v.FieldError(f"坐标系“{s[:20]}”无法识别,应为:{DATUM_TEXT}")


_STAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)


def _parse(text: str) -> tuple[dt.datetime | None, bool]:
    """(moment or None, whether a time of day was given)."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = s.replace("年", "-").replace("月", "-").replace("日", " ").replace("/", "-")
    s = s.replace("时", ":").replace("点", ":").replace("分", ":").replace("秒", "")
    s = re.sub(r":(\s|$)", r"\1", s).strip()
    m = _STAMP.fullmatch(s)
    if m is None:
        return None, False
    y, mo, d, hh, mm, ss, frac, zone = m.groups()
    if hh is None:
        return None, False
    try:
        moment = dt.datetime(
            int(y),
            int(mo),
            int(d),
            int(hh),
            int(mm),
            int(ss or 0),
            int((frac or "0").ljust(6, "0")),
        )
    except ValueError:
        return None, True
    if zone:
        zone = zone if zone != "Z" else "+00:00"
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment = moment.replace(tzinfo=dt.timezone(sign * offset))
    return moment, True


def moment(value: Any, *, required: bool = True) -> dt.datetime | None:
    """A date and time of day: an Excel date-time cell, or text such as 2025-03-03 08:30,
    2025/3/3 8:30:15, 2025年3月3日 8时30分, ISO 8601 with its offset. Without a zone it is local
    time (``TIME_ZONE``). Rounded to the whole second (Excel stores fractions of a day)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise v.FieldError("不能为空,请填写签到的日期和时间,如2025-03-03 08:30")
        return None
    if isinstance(value, dt.datetime):
        found: dt.datetime | None = value
    elif isinstance(value, dt.date):
        raise v.FieldError("只有日期,没有时刻;请填写签到的日期和时间,如2025-03-03 08:30")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raise v.FieldError(f"“{value}”不是日期时间;请把该列设为日期时间格式,或写成2025-03-03 08:30")
    else:
        found, has_time = _parse(str(value))
        if found is None:
            reason = "日期或时刻无效" if has_time else "格式无法识别"
            raise v.FieldError(f"“{str(value)[:30]}”{reason},应写成日期和时间,如2025-03-03 08:30")
    assert found is not None
    if timezone.is_naive(found):
        found = timezone.make_aware(found, timezone.get_default_timezone())
    found = (found + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    local = timezone.localtime(found)
    if not EARLIEST_YEAR <= local.year <= LATEST_YEAR:
        raise v.FieldError(f"年份{local.year}不合理,应在{EARLIEST_YEAR}年至{LATEST_YEAR}年之间")
    return found


def accuracy(value: Any) -> float | None:
    """Metres, > 0; "15米", "15 m" are read too."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().lower()
    s = re.sub(r"\s*(米|m)$", "", s)
    try:
        metres = float(Decimal(s))
    except (ArithmeticError, ValueError):
        raise v.FieldError(f"“{str(value)[:20]}”不是数字(单位:米)") from None
    if not (math.isfinite(metres) and metres > 0):
        raise v.FieldError("应为大于0的数字(单位:米)")
    return metres


def id_number(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return v.id_number(value)


SPEC: v.FieldSpec = {
    "name": ("姓名", lambda x: v.identity_text(x, max_length=32, required=False)),
    "id_number": ("身份证号", id_number),
    "time": ("签到时间", moment),
    "lat": ("纬度", lambda x: v.coordinate(x, kind="lat", required=True)),
    "lng": ("经度", lambda x: v.coordinate(x, kind="lng", required=True)),
    "datum": ("坐标系", datum),
    "accuracy": ("定位精度(米)", accuracy),
    "address": ("签到地址", lambda x: v.text(x, max_length=200, required=False)),
    "received": ("上传时间", lambda x: moment(x, required=False)),
    "device": ("设备号", lambda x: v.text(x, max_length=128, required=False)),
}

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("干部姓名", "人员姓名", "签到人", "签到人员", "用户姓名", "真实姓名", "名字"),
    "id_number": ("身份证号码", "公民身份号码", "身份证", "证件号码", "证件号", "身份证件号码"),
    "time": ("打卡时间", "签到日期时间", "签到时刻", "定位时间", "时间", "签到日期"),
    "lat": ("纬度坐标", "北纬", "latitude", "Latitude", "LATITUDE", "lat", "Lat", "LAT"),
    "lng": (
        "经度坐标",
        "东经",
        "longitude",
        "Longitude",
        "LONGITUDE",
        "lng",
        "Lng",
        "LNG",
        "lon",
        "Lon",
        "LON",
    ),
    "datum": ("坐标系统", "坐标类型", "坐标体系", "坐标系类型", "坐标系统类型"),
    "accuracy": ("精度", "定位精度", "精度(米)", "定位误差", "误差(米)", "定位误差(米)"),
    "address": ("地址", "签到地点", "签到位置", "位置", "详细地址", "打卡地点", "打卡地址"),
    "received": ("上报时间", "接收时间", "同步时间", "服务器时间", "提交时间"),
    "device": ("设备标识", "设备编号", "设备ID", "设备id", "手机标识", "设备"),
}

HELP: dict[str, str] = {
    "name": "干部姓名;须在您管辖范围内当前在岗的驻村干部中唯一,重名时请填写身份证号",
    "id_number": "18位身份证号(与姓名至少填一项;都填时须一致);请将该列设为文本格式",
    "time": "签到的日期和时间,如2025-03-03 08:30(也可写2025/3/3 8:30、2025年3月3日 8时30分);"
    "按北京时间",
    "lat": "签到位置纬度,如24.256(小数度)",
    "lng": "签到位置经度,如98.276(小数度)",
    "datum": f"坐标所用的坐标系,可填:{DATUM_TEXT};也可写wgs84、gcj02、国测局、百度等",
    "accuracy": "APP记录的定位精度(误差,米);不填按“定位精度不足”处理,须乡镇核实认可后才计入在岗",
    "address": "APP记录的签到地址(可不填)",
    "received": "APP服务器收到该签到的时间(可不填,不填视为签到时即已上传);"
    "晚于签到时间超过补传时限的,与本系统一样不计入在岗并提示核查",
    "device": "签到所用设备的编号(可不填;填写后可发现多人共用一部手机签到)",
}

_EX_ID = id_number_with_check("53310319900517001")
EXAMPLE: dict[str, str] = {
    "name": "张示例",
    "id_number": _EX_ID,
    "time": "2025-03-03 08:30:00",
    "lat": "24.256",
    "lng": "98.276",
    "datum": "GCJ-02",
    "accuracy": "15",
    "address": "芒市遮放镇弄坎村村委会",
    "received": "",
    "device": "",
}

KEY_NOTE = "同一来源、同一干部、同一签到时间和坐标的记录只保存一次"

NOTES = [
    "1. 在第一个工作表中从第3行起每行填写一条签到记录;第2行灰色斜体为示例,导入时自动忽略,"
    "可以删除。“云岭先锋”等APP导出的表格可直接导入:列名可用常见写法(如“打卡时间”“精度”),"
    "表中其他列会被忽略;“序号”列会被忽略。红色列名为必填列。",
    "2. 每行须能确定一名干部:填写“身份证号”,或只填“姓名”(须在您管辖范围内当前在岗的驻村干部中唯一,"
    "重名时须填身份证号)。只能导入您管辖范围内当前在岗的驻村干部的签到,且不早于其到岗日期。",
    "3. 坐标系须如实填写:手机GPS原始坐标为WGS-84,高德、腾讯地图为GCJ-02(国测局坐标),"
    "百度地图为BD-09。系统换算后按与本系统签到完全相同的规则判定(签到范围、定位精度、补传时限、"
    "异常签到提示,MGT.1.CHECKIN、MGT.1.FRAUD)。",
    "4. 超出签到范围、定位精度不足的签到不是错误:与本系统的签到一样保存,须乡镇核实认可后才计入在岗。"
    "未填“定位精度”的按定位精度不足处理,请尽量一并导出精度。",
    "5. 导入前系统会检查每一行,只要有一行有错误(干部无法确定或不在管辖范围内、坐标或时间有误、"
    "所在年份的节假日安排尚未录入、文件内重复等),整个文件都不会导入;"
    "请按错误报告(行号、列名、原因)改正后重新导入整个文件。",
    f"6. {KEY_NOTE}:重复导入同一文件不会重复记录,结果中显示为“已导入过”。导入时须填写数据来源"
    "(如“云岭先锋”),同一APP的记录请始终使用同一来源名称。",
    "7. 身份证号请将单元格设为“文本”格式;也可以保存为CSV(UTF-8或GBK编码)导入。",
]
