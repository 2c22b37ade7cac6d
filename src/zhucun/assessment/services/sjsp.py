"""MGT.8.SJSP: 三讲三评 — the quarterly event of a village, the votes counted from the paper
ballots (per cadre of the team and per voter group) and the rectifications they require.

Satisfaction is (好 + 较好) / all votes of every group, exact (``policy.assessment``); below
the jurisdiction's ``sjsp_satisfaction_threshold`` the cadre gets a rectification (plan and
due date still to be set: 待制定整改措施). A recount that brings the cadre up to the threshold
closes it with the note ``RECOUNT_NOTE`` — a rectification is never deleted. While the
threshold is unset nothing is required (the page says so).

The import of a township's sheet is ``sjsp_import``; both end in ``sjsp_tallies_record``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import (
    VOTE_LABELS,
    VOTER_GROUP_LABELS,
    VOTES,
    Tally,
    satisfaction,
    sjsp_findings,
)
from zhucun.policy.review import quarter_bounds, quarter_label
from zhucun.registry import validation
from zhucun.registry.models import Cadre, Posting, PostingStatus

from ..models import TEXT_MAX, Rectification, SjspEvent, SjspTally
from ..scope import SJSP_WRITERS, sjsp_cadre_q, sjsp_event_q, sjsp_villages
from . import notify

# A validation bound, not a policy number: no village counts more ballots of one group for one
# cadre than this; a larger figure is a typing slip (an extra digit), refused with the reason.
COUNT_MAX = 10_000
NOTE_MAX = 500
RECOUNT_NOTE = "重新计票后满意度达标"
PLAN_PENDING = "待制定整改措施"
WRITERS_TEXT = "“三讲三评”活动和票数由乡镇(街道)党(工)委或县级驻村工作领导协调机构录入(MGT.8.SJSP)"
EVENT_NOT_FOUND = "“三讲三评”活动不存在或不在您的管辖范围内"
VILLAGE_NOT_FOUND = "村(社区)不存在或不在您的管辖范围内"
RECTIFICATION_NOT_FOUND = "整改记录不存在或不在您的管辖范围内"
DUPLICATE_TEXT = "该村本季度已录入“三讲三评”活动(每村每季度一次),请在原活动中录入票数"


# ---- helpers shared with the import and the pages ------------------------------------------


def require_writer(actor: User) -> None:
    if actor.role not in SJSP_WRITERS:
        raise Forbidden(WRITERS_TEXT)


def events_visible(user: User) -> QuerySet[SjspEvent]:
    return SjspEvent.objects.filter(sjsp_event_q(user))


def event_for_writing(actor: User, event_id: int) -> SjspEvent:
    """The event ``actor`` records votes for (locked): 404 outside the scope, 403 for a
    reader."""
    event = (
        events_visible(actor)
        .select_for_update(of=("self",))
        .select_related("village__jurisdiction")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise NotFound(EVENT_NOT_FOUND)
    require_writer(actor)
    if not sjsp_villages(actor).filter(pk=event.village_id).exists():
        raise NotFound(EVENT_NOT_FOUND)
    return event


def event_check(actor: User, event_id: int) -> None:
    """What ``event_for_writing`` refuses, without a lock (before an upload is read)."""
    village = events_visible(actor).filter(pk=event_id).values_list("village_id", flat=True)
    found = village.first()
    if found is None:
        raise NotFound(EVENT_NOT_FOUND)
    require_writer(actor)
    if not sjsp_villages(actor).filter(pk=found).exists():
        raise NotFound(EVENT_NOT_FOUND)


def team_q(village_id: int, year: int, quarter: int) -> Q:
    """Postings of ``village_id`` that overlap the quarter (arrived by its end, not ended before
    its start; a planned posting has not begun)."""
    first, last = quarter_bounds(year, quarter)
    return (
        Q(village_id=village_id, arrival_date__lte=last)
        & ~Q(status=PostingStatus.PLANNED)
        & (Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )


def event_team(event: SjspEvent) -> QuerySet[Cadre]:
    """The cadres who were posted in the event's village during its quarter: the people the
    village evaluates."""
    postings = Posting.objects.filter(team_q(event.village_id, event.year, event.quarter))
    return Cadre.objects.filter(pk__in=postings.values("cadre_id")).order_by("name", "pk")


def count_value(value: Any) -> int | str:
    """A vote count, or the Chinese reason it is not one: a non-negative integer at most
    COUNT_MAX (digits typed full-width are read; a formula-looking text is refused)."""
    if isinstance(value, bool):
        return "应为非负整数"
    if isinstance(value, float):
        if not value.is_integer():
            return f"应为整数,而不是{value:g}"
        value = int(value)
    if isinstance(value, str):
        s = unicodedata.normalize("NFKC", value).strip()
        if not s:
            return "不能为空(没有票填0)"
        signed = s.startswith(("+", "-"))
        if s.startswith(("=", "@")) or (signed and not (s[1:].isascii() and s[1:].isdigit())):
            return validation.FORMULA_MESSAGE
        s = s[:-2] if s.endswith(".0") else s
        if not re.fullmatch(r"[+-]?[0-9]+", s):
            return f"应为整数票数,而不是“{value}”"
        value = int(s)
    if not isinstance(value, int):
        return "应为非负整数"
    if value < 0:
        return f"票数不能为负数(现为{value})"
    if value > COUNT_MAX:
        return f"票数不能超过{COUNT_MAX}(现为{value}),请检查是否多输了数字"
    return value


def group_code(value: Any) -> str | None:
    s = "" if value is None else str(value).strip()
    for code, label in VOTER_GROUP_LABELS.items():
        if s in (code, label):
            return code
    return None


# ---- events --------------------------------------------------------------------------------


def already_held(village_id: int, year: int, quarter: int) -> bool:
    return SjspEvent.objects.filter(village_id=village_id, year=year, quarter=quarter).exists()


def _int_field(errors: dict[str, str], name: str, value: Any, low: int, high: int) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        errors[name] = f"应为{low}~{high}之间的整数"
        return 0
    if not low <= n <= high:
        errors[name] = f"应在{low}~{high}之间"
        return 0
    return n


@transaction.atomic
def sjsp_event_record(
    *,
    actor: User,
    village_id: int,
    year: int | str,
    quarter: int | str,
    held_on: dt.date | str,
    summary: str,
) -> SjspEvent:
    """MGT.8.SJSP: record a village's 三讲三评 of a quarter (one per village and quarter)."""
    require_writer(actor)
    village = sjsp_villages(actor).filter(pk=village_id).select_related("jurisdiction").first()
    if village is None:
        raise NotFound(VILLAGE_NOT_FOUND)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    y = _int_field(errors, "year", year, validation.EVENT_FLOOR.year, today.year)
    q = _int_field(errors, "quarter", quarter, 1, 4)
    day: dt.date | None = None
    try:
        day = validation.date(held_on)
    except validation.FieldError as exc:
        errors["held_on"] = str(exc)
    try:
        text = validation.text(summary, max_length=TEXT_MAX)
        if text.lstrip(" \u3000").startswith(validation.FORMULA_LEADS):
            errors["summary"] = validation.FORMULA_MESSAGE
    except validation.FieldError as exc:
        errors["summary"] = str(exc)
        text = ""
    if y and q:
        first, last = quarter_bounds(y, q)
        if first > today:
            errors["quarter"] = f"{quarter_label(y, q)}尚未开始"
        elif day is not None and "held_on" not in errors:
            if day < first:
                errors["held_on"] = f"活动日期不能早于{quarter_label(y, q)}({first:%Y-%m-%d}起)"
            elif day > today:
                errors["held_on"] = "不能晚于今天"
        if "quarter" not in errors and already_held(village.pk, y, q):
            errors["quarter"] = DUPLICATE_TEXT
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            event = SjspEvent.objects.create(
                village=village, year=y, quarter=q, held_on=day, summary=text, recorded_by=actor
            )
    except IntegrityError:  # the same village-quarter recorded at the same moment
        raise ValidationFailed({"quarter": DUPLICATE_TEXT}) from None
    event_record(actor=actor, action="sjsp.event", obj=event, after=model_snapshot(event))
    return event


