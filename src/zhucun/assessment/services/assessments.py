"""Annual and end-of-term assessments (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE).

The county's organisation department (由所在县(市)党委组织部门牵头) starts the year's
assessments — one draft per cadre posted in a village of the county during the year — or a
cadre's end-of-term assessment; the draft shows the facts the system holds
(``zhucun.assessment.facts``); the body records the opinions heard from village cadres,
party members and villagers (at least one of each before finalising, MGT.5.INPUT), the
appraisal and the grade (exactly 优秀 / 称职 / 基本称职 / 不称职), and finalises: the facts
are frozen, the assessment is read-only.

MGT.5.GRADE: an annual 优秀 counts against the resident cadres' own quota of the county and
year — ⌊annual assessments of the county-year × ``excellent_quota_ratio``⌋ — and NEVER
against the dispatching unit's or the village's quota: the unit's own 优秀 results (of this
cadre's colleagues anywhere) are not the system's business and are never counted here.
Beyond the quota a 优秀 is refused unless the body's decision is recorded. The count runs
under a lock of the county-year's annual assessments, so two finalisations cannot both take
the last place. An end-of-term assessment's grade is not the year's 年度考核等次 and takes no
place of the quota."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.policy.assessment import (
    EXCELLENT,
    GRADE_LABELS,
    KIND_LABELS,
    VOTER_GROUP_LABELS,
    opinion_findings,
    quota_findings,
)
from zhucun.registry import validation
from zhucun.registry.models import Jurisdiction, Posting
from zhucun.registry.selectors import postings_in_period

from ..facts import facts_for
from ..models import TEXT_MAX, Assessment, AssessmentOpinion, AssessmentState
from ..scope import ASSESSMENT_WRITERS, assessment_county, assessment_q
from ..selectors.assessments import quota_figures
from . import notify

ANNUAL, TERM_END = "annual", "term_end"
NOT_FOUND = "考核不存在或不在您的管辖范围内"
ONLY_COUNTY = "驻村干部考核由所在县(市)党委组织部门牵头,您的角色只能查阅(MGT.5.ANNUAL)"
GRADE_ERROR = "考核等次应为:" + "、".join(GRADE_LABELS.values())
SOURCE_MAX, DECISION_MAX = 200, 300
YEAR_MIN, YEAR_MAX = 2000, 2099
CHUNK = 1000


def _today() -> dt.date:
    return timezone.localdate()


def _county(actor: User) -> Jurisdiction:
    county = assessment_county(actor)
    if actor.role not in ASSESSMENT_WRITERS or county is None:
        raise Forbidden(ONLY_COUNTY)
    return county


def _text(errors: dict[str, str], name: str, value: Any, *, limit: int, required: bool) -> str:
    try:
        return validation.text(value, max_length=limit, required=required)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""


def _choice(value: Any, labels: dict[str, str]) -> str:
    s = str(value or "").strip()
    for code, label in labels.items():
        if s in (code, label):
            return code
    return ""


def _postings(county: Jurisdiction, first: dt.date, last: dt.date) -> Any:
    """Postings in villages of ``county`` overlapping [first, last]; per cadre the latest."""
    return postings_in_period(area_path=county.path, first=first, last=last)


@transaction.atomic
def assessment_start(*, actor: User, year: int) -> int:
    """MGT.5.ANNUAL: a draft annual assessment for every cadre posted in a village of the
    actor's county during ``year`` and not yet assessed for it; idempotent; the number made."""
    county = _county(actor)
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationFailed({"year": f"年度应为{YEAR_MIN}至{YEAR_MAX}之间的整数"})
    if year > _today().year:
        raise ValidationFailed({"year": f"{year}年尚未开始,不能开展年度考核(MGT.5.ANNUAL)"})
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    done = Assessment.objects.filter(cadre_id=OuterRef("cadre_id"), kind=ANNUAL, year=year)
    rows = (
        _postings(county, first, last)
        .filter(~Exists(done))
        .order_by("pk")
        .values_list("pk", "cadre_id", "arrival_date", "actual_end")
    )
    count = 0
    batch: list[Assessment] = []
    for posting_id, cadre_id, arrival, end in rows.iterator(chunk_size=2000):
        batch.append(
            Assessment(
                cadre_id=cadre_id,
                posting_id=posting_id,
                county=county,
                kind=ANNUAL,
                year=year,
                period_start=max(first, arrival),
                period_end=min(last, end) if end else last,
                started_by=actor,
            )
        )
        if len(batch) >= CHUNK:
            count += len(Assessment.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    count += len(Assessment.objects.bulk_create(batch, ignore_conflicts=True))
    if count:
        event_record(
            actor=actor,
            action="assessment.start",
            object_type="assessment.assessment",
            object_id=f"{county.code}:{year}",
            after={"county": county.code, "year": year, "kind": ANNUAL, "count": count},
            note=f"{county.name}{year}年度驻村干部考核,{count}人",
        )
    return count


@transaction.atomic
def assessment_term_end_start(*, actor: User, posting_id: int) -> Assessment:
    """MGT.5.ANNUAL: the end-of-term assessment of a posting that has ended or has its end
    date (period: arrival → end)."""
    county = _county(actor)
    posting = (
        Posting.objects.filter(pk=posting_id, village__jurisdiction__path__startswith=county.path)
        .select_related("cadre")
        .first()
    )
    if posting is None:
        raise NotFound("驻村任职不存在或不在本县(市)")
    end = posting.actual_end or posting.planned_end
    if end is None:
        raise ValidationFailed({"posting": "该任职尚无期满或离任日期,不能开展期满考核"})
    if Assessment.objects.filter(cadre_id=posting.cadre_id, kind=TERM_END, year=end.year).exists():
        raise ValidationFailed({"posting": f"{posting.cadre.name} 的驻村期满考核已经开始"})
    a = Assessment.objects.create(
        cadre_id=posting.cadre_id,
        posting=posting,
        county=county,
        kind=TERM_END,
        year=end.year,
        period_start=posting.arrival_date,
        period_end=end,
        started_by=actor,
    )
    event_record(
        actor=actor,
        action="assessment.start_term_end",
        obj=a,
        after=model_snapshot(a),
        note=f"{posting.cadre.name} 驻村期满考核({posting.arrival_date}至{end})",
    )
    return a


def _load(actor: User, assessment_id: int, *, lock: bool = True) -> Assessment:
    """404 outside the actor's view, 403 for a reader; a finalised one is read-only."""
    qs = Assessment.objects.filter(assessment_q(actor), pk=assessment_id)
    if lock:
        qs = qs.select_for_update(of=("self",))
    a = qs.select_related("cadre", "county").first()
    if a is None:
        raise NotFound(NOT_FOUND)
    county = assessment_county(actor)
    if actor.role not in ASSESSMENT_WRITERS or county is None or county.pk != a.county_id:
        raise Forbidden(ONLY_COUNTY)
    if a.state == AssessmentState.FINAL:
        raise ValidationFailed({"state": "该考核已确定等次,不能再修改(MGT.5.ANNUAL)"})
    return a


@transaction.atomic
def assessment_opinion_add(
    *, actor: User, assessment_id: int, group: str, source: str, text: str
) -> AssessmentOpinion:
    """MGT.5.INPUT: an opinion heard from village cadres, party members or villagers."""
    a = _load(actor, assessment_id)
    errors: dict[str, str] = {}
    code = _choice(group, VOTER_GROUP_LABELS)
    if not code:
        errors["group"] = "意见来源应为:" + "、".join(VOTER_GROUP_LABELS.values())
    source = _text(errors, "source", source, limit=SOURCE_MAX, required=True)
    text = _text(errors, "text", text, limit=TEXT_MAX, required=True)
    if errors:
        raise ValidationFailed(errors)
    o = AssessmentOpinion.objects.create(
        assessment=a, group=code, source=source, text=text, recorded_by=actor
    )
    event_record(
        actor=actor,
        action="assessment.opinion",
        obj=o,
        after=model_snapshot(o),
        note=f"{a.cadre.name}:听取{VOTER_GROUP_LABELS[code]}意见({source})",
    )
    return o


@transaction.atomic
def assessment_grade_set(
    *, actor: User, assessment_id: int, appraisal: str, grade: str, quota_decision: str = ""
) -> Assessment:
    """The written appraisal and the grade — exactly one of the four (MGT.5.GRADE)."""
    a = _load(actor, assessment_id)
    errors: dict[str, str] = {}
    code = _choice(grade, GRADE_LABELS)
    if not code:
        errors["grade"] = GRADE_ERROR
    appraisal = _text(errors, "appraisal", appraisal, limit=TEXT_MAX, required=True)
    decision = _text(errors, "quota_decision", quota_decision, limit=DECISION_MAX, required=False)
    if errors:
        raise ValidationFailed(errors)
    fields = ["appraisal", "grade", "quota_decision"]
    before = model_snapshot(a, fields=fields)
    a.appraisal, a.grade, a.quota_decision = appraisal, code, decision
    a.save(update_fields=fields)
    event_record(
        actor=actor,
        action="assessment.grade",
        obj=a,
        before=before,
        after=model_snapshot(a, fields=fields),
        note=f"{a.cadre.name}:{GRADE_LABELS[code]}",
    )
    return a


@transaction.atomic
def assessment_finalise(*, actor: User, assessment_id: int) -> Assessment:
    """Finalise: MGT.5.INPUT opinions of the three groups, appraisal and grade present, an
    annual 优秀 within the resident cadres' quota or with a recorded decision (MGT.5.GRADE);
    the facts are frozen; read-only afterwards."""
    a = _load(actor, assessment_id, lock=False)
    if a.kind == ANNUAL:
        # the county-year's annual assessments, locked in one order: two finalisations of
        # the same county and year queue here and the second counts the first's 优秀
        list(
            Assessment.objects.select_for_update()
            .filter(county_id=a.county_id, year=a.year, kind=ANNUAL)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    a = _load(actor, assessment_id)
    name = a.cadre.name
    errors: dict[str, str] = {}
    groups = AssessmentOpinion.objects.filter(assessment=a).values_list("group", flat=True)
    for f in opinion_findings(name=name, groups=set(groups)):
        errors["opinions"] = f.message
    if not a.appraisal.strip():
        errors["appraisal"] = "请填写考核评语"
    if not a.grade:
        errors["grade"] = GRADE_ERROR
    notes: list[str] = []
    quota: dict[str, Any] = {}
    if a.grade == EXCELLENT and a.kind == ANNUAL:
        assessed, limit, used = quota_figures(a.county, a.year)
        quota = {"assessed": assessed, "quota": limit, "used": used}
        for f in quota_findings(name=name, used=used, quota=limit, decision=a.quota_decision):
            if f.severity == "error":
                errors["grade"] = f.message
            else:
                notes.append(f.message)
    if errors:
        raise ValidationFailed(errors)
    before = model_snapshot(a, fields=["state", "finalised_by", "finalised_at"])
    a.facts = facts_for([a])[a.pk]
    a.state = AssessmentState.FINAL
    a.finalised_by = actor
    a.finalised_at = timezone.now()
    a.save(update_fields=["facts", "state", "finalised_by", "finalised_at"])
    event_record(
        actor=actor,
        action="assessment.finalise",
        obj=a,
        before=before,
        after={**model_snapshot(a, fields=["state", "grade", "finalised_at"]), "quota": quota},
        note=f"{name} {a.year}年{KIND_LABELS[a.kind]}:{GRADE_LABELS[a.grade]}"
        + ("。" + ";".join(notes) if notes else ""),
    )
    notify.result_fed_back(a)  # MGT.5.FEEDBACK: the unit signs for it
    return a
