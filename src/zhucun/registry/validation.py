"""Field-level cleaning shared by services, imports and the API: raw values in, typed values
or a Chinese reason out. One definition per field, so a rule is never written twice."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from .models import (
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


class FieldError(ValueError):
    pass


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
TRUE_WORDS = {"是", "有", "true", "1", "yes", "y", "√", "✓"}
FALSE_WORDS = {"否", "无", "false", "0", "no", "n", ""}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# bidirectional controls and zero-width characters (all of Unicode category Cf, which also
# holds the soft hyphen, invisible operators and tag characters): they make two different
# names or codes look the same, or reorder what a reader sees
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
INVISIBLE_MESSAGE = "含有不可见字符(如零宽字符或双向控制符)"
# a spreadsheet program reads a cell beginning with one of these as a formula
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_MESSAGE = "不能以 = + - @ 或制表符开头(防止表格公式注入)"
LINE_BREAK_MESSAGE = "不能含有制表符或换行符"


def has_invisible(s: str) -> bool:
    return any(
        ch in BIDI_CONTROLS or ch in ZERO_WIDTH or unicodedata.category(ch) == "Cf" for ch in s
    )


def identity_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a name or identifier (None when it can): a leading = + - @ tab or
    CR (spreadsheet formula injection, also after leading spaces), a tab or line break
    inside, or an invisible character."""
    if has_invisible(raw):
        return INVISIBLE_MESSAGE
    s = raw.lstrip(" \u3000")
    if s.startswith(FORMULA_LEADS) or s.strip().startswith(FORMULA_LEADS):
        return FORMULA_MESSAGE
    if any(ch in s.strip() for ch in "\t\r\n\v\f\x85\u2028\u2029"):
        return LINE_BREAK_MESSAGE
    return None


def text(value: Any, *, max_length: int, required: bool = True, identity: bool = False) -> str:
    """Trimmed text. Control and invisible characters are refused in every text; with
    ``identity`` (names, posts, codes — what identifies a person, a unit or a place and what
    the exports print) also a value a spreadsheet would take for a formula."""
    raw = "" if value is None else str(value)
    s = raw.strip()
    if _CONTROL.search(s):
        raise FieldError("含有不可见的控制字符,请重新输入")
    if has_invisible(s):
        raise FieldError(INVISIBLE_MESSAGE)
    if identity and (problem := identity_problem(raw)):
        raise FieldError(problem)
    if required and not s:
        raise FieldError("不能为空")
    if len(s) > max_length:
        raise FieldError(f"长度不能超过{max_length}个字符(现为{len(s)})")
    return s


def identity_text(value: Any, *, max_length: int, required: bool = True) -> str:
    """A name or identifier (see ``text``); for other apps' name fields, e.g. users'
    display names."""
    return text(value, max_length=max_length, required=required, identity=True)


def _digits(s: str) -> str:
    """Full-width digits (typed with a Chinese input method) as ASCII; other scripts' digits
    stay as they are and fail the ASCII-only patterns below."""
    return unicodedata.normalize("NFKC", s)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = "" if value is None else str(value).strip().lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise FieldError(f"应填“是”或“否”,而不是“{value}”")


# Dates of what this system manages (arrivals, term ends, leave, check-in days, deadlines,
# milestones, calendar entries, exceptions' validity) cannot fall before the programme's time:
# a date before 2000 is a typing slip (1900-01-01 is what a blank spreadsheet cell gives). A
# person's own history — birth, start of work, full party membership — may lie earlier and
# passes ``earliest=None``. No date lies more than settings.ZHUCUN_MAX_YEARS_AHEAD years ahead.
EVENT_FLOOR = dt.date(2000, 1, 1)