# ---- tallies -------------------------------------------------------------------------------


def _tally_snapshot(tallies: Iterable[SjspTally]) -> list[dict[str, Any]]:
    return [
        {"cadre_id": t.cadre_id, "group": t.group, **{v: getattr(t, v) for v in VOTES}}
        for t in tallies
    ]


def clean_tally_rows(
    rows: Any, team: dict[int, str], *, where: str = "rows"
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows as (cadre_id, group, counts) and the errors keyed ``rows.<i>.<field>`` with a
    Chinese reason naming the row, the cadre and the column."""
    errors: dict[str, str] = {}
    clean: list[dict[str, Any]] = []
    if not isinstance(rows, list | tuple) or not rows:
        return [], {where: "没有票数行"}
    seen: set[tuple[int, str]] = set()
    for i, row in enumerate(rows, start=1):
        at = f"第{i}行"
        if not isinstance(row, dict):
            errors[f"{where}.{i}"] = f"{at}格式不正确"
            continue
        raw_id = row.get("cadre_id")
        cadre_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
        if cadre_id is None and isinstance(raw_id, str) and raw_id.strip().isdigit():
            cadre_id = int(raw_id.strip())
        if cadre_id is None or cadre_id not in team:
            errors[f"{where}.{i}.cadre_id"] = (
                f"{at}:所选干部不是本村该季度的驻村工作队成员,不能参加本村评价"
            )
            continue
        name = team[cadre_id]
        group = group_code(row.get("group"))
        if group is None:
            allowed = "、".join(VOTER_GROUP_LABELS.values())
            errors[f"{where}.{i}.group"] = f"{at}({name}):评价人类别应为{allowed}"
            continue
        if (cadre_id, group) in seen:
            errors[f"{where}.{i}.group"] = (
                f"{at}({name}):“{VOTER_GROUP_LABELS[group]}”的票数重复填写"
            )
            continue
        seen.add((cadre_id, group))
        counts: dict[str, int] = {}
        for vote in VOTES:
            got = count_value(row.get(vote, 0))
            if isinstance(got, str):
                errors[f"{where}.{i}.{vote}"] = (
                    f"{at}({name},{VOTER_GROUP_LABELS[group]})“{VOTE_LABELS[vote]}”:{got}"
                )
            else:
                counts[vote] = got
        if len(counts) == len(VOTES):
            clean.append({"cadre_id": cadre_id, "group": group, **counts})
    return clean, errors


@transaction.atomic
def sjsp_tallies_record(
    *, actor: User, event_id: int, rows: list[dict[str, Any]], source: str = ""
) -> list[SjspTally]:
    """MGT.8.SJSP: the counted votes of an event — every row checked first, nothing written
    unless all pass; a row replaces the earlier count of the same cadre and voter group. Then
    each cadre's satisfaction over all groups decides the rectification (module doc)."""
    event = event_for_writing(actor, event_id)
    team = dict(event_team(event).values_list("pk", "name"))
    clean, errors = clean_tally_rows(rows, team)
    if errors:
        raise ValidationFailed(errors, "票数未通过校验,没有写入任何数据")
    keys = Q()
    for r in clean:
        keys |= Q(cadre_id=r["cadre_id"], group=r["group"])
    before = list(SjspTally.objects.select_for_update().filter(keys, event=event))
    by_key = {(t.cadre_id, t.group): t for t in before}
    snapshot_before = _tally_snapshot(before)
    written: list[SjspTally] = []
    for r in clean:
        tally = by_key.get((r["cadre_id"], r["group"]))
        if tally is None:
            tally = SjspTally.objects.create(event=event, **r)
        else:
            for vote in VOTES:
                setattr(tally, vote, r[vote])
            tally.save(update_fields=list(VOTES))
        written.append(tally)
    event_record(
        actor=actor,
        action="sjsp.tallies",
        obj=event,
        before={"tallies": snapshot_before},
        after={"tallies": _tally_snapshot(written)},
        note=source,
    )
    for cadre_id in sorted({r["cadre_id"] for r in clean}):
        _judge(actor, event, cadre_id, team[cadre_id])
    return written


def _judge(actor: User, event: SjspEvent, cadre_id: int, name: str) -> None:
    sums = SjspTally.objects.filter(event=event, cadre_id=cadre_id).aggregate(
        **{v: Sum(v) for v in VOTES}
    )
    tally = Tally(**{v: int(sums[v] or 0) for v in VOTES})
    findings = sjsp_findings(
        name=name,
        tally=tally,
        params=parameters_current(),
        on=event.held_on,
        jurisdiction=event.village.jurisdiction.code,
    )
    errors = [f for f in findings if f.severity == "error"]
    unset = any(f.severity == "info" for f in findings)
    current = (
        Rectification.objects.select_for_update().filter(event=event, cadre_id=cadre_id).first()
    )
    if errors:
        data = errors[0].data
        if current is None:
            r = Rectification.objects.create(
                event=event,
                cadre_id=cadre_id,
                satisfaction=data["satisfaction"],
                threshold=data["limit"],
                updated_by=actor,
            )
            event_record(
                actor=actor,
                action="sjsp.rectification",
                obj=r,
                after=model_snapshot(r),
                note=errors[0].message,
            )
            return
        old = model_snapshot(current)
        current.satisfaction = data["satisfaction"]
        current.threshold = data["limit"]
        if current.closed_on and current.closing_note == RECOUNT_NOTE:
            current.closed_on = None  # below again after all: listed again
            current.closing_note = ""
        current.updated_by = actor
        current.save()
        event_record(
            actor=actor,
            action="sjsp.rectification",
            obj=current,
            before=old,
            after=model_snapshot(current),
            note=errors[0].message,
        )
        return
    if current is None or current.closed_on is not None or unset:
        return
    old = model_snapshot(current)
    value = satisfaction(tally)
    current.satisfaction = str(value) if value is not None else current.satisfaction
    current.closed_on = timezone.localdate()
    current.closing_note = RECOUNT_NOTE
    current.updated_by = actor
    current.save()
    event_record(
        actor=actor,
        action="sjsp.rectification",
        obj=current,
        before=old,
        after=model_snapshot(current),
        note=RECOUNT_NOTE,
    )


# ---- rectifications ------------------------------------------------------------------------


def _rectification_for_writing(actor: User, rectification_id: int) -> Rectification:
    r = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("event__village", "cadre")
        .filter(event__in=events_visible(actor), pk=rectification_id)
        .filter(sjsp_cadre_q(actor))
        .first()
    )
    if r is None:
        raise NotFound(RECTIFICATION_NOT_FOUND)
    require_writer(actor)
    if not sjsp_villages(actor).filter(pk=r.event.village_id).exists():
        raise NotFound(RECTIFICATION_NOT_FOUND)
    return r


