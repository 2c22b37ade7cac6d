"""MGT.4.REVIEW: the county's quarterly analysis of every posted cadre (季度分析研判).

The county body starts the review of a quarter that has begun (one per county and quarter),
records a conclusion per cadre (继续驻村 / 提醒谈话 / 召回) and, once the quarter is over,
signs it: the facts and the MGT.4.CAUSE suggestions of every row are frozen, rows without a
suggestion and without a conclusion get 继续驻村, and the review is read-only and reported up
to the prefecture. A later change of a conclusion is a new, audited ``ReviewCorrection``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.review import CONCLUSION_LABELS, quarter_bounds, quarter_label
from zhucun.registry import validation
from zhucun.registry.models import Jurisdiction
from zhucun.registry.selectors import postings_in_period

from ..models import QuarterlyReview, ReviewCorrection, ReviewEntry, ReviewState
from ..scope import review_counties, review_county_editable
from ..selectors.quarterly import review_rows, rows_page_facts

CLAUSE = "MGT.4.REVIEW"
NOT_FOUND = "季度研判不存在或不在您的管辖范围内"
ONLY_COUNTY = f"季度分析研判由县级驻村工作领导协调机构负责,您的角色只能查阅({CLAUSE})"
CHUNK = 500
CONTINUE = "continue"
YEAR_MIN, YEAR_MAX = 2000, 2099


def _today() -> dt.date:
    return timezone.localdate()


def _quarter(year: Any, quarter: Any) -> tuple[int, int]:
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = f"年度应为{YEAR_MIN}至{YEAR_MAX}之间的整数"
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        errors["quarter"] = "季度应为1至4"
    if errors:
        raise ValidationFailed(errors)
    return year, quarter


def _postings(county: Jurisdiction, first: dt.date, last: dt.date) -> Any:
    """Postings in villages of ``county`` that overlap the quarter; per cadre the latest."""
    return (
        postings_in_period(area_path=county.path, first=first, last=last)
        .order_by("pk")
        .values_list("pk", "cadre_id")
    )


@transaction.atomic
def review_start(*, actor: User, year: int, quarter: int) -> QuarterlyReview:
    """Open the county's review of ``year``/``quarter`` with one row per posted cadre."""
    county = review_county_editable(actor)
    if county is None:
        raise Forbidden(ONLY_COUNTY)
    year, quarter = _quarter(year, quarter)
    first, last = quarter_bounds(year, quarter)
    label = quarter_label(year, quarter)
    if first > _today():
        raise ValidationFailed({"quarter": f"{label}尚未开始,不能开展研判({CLAUSE})"})
    exists = f"{county.name}{label}的研判已经开始,每个季度只开展一次({CLAUSE})"
    if QuarterlyReview.objects.filter(county=county, year=year, quarter=quarter).exists():
        raise ValidationFailed({"quarter": exists})
    try:
        with transaction.atomic():
            review = QuarterlyReview.objects.create(
                county=county, year=year, quarter=quarter, started_by=actor
            )
    except IntegrityError:  # a concurrent start won (one_review_per_county_quarter)
        raise ValidationFailed({"quarter": exists}) from None
    batch: list[ReviewEntry] = []
    count = 0
    for posting_id, cadre_id in _postings(county, first, last).iterator(chunk_size=2000):
        batch.append(ReviewEntry(review=review, cadre_id=cadre_id, posting_id=posting_id))
        if len(batch) >= 1000:
            ReviewEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    ReviewEntry.objects.bulk_create(batch)
    count += len(batch)
    event_record(
        actor=actor,
        action="review.start",
        obj=review,
        after={**model_snapshot(review), "entries": count},
        note=f"{county.name}{label}驻村干部履职情况分析研判,{count}人",
    )
    return review


def _load(actor: User, review_id: int) -> QuarterlyReview:
    """The review locked for a change: 404 outside the actor's view, 403 for a reader."""
    review = (
        QuarterlyReview.objects.select_for_update(of=("self",))
        .filter(county__in=review_counties(actor), pk=review_id)
        .select_related("county")
        .first()
    )
    if review is None:
        raise NotFound(NOT_FOUND)
    editable = review_county_editable(actor)
    if editable is None or editable.pk != review.county_id:
        raise Forbidden(ONLY_COUNTY)
    return review


def _require_draft(review: QuarterlyReview) -> None:
    if review.state != ReviewState.DRAFT:
        raise ValidationFailed(
            {"state": f"该季度研判已签发并报州,不能再修改;如需更正结论,请录入更正记录({CLAUSE})"}
        )


def _conclusion(errors: dict[str, str], value: str) -> str:
    s = (value or "").strip()
    for code, label in CONCLUSION_LABELS.items():
        if s in (code, label):
            return code
    errors["conclusion"] = "研判结论应为:" + "、".join(CONCLUSION_LABELS.values())
    return ""


def _text(errors: dict[str, str], name: str, value: str, *, limit: int, required: bool) -> str:
    try:
        return validation.text(value, max_length=limit, required=required)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""


