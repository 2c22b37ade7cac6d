"""``cadre_file_record``: an entry of the cadre's 干部管理档案 (MGT.4.CONSEQ). Append-only; the
caller (the review app's recall service) has checked its actor's scope and runs inside its
own transaction, so this writes and audits only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot

from ..models import CadreFileEntry


@transaction.atomic
def cadre_file_record(
    *,
    actor: User,
    cadre_id: int,
    clause: str,
    kind: str,
    recorded_on: dt.date,
    text: str,
    ban_until: dt.date | None = None,
    source: str = "",
) -> CadreFileEntry:
    entry = CadreFileEntry.objects.create(
        cadre_id=cadre_id,
        clause=clause,
        kind=kind,
        recorded_on=recorded_on,
        text=text,
        ban_until=ban_until,
        source=source,
        recorded_by=actor,
    )
    event_record(actor=actor, action="cadre.file_record", obj=entry, after=model_snapshot(entry))
    return entry