def _latest() -> dt.date:
    from django.conf import settings
    from django.utils import timezone

    today = timezone.localdate()
    years = int(getattr(settings, "ZHUCUN_MAX_YEARS_AHEAD", 10))
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def date_in_bounds(day: dt.date, *, earliest: dt.date | None = EVENT_FLOOR) -> dt.date:
    """``day`` if plausible, else a FieldError in Chinese (see EVENT_FLOOR)."""
    if earliest is not None and day < earliest:
        raise FieldError(f"不能早于{earliest.year}年{earliest.month}月{earliest.day}日,请检查年份")
    latest = _latest()
    if day > latest:
        raise FieldError(f"不能晚于{latest.year}年{latest.month}月{latest.day}日,请检查年份")
    return day


def date(
    value: Any, *, required: bool = True, earliest: dt.date | None = EVENT_FLOOR
) -> dt.date | None:
    """A date from "YYYY-MM-DD", "YYYY年M月D日", "YYYY/M/D", "YYYYMMDD" or a date object, within
    the plausible bounds (``earliest``; see EVENT_FLOOR)."""
    if isinstance(value, dt.datetime):
        return date_in_bounds(value.date(), earliest=earliest)
    if isinstance(value, dt.date):
        return date_in_bounds(value, earliest=earliest)
    s = "" if value is None else str(value).strip()
    if not s:
        if required:
            raise FieldError("不能为空")
        return None
    s = (
        s.replace("年", "-")
        .replace("月", "-")
        .replace("日", "")
        .replace("/", "-")
        .replace(".", "-")
    )
    if re.fullmatch(r"\d{8}", s):
        s = f"{s[:4]}-{s[4:6]}-{s[6:]}"
    try:
        day = dt.date.fromisoformat("-".join(p.zfill(2) for p in s.split("-")))
    except ValueError:
        raise FieldError(f"日期格式应为YYYY-MM-DD,“{value}”无法识别") from None
    return date_in_bounds(day, earliest=earliest)


def personal_date(value: Any, *, required: bool = True) -> dt.date | None:
    """A date of a person's own history (birth, start of work, party membership): no floor."""
    return date(value, required=required, earliest=None)


def choice(value: Any, choices: type, *, required: bool = True) -> str:
    """Accepts either the code or the Chinese label of a TextChoices."""
    s = "" if value is None else str(value).strip()
    if not s and not required:
        return ""
    for code, label in choices.choices:
        if s in (code, label):
            return code
    allowed = "、".join(str(label) for code, label in choices.choices if code)
    raise FieldError(f"“{s}”不是有效值,应为:{allowed}" if s else f"不能为空,应为:{allowed}")


def id_number(value: Any) -> str:
    s = _digits(text(value, max_length=18)).upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", s):
        raise FieldError("身份证号应为18位(最后一位可为X)")
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != s[17]:
        raise FieldError("身份证号校验位不正确")
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise FieldError("身份证号中的出生日期无效") from None
    return s


def id_birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def phone(value: Any) -> str:
    s = _digits(text(value, max_length=20, required=False)).replace(" ", "").replace("-", "")
    if s and not re.fullmatch(r"1[3-9][0-9]{9}|0[0-9]{9,11}", s):
        raise FieldError(f"“{value}”不是有效的手机号或座机号")
    return s


def division_code(value: Any) -> str:
    s = _digits(text(value, max_length=15))
    if not re.fullmatch(r"[0-9]{12}|[0-9]{15}", s):
        raise FieldError("区划代码应为12位数字(村民小组为15位)")
    return s


def coordinate(value: Any, *, kind: str, required: bool = False) -> Decimal | None:
    if value is None or str(value).strip() == "":
        if required:
            raise FieldError("不能为空")
        return None
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise FieldError(f"“{value}”不是数字") from None
    # China's extent: latitude 3.8–53.6 N, longitude 73.5–135.1 E.
    low, high = (
        (Decimal("3.8"), Decimal("53.6")) if kind == "lat" else (Decimal("73.5"), Decimal("135.1"))
    )
    if not low <= d <= high:
        name = "纬度" if kind == "lat" else "经度"
        raise FieldError(f"{name}{d}超出中国境内范围({low}~{high}),请检查是否填反或漏填小数点")
    return d.quantize(Decimal("0.000001"))