def _entry(review: QuarterlyReview, cadre_id: int) -> ReviewEntry:
    entry = (
        ReviewEntry.objects.select_for_update(of=("self",))
        .filter(review=review, cadre_id=cadre_id)
        .select_related("cadre")
        .first()
    )
    if entry is None:
        raise NotFound("该干部不在本次季度研判的名单中")
    return entry


@transaction.atomic
def review_conclude(
    *, actor: User, review_id: int, cadre_id: int, conclusion: str, note: str = ""
) -> ReviewEntry:
    """The body's conclusion for one cadre of a draft review."""
    review = _load(actor, review_id)
    _require_draft(review)
    errors: dict[str, str] = {}
    code = _conclusion(errors, conclusion)
    note = _text(errors, "note", note, limit=500, required=False)
    if errors:
        raise ValidationFailed(errors)
    entry = _entry(review, cadre_id)
    before = model_snapshot(entry, fields=["conclusion", "note", "decided_by", "decided_at"])
    entry.conclusion = code
    entry.note = note
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.save(update_fields=["conclusion", "note", "decided_by", "decided_at"])
    event_record(
        actor=actor,
        action="review.conclude",
        obj=entry,
        before=before,
        after=model_snapshot(entry, fields=["conclusion", "note", "decided_by", "decided_at"]),
        note=f"{entry.cadre.name}:{CONCLUSION_LABELS[code]}",
    )
    return entry


@transaction.atomic
def review_sign(*, actor: User, review_id: int, meeting: str) -> QuarterlyReview:
    """Sign the review after the quarter: every row with a suggestion needs a conclusion;
    the others get 继续驻村; facts and suggestions are frozen; reported to the prefecture."""
    review = _load(actor, review_id)
    _require_draft(review)
    errors: dict[str, str] = {}
    meeting = _text(errors, "meeting", meeting, limit=200, required=True)
    _, last = quarter_bounds(review.year, review.quarter)
    label = quarter_label(review.year, review.quarter)
    if _today() <= last:
        errors["quarter"] = f"{label}尚未结束,季度结束后才能签发研判({CLAUSE})"
    if errors:
        raise ValidationFailed(errors)
    params = parameters_current()
    now = timezone.now()
    undecided: list[str] = []
    undecided_count = 0
    defaulted = 0
    after_pk = 0
    rows = review_rows(review=review).order_by("pk")
    while True:
        chunk = list(rows.filter(pk__gt=after_pk)[:CHUNK])
        if not chunk:
            break
        after_pk = chunk[-1].pk
        facts = rows_page_facts(chunk, review=review, params=params)
        for e in chunk:
            f = facts[e.pk]
            e.facts = f.facts
            e.suggestions = f.suggestions
            if not e.conclusion:
                if f.suggestions:
                    undecided_count += 1
                    if len(undecided) < 10:
                        undecided.append(e.cadre.name)
                else:
                    e.conclusion = CONTINUE
                    e.decided_by = actor
                    e.decided_at = now
                    defaulted += 1
        if not undecided_count:
            ReviewEntry.objects.bulk_update(
                chunk, ["facts", "suggestions", "conclusion", "decided_by", "decided_at"]
            )
    if undecided_count:
        more = "等" if undecided_count > len(undecided) else ""
        raise ValidationFailed(
            {
                "conclusion": f"有召回情形提示的{undecided_count}人尚未作出研判结论"
                f"({'、'.join(undecided)}{more}),须逐人研判后才能签发({CLAUSE})"
            }
        )
    before = model_snapshot(review)
    review.state = ReviewState.SIGNED
    review.meeting = meeting
    review.signed_by = actor
    review.signed_at = now
    review.save(update_fields=["state", "meeting", "signed_by", "signed_at"])
    event_record(
        actor=actor,
        action="review.sign",
        obj=review,
        before=before,
        after={**model_snapshot(review), "defaulted_continue": defaulted},
        note=f"{review.county.name}{label}研判签发并报州:{meeting}",
    )
    return review


@transaction.atomic
def review_correct(
    *, actor: User, review_id: int, cadre_id: int, conclusion: str, reason: str
) -> ReviewCorrection:
    """A later correction of a signed review's conclusion: a new record, audited; the
    signed row itself is never changed."""
    review = _load(actor, review_id)
    if review.state != ReviewState.SIGNED:
        raise ValidationFailed(
            {"state": f"研判尚未签发,请直接修改研判结论;签发后的更正才录入更正记录({CLAUSE})"}
        )
    errors: dict[str, str] = {}
    code = _conclusion(errors, conclusion)
    reason = _text(errors, "reason", reason, limit=500, required=True)
    if errors:
        raise ValidationFailed(errors)
    entry = _entry(review, cadre_id)
    correction = ReviewCorrection.objects.create(
        entry=entry, conclusion=code, reason=reason, recorded_by=actor
    )
    event_record(
        actor=actor,
        action="review.correct",
        obj=correction,
        object_type="review.reviewentry",
        object_id=str(entry.pk),
        before={"conclusion": entry.conclusion},
        after=model_snapshot(correction),
        note=f"{entry.cadre.name}:更正为{CONCLUSION_LABELS[code]}。理由:{reason}",
    )
    return correction
