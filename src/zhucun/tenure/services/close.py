"""``posting_close``: the one way a posting ends (issue 11).

* MGT.TERM / SEL.COND.MUST2 — cause ``term`` may not end before the regular end (arrival +
  ``term_min_years``, corresponding day); ``rotation`` (a granted MGT.9 application, called by
  the rotation app with the application's id) and ``recall`` (MGT.4, the review issue) may,
  but only with a ``reference``.  The public web/API "结束任职" paths pass ``term``.
* MGT.9.HANDOVER — one in, one out: when the village's replacement (a planned/active posting
  of the same role arriving after the leaver arrived) arrives after ``end_date``, the end is
  refused unless ``gap_reason`` records the exception (kept on the PostingClosure).
* GUA.3.LEAVE15 — a term end grants the one-off leave (an approved attendance LeaveRequest of
  kind ``after_term``) from the next day, ``leave_after_term_days`` calendar days.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.attendance.models import ApproverLevel, LeaveKind, LeaveRequest, LeaveState
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import date_label
from zhucun.policy.tenure import (
    CAUSES,
    early_end_findings,
    handover_findings,
    leave_after_term,
)
from zhucun.policy.term import regular_term_end
from zhucun.registry import scopes
from zhucun.registry.models import Posting, PostingStatus
from zhucun.registry.services import posting_end

from ..models import PostingClosure

REFERENCE_MAX = 100
GAP_REASON_MAX = 300
NOTE_MAX = 2000


def replacement_of(posting: Posting) -> Posting | None:
    """The leaver's replacement: the earliest planned/active posting of the same role in the
    same village, of another cadre, arriving after the leaver arrived."""
    return (
        Posting.objects.filter(
            village_id=posting.village_id,
            role=posting.role,
            status__in=(PostingStatus.PLANNED, PostingStatus.ACTIVE),
            arrival_date__gt=posting.arrival_date,
        )
        .exclude(cadre_id=posting.cadre_id)
        .exclude(pk=posting.pk)
        .select_related("cadre")
        .order_by("arrival_date", "pk")
        .first()
    )


def _locked(actor: User, posting_id: int) -> Posting:
    editable = scopes.postings_editable(actor)
    posting = (
        editable.select_for_update(of=("self",))
        .select_related("cadre", "village__jurisdiction")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None:
        if scopes.postings_visible(actor).filter(pk=posting_id).exists():
            raise Forbidden("您可以查看但无权结束此任职")
        raise NotFound()
    return posting


@transaction.atomic
def posting_close(
    *,
    actor: User,
    posting_id: int,
    end_date: dt.date,
    cause: str,
    reference: str = "",
    note: str = "",
    gap_reason: str = "",
) -> Posting:
    """End posting ``posting_id`` on ``end_date`` (its last day) for ``cause``
    ("term" / "rotation" / "recall"). See the module doc for the rules."""
    if cause not in CAUSES:
        raise ValidationFailed({"cause": "结束原因应为:任期届满、轮换调整或召回撤换"})
    reference, note, gap_reason = reference.strip(), note.strip(), gap_reason.strip()
    errors: dict[str, str] = {}
    for field, value, limit in (
        ("reference", reference, REFERENCE_MAX),
        ("note", note, NOTE_MAX),
        ("gap_reason", gap_reason, GAP_REASON_MAX),
    ):
        if len(value) > limit:
            errors[field] = f"不能超过{limit}个字"
    if errors:
        raise ValidationFailed(errors)
    posting = _locked(actor, posting_id)
    if posting.status == PostingStatus.ENDED:
        raise ValidationFailed({"status": "该任职已结束"})
    if end_date < posting.arrival_date:
        raise ValidationFailed({"end_date": "结束日期不能早于到岗日期"})
    params = parameters_current()
    code = posting.village.jurisdiction.code
    name = posting.cadre.name
    regular = regular_term_end(arrival=posting.arrival_date, params=params, jurisdiction=code)
    for f in early_end_findings(
        name=name, end=end_date, regular_end=regular, cause=cause, reference=reference
    ):
        errors[f.clause] = f.message
    replacement = replacement_of(posting)
    if replacement is not None and not gap_reason:
        for f in handover_findings(
            name=name,
            leaver_end=end_date,
            replacement_name=replacement.cadre.name,
            replacement_arrival=replacement.arrival_date,
        ):
            errors[f.clause] = f.message
    if errors:
        raise ValidationFailed(errors, message="不能结束任职")
    posting = posting_end(actor=actor, posting_id=posting.pk, end_date=end_date, note=note)
    leave = None
    if cause == "term":
        leave = _grant_leave(actor=actor, posting=posting, end_date=end_date, params=params)
    closure = PostingClosure.objects.create(
        posting=posting,
        cause=cause,
        end_date=end_date,
        regular_end=regular,
        reference=reference,
        gap_reason=gap_reason,
        note=note,
        leave=leave,
        closed_by=actor,
    )
    event_record(
        actor=actor, action="posting.close", obj=closure, after=model_snapshot(closure), note=note
    )
    return posting


def _grant_leave(*, actor: User, posting: Posting, end_date: dt.date, params) -> LeaveRequest:  # type: ignore[no-untyped-def]
    start, end = leave_after_term(
        term_end=end_date, params=params, jurisdiction=posting.village.jurisdiction.code
    )
    leave = LeaveRequest.objects.create(
        cadre_id=posting.cadre_id,
        posting=posting,
        village_id=posting.village_id,
        kind=LeaveKind.AFTER_TERM,
        start=start,
        end=end,
        reason=(
            f"驻村任期于{date_label(end_date)}届满,给予一次性补假"
            f"{(end - start).days + 1}天(含双休日)(GUA.3.LEAVE15)"
        ),
        state=LeaveState.APPROVED,
        approver_level=ApproverLevel.TOWNSHIP,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note="驻村结束补假,随任期届满自动批准",
    )
    event_record(actor=actor, action="leave.after_term", obj=leave, after=model_snapshot(leave))
    return leave
