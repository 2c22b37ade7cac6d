"""交接清单 (MGT.9.HANDOVER): the leaver's handover to the successor, written by the county."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry import scopes
from zhucun.registry.models import Posting

from ..models import TEXT_MAX, HandoverRecord
from .close import replacement_of

TEXT_FIELDS = {
    "ongoing_tasks": "在办工作事项",
    "households": "联系走访农户情况",
    "documents": "移交文件资料",
    "funds": "经手资金、物资情况",
}
RECEIVER_MAX = 50


def _date(value: Any, field: str, label: str, errors: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = f"{label}格式应为YYYY-MM-DD"
        return None


@transaction.atomic
def handover_save(*, actor: User, posting_id: int, data: dict[str, Any]) -> HandoverRecord:
    """Create or update the handover record of posting ``posting_id`` (the leaver's).

    ``data``: handover_date (required), the four texts (≤ 2000 字), receiver_name, received_on,
    successor_id (a posting of the same village; default: the leaver's replacement)."""
    editable = scopes.postings_editable(actor)
    posting = editable.select_for_update(of=("self",)).filter(pk=posting_id).first()
    if posting is None:
        if scopes.postings_visible(actor).filter(pk=posting_id).exists():
            raise Forbidden("您可以查看但无权填写此交接清单")
        raise NotFound()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, label in TEXT_FIELDS.items():
        text = str(data.get(field) or "").strip()
        if len(text) > TEXT_MAX:
            errors[field] = f"{label}不能超过{TEXT_MAX}个字"
        values[field] = text
    receiver = str(data.get("receiver_name") or "").strip()
    if len(receiver) > RECEIVER_MAX:
        errors["receiver_name"] = f"接收人签名不能超过{RECEIVER_MAX}个字"
    values["receiver_name"] = receiver
    handover_date = _date(data.get("handover_date"), "handover_date", "交接日期", errors)
    if handover_date is None and "handover_date" not in errors:
        errors["handover_date"] = "请填写交接日期"
    values["handover_date"] = handover_date
    values["received_on"] = _date(data.get("received_on"), "received_on", "接收日期", errors)
    successor_id = data.get("successor_id")
    successor: Posting | None
    if successor_id in (None, ""):
        successor = replacement_of(posting)
    else:
        successor = (
            Posting.objects.filter(village_id=posting.village_id)
            .exclude(pk=posting.pk)
            .filter(pk=successor_id if str(successor_id).isdigit() else 0)
            .first()
        )
        if successor is None:
            errors["successor_id"] = "接替人员应为同一村(社区)的另一驻村任职"
    values["successor"] = successor
    if errors:
        raise ValidationFailed(errors)
    record = HandoverRecord.objects.filter(posting=posting).first()
    if record is None:
        record = HandoverRecord.objects.create(posting=posting, created_by=actor, **values)
        event_record(
            actor=actor, action="handover.create", obj=record, after=model_snapshot(record)
        )
        return record
    before = model_snapshot(record)
    for k, v in values.items():
        setattr(record, k, v)
    record.save()
    event_record(
        actor=actor,
        action="handover.update",
        obj=record,
        before=before,
        after=model_snapshot(record),
    )
    return record
