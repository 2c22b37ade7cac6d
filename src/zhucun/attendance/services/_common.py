"""Helpers shared by the attendance services: input cleaning, the actor's posting, months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from zhucun.accounts.models import CADRE_ROLES, User
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy import Finding
from zhucun.registry.models import Posting, PostingStatus


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def month_end(d: dt.date) -> dt.date:
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def months_of(days: Iterable[dt.date]) -> list[dt.date]:
    return sorted({month_start(d) for d in days})


def parse_date(value: Any, field: str, errors: dict[str, str], label: str) -> dt.date | None:
    from zhucun.registry.validation import FieldError, date_in_bounds

    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except (TypeError, ValueError):
            errors[field] = f"{label}格式无效,应为YYYY-MM-DD"
            return None
    try:  # not before 2000, not years ahead (registry.validation.EVENT_FLOOR)
        return date_in_bounds(day)
    except FieldError as exc:
        errors[field] = f"{label}{exc}"
        return None


def text(
    value: Any,
    field: str,
    errors: dict[str, str],
    label: str,
    *,
    max_len: int,
    required: bool = True,
) -> str:
    s = str(value or "").strip()
    if required and not s:
        errors[field] = f"请填写{label}"
    elif len(s) > max_len:
        errors[field] = f"{label}不能超过{max_len}个字"
    elif any((ord(ch) < 32 and ch not in "\n\r\t") or 0x7F <= ord(ch) <= 0x9F for ch in s):
        errors[field] = f"{label}含有控制字符"
    return s


def cadre_posting(actor: User, *, lock: bool = False) -> Posting:
    """The actor's active posting (the actor must be a cadre user: FS or TM)."""
    if actor.role not in CADRE_ROLES or not actor.cadre_id:
        raise Forbidden("只有驻村干部(第一书记、工作队员)本人可以办理")
    qs = Posting.objects.filter(cadre_id=actor.cadre_id, status=PostingStatus.ACTIVE)
    if lock:
        qs = qs.select_for_update(of=("self",))
    posting = qs.select_related("cadre", "village__jurisdiction", "village__township").first()
    if posting is None:
        raise Forbidden("您当前没有在岗的驻村任职")
    return posting


def findings_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    from zhucun.audit.services import to_jsonable

    return [to_jsonable(f.to_dict()) for f in findings]


def raise_errors(findings: Iterable[Finding], message: str = "不符合规定") -> None:
    errs = [f for f in findings if f.severity == "error"]
    if errs:
        out: dict[str, str] = {}
        for f in errs:
            out[f.clause] = out[f.clause] + ";" + f.message if f.clause in out else f.message
        raise ValidationFailed(out, message=message)