def positive_int(value: Any, *, required: bool = False, maximum: int = 100_000) -> int | None:
    if value is None or str(value).strip() == "":
        if required:
            raise FieldError("不能为空")
        return None
    try:
        n = (
            int(str(value).strip().split(".")[0])
            if str(value).strip().endswith(".0")
            else int(str(value).strip())
        )
    except ValueError:
        raise FieldError(f"“{value}”不是整数") from None
    if not 0 < n <= maximum:
        raise FieldError(f"应在1~{maximum}之间")
    return n


def village_needs(value: Any) -> list[str]:
    """SEL.METHOD.NEED: 村需求 — a list, or a text of codes or Chinese labels separated by 、
    (or ,;), as codes in catalogue order; empty is no need."""
    from zhucun.policy.needs import parse_needs

    if value is None or isinstance(value, list | tuple):
        items = list(value or [])
        if not all(isinstance(item, str) for item in items):
            raise FieldError("村需求应为文字列表")
        if sum(len(item) for item in items) > 500:
            raise FieldError("村需求过长")
        for item in items:
            text(item, max_length=32, required=False)
        source: Any = items
    else:
        source = text(value, max_length=500, required=False)
    try:
        return list(parse_needs(source))
    except ValueError as exc:
        raise FieldError(str(exc)) from None


FieldSpec = dict[str, tuple[str, Callable[[Any], Any]]]

# field → (Chinese column header, cleaner)
JURISDICTION_FIELDS: FieldSpec = {
    "code": ("区划代码", division_code),
    "name": ("名称", lambda v: identity_text(v, max_length=64)),
    "level": ("层级", lambda v: choice(v, Level)),
    "parent_code": ("上级区划代码", lambda v: identity_text(v, max_length=15, required=False)),
}

VILLAGE_FIELDS: FieldSpec = {
    "former_poor": ("原建档立卡贫困村", boolean),
    "relocation": ("易地扶贫搬迁安置村", boolean),
    "border": ("抵边村", boolean),
    "key_village": ("重点村", boolean),
    "weak_village": ("薄弱村", boolean),
    "checkin_lat": ("签到点纬度", lambda v: coordinate(v, kind="lat")),
    "checkin_lng": ("签到点经度", lambda v: coordinate(v, kind="lng")),
    "checkin_datum": ("坐标系", lambda v: choice(v or Datum.WGS84, Datum)),
    "checkin_radius_m": ("签到半径(米)", lambda v: positive_int(v, maximum=20_000)),
    "needs": ("村需求", village_needs),
}

UNIT_FIELDS: FieldSpec = {
    "name": ("单位名称", lambda v: identity_text(v, max_length=100)),
    "level": ("层级", lambda v: choice(v, UnitLevel)),
    "kind": ("性质", lambda v: choice(v, UnitKind)),
    "jurisdiction_code": (
        "所在地区代码",
        lambda v: identity_text(v, max_length=15, required=False),
    ),
    "lat": ("纬度", lambda v: coordinate(v, kind="lat")),
    "lng": ("经度", lambda v: coordinate(v, kind="lng")),
    "address": ("地址", lambda v: text(v, max_length=200, required=False)),
}

