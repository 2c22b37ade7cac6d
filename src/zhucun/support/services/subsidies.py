"""GUA.2.TRAVEL distances and GUA.2.PAY payments: the cadre's unit enters the one-way distance
of a posting (the county may too) and records what it paid for a month and kind. Amounts are
exact decimals in yuan; a month is stored as its first day."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.notices.services import notice_send, users_of_cadre
from zhucun.policy.dates import date_label, month_label
from zhucun.registry.collect import clean_day, clean_label, clean_name, clean_text
from zhucun.registry.models import Posting

from ..models import PostingDistance, SubsidyKind, SubsidyPayment
from ..scope import READERS, cadres_readable, cadres_unit_writes

KM_MAX = Decimal("99999.9")
AMOUNT_MAX = Decimal("9999999999.99")
ORIGIN_MAX = 200
SOURCE_MAX = 200
REFERENCE_MAX = 100
KIND_LABELS = dict(SubsidyKind.choices)
CADRE_NOT_FOUND = "干部不存在或不在您的管辖范围内"
POSTING_NOT_FOUND = "驻村任职不存在或不在您的管辖范围内"
PAY_WRITERS_TEXT = "补助发放由干部的派出单位登记(GUA.2.PAY)"
DISTANCE_WRITERS_TEXT = "驻村往返里程由干部的派出单位或县级组织部门登记(GUA.2.TRAVEL)"


CHINESE_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月$")


def month_first(value: Any) -> dt.date | None:
    """``2025-07``, ``2025-07-15`` or a date → the month's first day; None if unreadable."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    s = str(value or "").strip()
    chinese = CHINESE_MONTH.match(s)  # 2025年7月 (read, never written zero-padded)
    if chinese:
        s = f"{chinese.group(1)}-{int(chinese.group(2)):02d}"
    for fmt in ("%Y-%m", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def clean_month(errors: dict[str, str], name: str, value: Any) -> dt.date | None:
    first = month_first(value)
    if first is None:
        errors[name] = "月份格式应为YYYY-MM,例如2025-07"
    elif first.year < 2000:
        errors[name] = "月份不能早于2000年"
    elif first > timezone.localdate().replace(day=1):
        errors[name] = "不能晚于本月"
    return first


def clean_decimal(
    errors: dict[str, str], name: str, value: Any, *, places: int, maximum: Decimal
) -> Decimal | None:
    """An exact decimal (never a float) with at most ``places`` decimals, 0 ≤ x ≤ maximum."""
    if isinstance(value, float):
        value = repr(value)
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[name] = "应为数字"
        return None
    if not d.is_finite():
        errors[name] = "应为数字"
        return None
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        errors[name] = f"最多保留{places}位小数"
        return None
    if d < 0:
        errors[name] = "不能为负数"
        return None
    if d > maximum:
        errors[name] = f"不能超过{maximum}"
        return None
    return d


def _area_path(user: User) -> str | None:
    return user.jurisdiction.path if user.jurisdiction_id else None


def _posting_for_distance(actor: User, posting_id: Any) -> Posting:
    posting = (
        Posting.objects.select_related("village__jurisdiction")
        .filter(pk=posting_id, cadre__in=cadres_readable(actor).values("pk"))
        .first()
        if actor.role != UserRole.ADMIN
        else Posting.objects.filter(pk=posting_id).first()
    )
    if posting is None:
        raise NotFound(POSTING_NOT_FOUND)
    if actor.role == UserRole.ADMIN:
        return posting
    if actor.role == UserRole.UNIT and posting.cadre.unit_id == actor.unit_id:
        return posting
    path = _area_path(actor)
    if (
        actor.role == UserRole.COUNTY
        and path
        and posting.village.jurisdiction.path.startswith(path)
    ):
        return posting
    raise Forbidden(DISTANCE_WRITERS_TEXT)


@transaction.atomic
def distance_set(
    *, actor: User, posting_id: int, one_way_km: Any, origin: str, source: str
) -> PostingDistance:
    """GUA.2.TRAVEL: the one-way km from the unit (or the actual workplace) to the village,
    entered once per posting with its source; entering it again corrects it (audited)."""
    if actor.role not in READERS:
        raise NotFound(POSTING_NOT_FOUND)
    posting = _posting_for_distance(actor, posting_id)
    errors: dict[str, str] = {}
    km = clean_decimal(errors, "one_way_km", one_way_km, places=1, maximum=KM_MAX)
    if km is not None and km <= 0:
        errors["one_way_km"] = "单程公里数应大于0"
    start = clean_name(errors, "origin", origin, limit=ORIGIN_MAX)
    basis = clean_text(errors, "source", source, limit=SOURCE_MAX)
    if errors:
        raise ValidationFailed(errors)
    existing = PostingDistance.objects.select_for_update().filter(posting=posting).first()
    before = model_snapshot(existing) if existing is not None else None
    if existing is None:
        row = PostingDistance.objects.create(
            posting=posting, one_way_km=km, origin=start, source=basis, recorded_by=actor
        )
    else:
        row = existing
        row.one_way_km = km  # type: ignore[assignment]
        row.origin = start
        row.source = basis
        row.recorded_by = actor
        row.save()
    event_record(
        actor=actor, action="distance.set", obj=row, before=before, after=model_snapshot(row)
    )
    return row


@transaction.atomic
def subsidy_payment_record(
    *,
    actor: User,
    cadre_id: int,
    month: Any,
    kind: str,
    amount: Any,
    paid_on: dt.date | str,
    reference: str = "",
) -> SubsidyPayment:
    """GUA.2.PAY: the unit records what it paid a cadre for a month and kind, and when."""
    if not cadres_unit_writes(actor).filter(pk=cadre_id).exists():
        if cadres_readable(actor).filter(pk=cadre_id).exists():
            raise Forbidden(PAY_WRITERS_TEXT)
        raise NotFound(CADRE_NOT_FOUND)
    errors: dict[str, str] = {}
    first = clean_month(errors, "month", month)
    code = clean_label(errors, "kind", kind, KIND_LABELS)
    value = clean_decimal(errors, "amount", amount, places=2, maximum=AMOUNT_MAX)
    day = clean_day(errors, "paid_on", paid_on, past=True)
    ref = clean_text(errors, "reference", reference, limit=REFERENCE_MAX, required=False)
    if day is not None and first is not None and "month" not in errors and day < first:
        errors["paid_on"] = f"发放日期不能早于补助月份的第一天({first:%Y-%m-%d})"
    if (
        not errors
        and SubsidyPayment.objects.filter(cadre_id=cadre_id, month=first, kind=code).exists()
    ):
        errors["month"] = f"该干部{month_label(first)}的{KIND_LABELS[code]}已登记发放"
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            payment = SubsidyPayment.objects.create(
                cadre_id=cadre_id,
                month=first,
                kind=code,
                amount=value,
                paid_on=day,
                reference=ref,
                recorded_by=actor,
            )
    except IntegrityError as exc:  # a concurrent entry of the same month and kind
        raise ValidationFailed({"month": "该干部该月的此类补助已登记发放"}) from exc
    event_record(
        actor=actor, action="subsidy_payment.record", obj=payment, after=model_snapshot(payment)
    )
    notice_send(  # GUA.2.PAY: the cadre learns what was paid (no page of theirs shows it)
        users=users_of_cadre(cadre_id),
        kind="subsidy_paid",
        title=f"{month_label(first)}的{KIND_LABELS[code]}已发放{value}元",
        body=f"发放日期:{date_label(day)}" + (f";凭证号:{ref}" if ref else ""),
        clause="GUA.2.PAY",
    )
    return payment
