"""GUA.2.EXAM and GUA.2.INSURE: the cadre's unit records the yearly physical exam and the
accident insurance that must cover the whole posting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.collect import clean_day, clean_name, clean_text

from ..models import Insurance, PhysicalExam
from ..scope import cadres_readable, cadres_unit_writes
from .subsidies import CADRE_NOT_FOUND

PLACE_MAX = 100
CONCLUSION_MAX = 300
POLICY_MAX = 64
INSURER_MAX = 100
WRITERS_TEXT = "体检和人身意外伤害保险由干部的派出单位登记(GUA.2.EXAM、GUA.2.INSURE)"


def _check_writer(actor: User, cadre_id: Any) -> None:
    if not cadres_unit_writes(actor).filter(pk=cadre_id).exists():
        if cadres_readable(actor).filter(pk=cadre_id).exists():
            raise Forbidden(WRITERS_TEXT)
        raise NotFound(CADRE_NOT_FOUND)


def _clean_year(errors: dict[str, str], value: Any) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        errors["year"] = "年度应为四位数字,例如2025"
        return None
    if not 2000 <= year <= timezone.localdate().year:
        errors["year"] = "年度应在2000年至今年之间"
        return None
    return year


@transaction.atomic
def exam_record(
    *,
    actor: User,
    cadre_id: int,
    year: Any,
    exam_on: dt.date | str,
    place: str,
    conclusion: str = "",
) -> PhysicalExam:
    """GUA.2.EXAM: the yearly physical exam (one per cadre and year)."""
    _check_writer(actor, cadre_id)
    errors: dict[str, str] = {}
    y = _clean_year(errors, year)
    day = clean_day(errors, "exam_on", exam_on, past=True)
    where = clean_name(errors, "place", place, limit=PLACE_MAX)
    result = clean_text(errors, "conclusion", conclusion, limit=CONCLUSION_MAX, required=False)
    if y is not None and day is not None and day.year != y:
        errors["exam_on"] = f"体检日期应在{y}年内"
    if not errors and PhysicalExam.objects.filter(cadre_id=cadre_id, year=y).exists():
        errors["year"] = f"该干部{y}年的体检已登记"
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            exam = PhysicalExam.objects.create(
                cadre_id=cadre_id,
                year=y,
                exam_on=day,
                place=where,
                conclusion=result,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationFailed({"year": "该干部该年度的体检已登记"}) from exc
    event_record(actor=actor, action="exam.record", obj=exam, after=model_snapshot(exam))
    return exam


@transaction.atomic
def insurance_record(
    *,
    actor: User,
    cadre_id: int,
    policy_number: str,
    insurer: str,
    start: dt.date | str,
    end: dt.date | str,
) -> Insurance:
    """GUA.2.INSURE: an accident insurance policy of the cadre (from/to, both days covered)."""
    _check_writer(actor, cadre_id)
    errors: dict[str, str] = {}
    number = clean_name(errors, "policy_number", policy_number, limit=POLICY_MAX)
    company = clean_name(errors, "insurer", insurer, limit=INSURER_MAX)
    first = clean_day(errors, "start", start, past=False)
    last = clean_day(errors, "end", end, past=False)
    if first is not None and last is not None and last < first:
        errors["end"] = "保险止期不能早于保险起期"
    if errors:
        raise ValidationFailed(errors)
    policy = Insurance.objects.create(
        cadre_id=cadre_id,
        policy_number=number,
        insurer=company,
        start=first,
        end=last,
        recorded_by=actor,
    )
    event_record(actor=actor, action="insurance.record", obj=policy, after=model_snapshot(policy))
    return policy
