from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, ValidationFailed

from .. import scopes, validation
from ..models import Cadre, Posting, PostingStatus
from ._common import cleaned_or_raise, get_in_scope

CADRE_NOT_FOUND = "该身份证号的干部未登记或不在您的管辖范围内"


@transaction.atomic
def posting_create(
    *, actor: User, data: dict[str, Any], cadres: QuerySet[Cadre] | None = None
) -> Posting:
    """Write a cadre's posting to a village. Every user path posts through the selection app
    (``posting_register``, ``nomination_post``), which runs the checks every posting path
    runs and passes ``cadres``, the cadres the actor may post (default: the registry's
    view, ``scopes.cadres_postable``)."""
    if actor.role not in scopes.EDIT_REGISTRY_ROLES:
        raise Forbidden("只有州、县组织部门可以登记驻村任职")
    c = cleaned_or_raise(validation.POSTING_FIELDS, data)
    errors: dict[str, str] = {}
    # inside the actor's scope: another county's cadre answers like an unregistered number
    cadre = (
        (cadres if cadres is not None else scopes.cadres_postable(actor))
        .select_for_update(of=("self",))
        .filter(id_number=c.pop("id_number"))
        .first()
    )
    if cadre is None:
        errors["id_number"] = CADRE_NOT_FOUND
    village = (
        scopes.villages_editable(actor).filter(jurisdiction__code=c.pop("village_code")).first()
    )
    if village is None:
        errors["village_code"] = "村(社区)不存在或不在您的管辖范围内"
    errors.update(validation.posting_cross_checks(c))
    if (
        cadre is not None
        and c["status"] == PostingStatus.ACTIVE
        and cadre.postings.filter(status=PostingStatus.ACTIVE).exists()
    ):
        errors["id_number"] = f"{cadre.name}已有在岗的驻村任职(SEL.COND.MUST3 脱产驻村,一人一岗)"
    if errors:
        raise ValidationFailed(errors)
    posting = Posting.objects.create(cadre=cadre, village=village, **c)
    event_record(actor=actor, action="posting.create", obj=posting, after=model_snapshot(posting))
    return posting


@transaction.atomic
def posting_end(*, actor: User, posting_id: int, end_date: dt.date, note: str = "") -> Posting:
    posting = get_in_scope(
        scopes.postings_visible(actor), scopes.postings_editable(actor), posting_id
    )
    if posting.status == PostingStatus.ENDED:
        raise ValidationFailed({"status": "该任职已结束"})
    if end_date < posting.arrival_date:
        raise ValidationFailed({"actual_end": "结束日期不能早于到岗日期"})
    before = model_snapshot(posting)
    posting.actual_end = end_date
    posting.status = PostingStatus.ENDED
    posting.save(update_fields=["actual_end", "status"])
    event_record(
        actor=actor,
        action="posting.end",
        obj=posting,
        before=before,
        after=model_snapshot(posting),
        note=note,
    )
    return posting