CADRE_FIELDS: FieldSpec = {
    "name": ("姓名", lambda v: identity_text(v, max_length=32)),
    "gender": ("性别", lambda v: choice(v, Gender)),
    "ethnicity": ("民族", lambda v: identity_text(v, max_length=16)),
    "id_number": ("身份证号", id_number),
    "phone": ("手机号", phone),
    "birth_date": ("出生日期", personal_date),
    "education": ("学历", lambda v: identity_text(v, max_length=16, required=False)),
    "unit_name": ("派出单位", lambda v: identity_text(v, max_length=100)),
    "post": ("单位职务", lambda v: identity_text(v, max_length=64, required=False)),
    "party_status": ("政治面貌", lambda v: choice(v, PartyStatus)),
    "full_member_since": ("转正日期", lambda v: personal_date(v, required=False)),
    "work_start_date": ("参加工作时间", personal_date),
    "occupation": ("职业", lambda v: identity_text(v, max_length=64, required=False)),
    "occupation_code": ("职业类别", lambda v: choice(v, OccupationCode, required=False)),
    "health_fit": ("身体条件适宜驻村", boolean),
    "family_hardship": ("家庭存在特殊困难", boolean),
    "spouse_id_number": ("配偶身份证号", lambda v: id_number(v) if str(v or "").strip() else ""),
    "is_xuandiao": ("选调生", boolean),
    "tech_commissioner": ("科技特派员", boolean),
    "talent_program": ("万名人才兴万村", boolean),
    "rural_experience": ("有农村工作经验", boolean),
    "agri_specialty": ("有涉农专业技术特长", boolean),
    "retired": ("已退休", boolean),
    "age_exception": ("年龄例外(从领导岗位调整)", boolean),
    "age_exception_note": ("年龄例外说明", lambda v: text(v, max_length=200, required=False)),
}

POSTING_FIELDS: FieldSpec = {
    "id_number": ("身份证号", id_number),
    "village_code": ("村(社区)区划代码", division_code),
    "role": ("驻村职务", lambda v: choice(v, Role)),
    "arrival_date": ("到岗日期", date),
    "planned_end": ("计划期满日期", lambda v: date(v, required=False)),
    "actual_end": ("实际结束日期", lambda v: date(v, required=False)),
    "status": ("状态", lambda v: choice(v or PostingStatus.ACTIVE, PostingStatus)),
}


def clean(
    spec: FieldSpec, data: dict[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean ``data`` by ``spec``. Returns (cleaned, errors by field). With ``partial`` only the
    fields present in ``data`` are cleaned (for updates)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, (_label, cleaner) in spec.items():
        if partial and field not in data:
            continue
        try:
            cleaned[field] = cleaner(data.get(field))
        except FieldError as exc:
            errors[field] = str(exc)
    unknown = set(data) - set(spec)
    for field in sorted(unknown):
        errors[field] = "未知字段"
    return cleaned, errors


def cadre_cross_checks(c: dict[str, Any]) -> dict[str, str]:
    """Checks between fields of one cadre record."""
    errors: dict[str, str] = {}
    if (
        c.get("id_number")
        and c.get("birth_date")
        and id_birth_date(c["id_number"]) != c["birth_date"]
    ):
        errors["birth_date"] = (
            f"出生日期{c['birth_date']}与身份证号中的{id_birth_date(c['id_number'])}不一致"
        )
    if c.get("party_status") == PartyStatus.FULL and not c.get("full_member_since"):
        errors["full_member_since"] = "正式党员须填写转正日期"
    if c.get("party_status") in (PartyStatus.NONE, PartyStatus.PROBATIONARY) and c.get(
        "full_member_since"
    ):
        errors["full_member_since"] = "非正式党员不应填写转正日期"
    if c.get("birth_date") and c.get("work_start_date") and c["work_start_date"] <= c["birth_date"]:
        errors["work_start_date"] = "参加工作时间不能早于出生日期"
    if c.get("spouse_id_number") and c.get("spouse_id_number") == c.get("id_number"):
        errors["spouse_id_number"] = "配偶不能是本人"
    return errors


def posting_cross_checks(c: dict[str, Any]) -> dict[str, str]:
    """Checks between the dates and status of one posting record."""
    errors: dict[str, str] = {}
    arrival = c.get("arrival_date")
    if arrival and c.get("planned_end") and c["planned_end"] <= arrival:
        errors["planned_end"] = "计划期满日期应晚于到岗日期"
    if arrival and c.get("actual_end") and c["actual_end"] < arrival:
        errors["actual_end"] = "实际结束日期不能早于到岗日期"
    if c.get("status") == PostingStatus.ENDED and not c.get("actual_end"):
        errors["actual_end"] = "已结束的任职须填写实际结束日期"
    return errors


def label_of(spec: FieldSpec, field: str) -> str:
    return spec[field][0] if field in spec else field
