"""Posting a cadre outside the nomination workflow (the postings API and import): the same
screening, team check and term check as 派驻到村 (``posting_checks``), then the registry's
write. Nobody posts a cadre without them (issue 10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from zhucun.accounts.models import User
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.registry import scopes, validation
from zhucun.registry.models import Posting, PostingStatus, Village
from zhucun.registry.services import posting_create

from ..adapters import findings_json
from ..selectors import cadres_postable
from .posting_checks import posting_findings, require_findings


@transaction.atomic
def posting_register(
    *, actor: User, data: Mapping[str, Any], reasons: Mapping[str, str] | None = None
) -> Posting:
    """Record a posting after the checks every posting path runs; ``reasons`` {clause id:
    written reason} for each warning (SEL.COND.NO5, SEL.SRC.XD, SEL.SRC.AGE…, MGT.TERM).
    An ended posting (a record of the past) is written as it is."""
    if actor.role not in scopes.EDIT_REGISTRY_ROLES:
        raise Forbidden("只有州、县组织部门可以登记驻村任职")
    cleaned, errors = validation.clean(validation.POSTING_FIELDS, dict(data))
    if errors:
        raise ValidationFailed(errors)
    postable = cadres_postable(actor)
    cadre = postable.filter(id_number=cleaned["id_number"]).first()
    village = (
        scopes.villages_editable(actor)
        .select_related("jurisdiction")
        .filter(jurisdiction__code=cleaned["village_code"])
        .first()
    )
    shown = []
    if cadre is not None and village is not None and cleaned["status"] != PostingStatus.ENDED:
        # the village's team is locked so that concurrent postings see each other
        Village.objects.select_for_update().get(pk=village.pk)
        deciding, shown = posting_findings(
            cadre=cadre,
            role=cleaned["role"],
            village=village,
            arrival=cleaned["arrival_date"],
            planned_end=cleaned.get("planned_end"),
        )
        require_findings(deciding, reasons or {})
    posting = posting_create(actor=actor, data=dict(data), cadres=postable)
    if shown:
        event_record(
            actor=actor,
            action="posting.screen",
            obj=posting,
            after={"findings": findings_json(shown), "reasons": dict(reasons or {})},
        )
    return posting