def _clean_text(errors: dict[str, str], name: str, value: Any, limit: int) -> str:
    try:
        s = validation.text(value, max_length=limit)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""
    if s.lstrip(" \u3000").startswith(validation.FORMULA_LEADS):
        errors[name] = validation.FORMULA_MESSAGE
    return s


def _clean_date(errors: dict[str, str], name: str, value: Any) -> dt.date | None:
    try:
        return validation.date(value)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return None


@transaction.atomic
def rectification_plan_set(
    *, actor: User, rectification_id: int, plan: str, due: dt.date | str
) -> Rectification:
    """MGT.8.SJSP: the rectification's measures and its due date (after the event)."""
    r = _rectification_for_writing(actor, rectification_id)
    errors: dict[str, str] = {}
    text = _clean_text(errors, "plan", plan, TEXT_MAX)
    day = _clean_date(errors, "due", due)
    if day is not None and day <= r.event.held_on:
        errors["due"] = f"整改期限应晚于活动日期({r.event.held_on:%Y-%m-%d})"
    if r.closed_on is not None:
        errors["rectification_id"] = "该整改已完成,不能再修改整改措施"
    if errors:
        raise ValidationFailed(errors)
    old = model_snapshot(r)
    r.plan, r.due, r.updated_by = text, day, actor
    r.save(update_fields=["plan", "due", "updated_by"])
    event_record(
        actor=actor,
        action="sjsp.rectification_plan",
        obj=r,
        before=old,
        after=model_snapshot(r),
    )
    notify.rectification_assigned(r)  # the cadre learns the measures and the due date
    return r


