"""Allocations and spending recorded against the fund entitlements (GUA.2.FS_FUND,
GUA.2.VILLAGE_FUND, GUA.2.UNIT_FUND).

Writers: the first secretaries' (provincial) and the villages' (prefectural) funds are recorded
by the organisation department of the prefecture or of the county (for the finance office) of
the area the posting is in; a unit's fund by the cadre's own unit. Outside the writer's scope
the cadre or village does not exist (404); a role that may not record gets 403 with the reason.

Amounts are yuan with at most 2 decimals, not negative (a float with more decimals, a bool or
a text that is not a number is refused). Rule (documented choice): the spending recorded for an
entitlement may never exceed what was allocated to it — a record that would make the total
spent exceed the total allocated is refused with the figures (支出不得超过已拨付)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry import collect, scopes
from zhucun.registry.models import Cadre, Posting, Role, Village

from ..models import FundKind, FundRecord
from ..scope import cadres_unit_writes
from ..selectors.funds import overlap_q

AREA_WRITERS = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY})
UNIT_WRITERS = frozenset({UserRole.ADMIN, UserRole.UNIT})
AREA_TEXT = (
    "第一书记工作经费和村工作经费由州、县(市)组织部门录入(GUA.2.FS_FUND、GUA.2.VILLAGE_FUND)"
)
UNIT_TEXT = "派出单位工作经费由干部所在派出单位录入(GUA.2.UNIT_FUND)"
NOT_FOUND = "干部或村不存在、当年无驻村任职,或不在您的管辖范围内"
MONEY_RE = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
NOTE_MAX = 300
YEAR_MIN, YEAR_MAX = 2000, 2100


def writers_of(kind: str) -> frozenset[str]:
    return UNIT_WRITERS if kind == FundKind.UNIT else AREA_WRITERS


def clean_money(errors: dict[str, str], name: str, label: str, value: Any) -> Decimal:
    """Yuan, ≥ 0, at most 2 decimals and 10 integer digits."""
    if isinstance(value, bool) or value is None:
        errors[name] = f"{label}应为金额(元),最多两位小数"
        return Decimal(0)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, Decimal | int):
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
    else:
        text = str(value).strip() or "0"
    if text.startswith("-"):
        errors[name] = f"{label}不能为负数"
        return Decimal(0)
    if not MONEY_RE.match(text):
        errors[name] = f"{label}应为金额(元),最多两位小数"
        return Decimal(0)
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        errors[name] = f"{label}应为金额(元),最多两位小数"
        return Decimal(0)


def _year(errors: dict[str, str], value: Any) -> int:
    s = str(value).strip()
    if not s.isdigit() or not YEAR_MIN <= int(s) <= YEAR_MAX:
        errors["year"] = f"年度应为{YEAR_MIN}至{YEAR_MAX}之间的年份"
        return 0
    return int(s)


def _id(value: Any) -> int | None:
    s = "" if value is None else str(value).strip()
    return int(s) if s.isdigit() and len(s) <= 12 else None


def _target(
    actor: User, kind: str, year: int, cadre_id: Any, village_id: Any
) -> tuple[Cadre | None, Village | None]:
    """The cadre or village (locked) the record is for, in the writer's scope, with a posting
    overlapping ``year`` (for fs: a first-secretary posting) — else 404."""
    postings = Posting.objects.filter(overlap_q(year))
    if kind == FundKind.VILLAGE:
        vid = _id(village_id)
        village = (
            scopes.villages_visible(actor)
            .filter(pk=vid, postings__in=postings)
            .values_list("pk", flat=True)
            .first()
            if vid
            else None
        )
        if village is None:
            raise NotFound(NOT_FOUND)
        return None, Village.objects.select_for_update().get(pk=village)
    cid = _id(cadre_id)
    if cid is None:
        raise NotFound(NOT_FOUND)
    if kind == FundKind.UNIT:
        mine = postings.filter(cadre_id=cid)
        writable = cadres_unit_writes(actor)
    else:
        mine = scopes.postings_visible(actor).filter(
            overlap_q(year), cadre_id=cid, role=Role.FIRST_SECRETARY
        )
        writable = Cadre.objects.all()
    if not mine.exists() or not writable.filter(pk=cid).exists():
        raise NotFound(NOT_FOUND)
    return Cadre.objects.select_for_update().get(pk=cid), None


@transaction.atomic
def fund_record(
    *,
    actor: User,
    year: Any,
    kind: str,
    cadre_id: Any = None,
    village_id: Any = None,
    allocated: Any = "0",
    spent: Any = "0",
    on: Any,
    note: Any,
) -> FundRecord:
    """Record an allocation and/or a spending of ``year`` against one entitlement."""
    if kind not in FundKind.values:
        raise ValidationFailed(
            {"kind": "经费类别应为第一书记工作经费、村工作经费或派出单位工作经费"}
        )
    if actor.role not in writers_of(kind):
        raise Forbidden(UNIT_TEXT if kind == FundKind.UNIT else AREA_TEXT)
    errors: dict[str, str] = {}
    y = _year(errors, year)
    is_village = kind == FundKind.VILLAGE
    if is_village and cadre_id not in (None, ""):
        errors["cadre_id"] = "村工作经费按村录入,不填写干部"
    if not is_village and village_id not in (None, ""):
        errors["village_id"] = "第一书记和派出单位工作经费按干部录入,不填写村"
    if is_village and village_id in (None, ""):
        errors["village_id"] = "请选择村(社区)"
    if not is_village and cadre_id in (None, ""):
        errors["cadre_id"] = "请选择干部"
    amount_in = clean_money(errors, "allocated", "拨付金额", allocated)
    amount_out = clean_money(errors, "spent", "支出金额", spent)
    if "allocated" not in errors and "spent" not in errors and not (amount_in or amount_out):
        errors["allocated"] = "拨付金额和支出金额不能都为0"
    day = collect.clean_day(errors, "on", on, past=True)
    text = collect.clean_text(errors, "note", note, limit=NOTE_MAX, required=True)
    if errors:
        raise ValidationFailed(errors)
    cadre, village = _target(actor, kind, y, cadre_id, village_id)
    so_far = FundRecord.objects.filter(year=y, kind=kind, cadre=cadre, village=village).aggregate(
        a=Sum("allocated"), s=Sum("spent")
    )
    total_in = (so_far["a"] or Decimal(0)) + amount_in
    total_out = (so_far["s"] or Decimal(0)) + amount_out
    if total_out > total_in:
        raise ValidationFailed(
            {
                "spent": f"支出不得超过已拨付:{y}年累计支出将为{total_out}元,"
                f"已拨付累计{total_in}元(GUA.2)"
            }
        )
    assert isinstance(day, dt.date)
    record = FundRecord.objects.create(
        year=y,
        kind=kind,
        cadre=cadre,
        village=village,
        allocated=amount_in,
        spent=amount_out,
        on=day,
        note=text,
        recorded_by=actor,
    )
    event_record(actor=actor, action="fund.record", obj=record, after=model_snapshot(record))
    return record
