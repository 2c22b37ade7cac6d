"""MGT.10: discipline records (八必须、八严禁). Entered by the township, the county or the
prefecture for cadres in their scope; never deleted — a correction is a new record that
supersedes the old one, which then no longer stands.

The field cleaning here (``clean_*``) is shared with ``talks``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.policy.review import OUTCOME_LABELS, PROHIBITION_LABELS
from zhucun.registry.collect import clean_label, clean_name, clean_past_date, clean_text
from zhucun.registry.models import Jurisdiction

from ..models import TEXT_MAX, DisciplineRecord, RecorderKind
from ..scope import DISCIPLINE_WRITERS, cadre_in, discipline_cadres, discipline_visible_q

NOT_FOUND = "纪律处理记录不存在或不在您的管辖范围内"
CADRE_NOT_FOUND = "干部不存在或不在您的管辖范围内"
WRITERS_TEXT = "纪律处理记录由乡镇(街道)党(工)委、县级驻村工作领导协调机构或州委组织部录入(MGT.10)"
FOUND_BY_MAX = 100
REASON_MAX = 300

ROLE_KIND = {
    UserRole.UNIT: RecorderKind.UNIT,
    UserRole.TOWNSHIP: RecorderKind.TOWNSHIP,
    UserRole.COUNTY: RecorderKind.COUNTY,
    UserRole.PREFECTURE: RecorderKind.PREFECTURE,
    UserRole.ADMIN: RecorderKind.PREFECTURE,  # the administrator records for the prefecture
}


def actor_place(actor: User) -> tuple[str, Jurisdiction | None]:
    """The kind of body the actor records for and its jurisdiction (area roles)."""
    kind = ROLE_KIND.get(UserRole(actor.role), RecorderKind.PREFECTURE)
    return kind, actor.jurisdiction if actor.jurisdiction_id else None


# ---- services -------------------------------------------------------------------------------


def _require_writer(actor: User) -> None:
    if actor.role not in DISCIPLINE_WRITERS:
        raise Forbidden(WRITERS_TEXT)


def _clean_record(
    *,
    occurred_on: Any,
    description: Any,
    found_by: Any,
    outcome: Any,
    prohibition: Any,
    decided_on: Any,
    extra_errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = dict(extra_errors or {})
    data = {
        "occurred_on": clean_past_date(errors, "occurred_on", occurred_on),
        "description": clean_text(errors, "description", description, limit=TEXT_MAX),
        "found_by": clean_name(errors, "found_by", found_by, limit=FOUND_BY_MAX),
        "outcome": clean_label(errors, "outcome", outcome, OUTCOME_LABELS),
        "prohibition": clean_label(errors, "prohibition", prohibition, PROHIBITION_LABELS),
        "decided_on": clean_past_date(errors, "decided_on", decided_on, required=False),
    }
    if (
        data["occurred_on"]
        and data["decided_on"]
        and data["decided_on"] < data["occurred_on"]
        and "decided_on" not in errors
    ):
        errors["decided_on"] = "处理日期不能早于发生日期"
    if errors:
        raise ValidationFailed(errors)
    return data


@transaction.atomic
def discipline_record_create(
    *,
    actor: User,
    cadre_id: int,
    occurred_on: dt.date | str,
    description: str,
    found_by: str,
    outcome: str,
    prohibition: str,
    decided_on: dt.date | str | None = None,
) -> DisciplineRecord:
    """MGT.10: record a breach of the 八必须、八严禁 (or another) and how it was dealt with."""
    _require_writer(actor)
    if not cadre_in(discipline_cadres(actor), cadre_id):
        raise NotFound(CADRE_NOT_FOUND)
    data = _clean_record(
        occurred_on=occurred_on,
        description=description,
        found_by=found_by,
        outcome=outcome,
        prohibition=prohibition,
        decided_on=decided_on,
    )
    record = _write(actor, cadre_id=cadre_id, data=data)
    event_record(actor=actor, action="discipline.create", obj=record, after=model_snapshot(record))
    return record


def _write(
    actor: User,
    *,
    cadre_id: int,
    data: dict[str, Any],
    supersedes: DisciplineRecord | None = None,
    reason: str = "",
) -> DisciplineRecord:
    kind, place = actor_place(actor)
    return DisciplineRecord.objects.create(
        cadre_id=cadre_id,
        recorder_kind=kind,
        jurisdiction=place,
        recorded_by=actor,
        supersedes=supersedes,
        correction_reason=reason,
        **data,
    )


@transaction.atomic
def discipline_record_supersede(
    *,
    actor: User,
    record_id: int,
    reason: str,
    occurred_on: dt.date | str,
    description: str,
    found_by: str,
    outcome: str,
    prohibition: str,
    decided_on: dt.date | str | None = None,
) -> DisciplineRecord:
    """MGT.10: correct a standing record by a new one that points at it. The old record stays
    as it was (and is shown as corrected); only a record that still stands can be corrected."""
    old = (
        DisciplineRecord.objects.select_for_update(of=("self",))
        .filter(discipline_visible_q(actor), pk=record_id)
        .first()
    )
    if old is None:
        raise NotFound(NOT_FOUND)
    _require_writer(actor)
    if not cadre_in(discipline_cadres(actor), old.cadre_id):
        raise NotFound(NOT_FOUND)
    errors: dict[str, str] = {}
    why = clean_text(errors, "reason", reason, limit=REASON_MAX)
    if DisciplineRecord.objects.filter(supersedes_id=old.pk).exists():
        errors["record_id"] = "该记录已被更正,不再有效,不能再次更正;请更正最新的记录"
    data = _clean_record(
        occurred_on=occurred_on,
        description=description,
        found_by=found_by,
        outcome=outcome,
        prohibition=prohibition,
        decided_on=decided_on,
        extra_errors=errors,
    )
    record = _write(actor, cadre_id=old.cadre_id, data=data, supersedes=old, reason=why)
    event_record(
        actor=actor,
        action="discipline.supersede",
        obj=record,
        before=model_snapshot(old),
        after=model_snapshot(record),
        note=why,
    )
    return record