@transaction.atomic
def rectification_close(
    *, actor: User, rectification_id: int, closed_on: dt.date | str, closing_note: str
) -> Rectification:
    """MGT.8.SJSP: the rectification is done (it leaves the open list; never deleted)."""
    r = _rectification_for_writing(actor, rectification_id)
    errors: dict[str, str] = {}
    day = _clean_date(errors, "closed_on", closed_on)
    note = _clean_text(errors, "closing_note", closing_note, NOTE_MAX)
    if day is not None and "closed_on" not in errors:
        if day > timezone.localdate():
            errors["closed_on"] = "不能晚于今天"
        elif day < r.event.held_on:
            errors["closed_on"] = f"不能早于活动日期({r.event.held_on:%Y-%m-%d})"
    if r.closed_on is not None:
        errors["rectification_id"] = "该整改已完成"
    elif not r.plan:
        errors["plan"] = f"尚未制定整改措施({PLAN_PENDING}),请先填写整改措施和期限"
    if errors:
        raise ValidationFailed(errors)
    old = model_snapshot(r)
    r.closed_on, r.closing_note, r.updated_by = day, note, actor
    r.save(update_fields=["closed_on", "closing_note", "updated_by"])
    event_record(
        actor=actor,
        action="sjsp.rectification_close",
        obj=r,
        before=old,
        after=model_snapshot(r),
    )
    return r
