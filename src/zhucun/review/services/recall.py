"""``recall_record``: 召回撤换 (MGT.4.CAUSE, MGT.4.CONSEQ).

"召回工作由县级驻村工作领导协调机构负责": the county's body (or the administrator) records one
of the five causes with its evidence, the deciding body, the date and the document number. In
one transaction the recall

* ends the posting through the lifecycle's one way (``tenure.services.posting_close``, cause
  ``recall``, last day = the decision day); a recall does not wait for a planned successor
  (MGT.9.HANDOVER's one-in-one-out is waived with a recorded reason citing MGT.4);
* writes the consequence into the cadre's 干部管理档案 (``registry.services.cadre_file_record``,
  clause MGT.4.CONSEQ): no promotion or rank promotion through the corresponding day
  ``recall_promotion_ban_years`` later, inclusive (``policy.review.promotion_ban_until``);
* makes a replacement from the same unit due by ``policy.review.replacement_due`` and tells
  the unit (a notice);
* is audited as ``recall.record``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.limits import max_length
from zhucun.notices.services import notice_send, users_of_unit
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import date_label
from zhucun.policy.review import (
    RECALL_CAUSE_LABELS,
    promotion_ban_until,
    replacement_due,
)
from zhucun.registry import scopes, validation
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus
from zhucun.registry.services import cadre_file_record
from zhucun.tenure.services import posting_close
from zhucun.tenure.services.close import replacement_of

from ..models import Recall, ReviewEntry
from ..scope import recall_postings

FORBIDDEN = "召回工作由县级驻村工作领导协调机构负责(MGT.4.CAUSE)"
CLAUSE = "MGT.4.CONSEQ"
FILE_KIND = "recall"
GAP_REASON = "召回撤换即时生效,不等待接替人员到岗(MGT.4.CAUSE、MGT.4.CONSEQ:派出单位另行选派顶替)"


def _posting(actor: User, posting_id: int) -> Posting:
    posting = (
        recall_postings(actor)
        .select_for_update(of=("self",))
        .select_related("cadre__unit", "village__jurisdiction")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None:
        if scopes.postings_visible(actor).filter(pk=posting_id).exists():
            raise Forbidden(FORBIDDEN)
        raise NotFound("任职不存在或不在您的管辖范围内")
    return posting


def _county_of(posting: Posting) -> Jurisdiction | None:
    codes = [c for c in posting.village.jurisdiction.path.split("/") if c]
    return Jurisdiction.objects.filter(code__in=codes, level=Level.COUNTY).first()


def _review_entry(posting: Posting, entry_id: int | None) -> ReviewEntry | None:
    if entry_id is None:
        return None
    county = _county_of(posting)
    entry = (
        ReviewEntry.objects.filter(
            pk=entry_id, cadre_id=posting.cadre_id, review__county=county
        ).first()
        if county is not None
        else None
    )
    if entry is None:
        raise NotFound("所依据的季度研判记录不存在,或不是本县对该干部的研判")
    return entry


def _text(errors: dict[str, str], name: str, value: object, *, identity: bool = False) -> str:
    try:
        return validation.text(
            value, max_length=max_length(Recall, name), required=True, identity=identity
        )
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""


def recall_file_text(recall: Recall) -> str:
    """The 干部管理档案 entry: cause, date, body, reference, ban end (MGT.4.CONSEQ)."""
    p = recall.posting
    return (
        f"{date_label(recall.decided_on)},经{recall.deciding_body}决定(文号:{recall.reference}),"
        f"因“{RECALL_CAUSE_LABELS[recall.cause]}”,从{p.village.jurisdiction.name}"
        f"{p.get_role_display()}岗位召回撤换;按规定计入个人干部管理档案,"
        f"至{date_label(recall.ban_until)}(含)不得提拔使用和晋升职级(MGT.4.CONSEQ)"
    )


@transaction.atomic
def recall_record(
    *,
    actor: User,
    posting_id: int,
    cause: str,
    evidence: str,
    deciding_body: str,
    decided_on: dt.date,
    reference: str,
    review_entry_id: int | None = None,
) -> Recall:
    """Record a recall and its consequences (see the module doc). NotFound outside the
    actor's scope; Forbidden for a role that sees the posting but does not decide recalls;
    ValidationFailed({field: 中文}) otherwise."""
    posting = _posting(actor, posting_id)
    errors: dict[str, str] = {}
    if posting.status != PostingStatus.ACTIVE:
        errors["posting_id"] = "只能召回在岗的驻村干部(该任职不是在岗状态)"
    if cause not in RECALL_CAUSE_LABELS:
        errors["cause"] = "召回情形应为以下五种之一:" + ";".join(RECALL_CAUSE_LABELS.values())
    evidence = _text(errors, "evidence", evidence)
    deciding_body = _text(errors, "deciding_body", deciding_body, identity=True)
    reference = _text(errors, "reference", reference, identity=True)
    if not isinstance(decided_on, dt.date):
        errors["decided_on"] = "请填写召回决定日期"
    else:
        try:
            validation.date_in_bounds(decided_on)
        except validation.FieldError as exc:
            errors["decided_on"] = str(exc)
        else:
            if decided_on > timezone.localdate():
                errors["decided_on"] = "召回决定日期不能晚于今天"
            elif decided_on < posting.arrival_date:
                errors["decided_on"] = (
                    f"召回决定日期不能早于到岗日期{date_label(posting.arrival_date)}"
                )
    if errors:
        raise ValidationFailed(errors, message="不能登记召回撤换")
    entry = _review_entry(posting, review_entry_id)

    params = parameters_current()
    code = posting.village.jurisdiction.code
    ban_until = promotion_ban_until(recall_date=decided_on, params=params, jurisdiction=code)
    due = replacement_due(recall_date=decided_on, params=params, jurisdiction=code)
    posting_close(
        actor=actor,
        posting_id=posting.pk,
        end_date=decided_on,
        cause="recall",
        reference=reference,
        note=f"召回撤换:{RECALL_CAUSE_LABELS[cause]}(MGT.4.CAUSE)",
        gap_reason=GAP_REASON if replacement_of(posting) is not None else "",
    )
    posting.refresh_from_db()
    recall = Recall.objects.create(
        cadre_id=posting.cadre_id,
        posting=posting,
        cause=cause,
        evidence=evidence,
        deciding_body=deciding_body,
        decided_on=decided_on,
        reference=reference,
        review_entry=entry,
        ban_until=ban_until,
        replacement_due=due,
        recorded_by=actor,
    )
    cadre_file_record(
        actor=actor,
        cadre_id=posting.cadre_id,
        clause=CLAUSE,
        kind=FILE_KIND,
        recorded_on=decided_on,
        text=recall_file_text(recall),
        ban_until=ban_until,
        source=f"召回撤换 {reference}"[:200],
    )
    event_record(actor=actor, action="recall.record", obj=recall, after=model_snapshot(recall))
    notice_send(  # MGT.4.CONSEQ: the unit owes the replacement; it learns of it with the recall
        users=users_of_unit(posting.cadre.unit_id),
        kind="recall_replacement",
        title=f"{posting.cadre.name}已被召回撤换,请于{date_label(due)}前另行选派顶替人员",
        body=f"召回情形:{RECALL_CAUSE_LABELS[cause]};决定机构:{deciding_body};文号:{reference}",
        url="/review/replacements/",  # the page where the unit sees what it owes
        clause=CLAUSE,
    )
    return recall
