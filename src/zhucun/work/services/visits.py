"""Village groups and visits (MGT.8.GROUPS, MGT.8.VISITS, DUT.2): a group's contact cadre, the
households visited (recorded minimally) and the visits; a return-to-poverty risk found on a
visit is flagged to the township until it acknowledges it.

Writers: the contact is assigned by the village's first secretary or by the township; a
household is added by the village's team or the township; a visit is recorded by a team member
or the first secretary of the village in post (the visit's cadre is the one who records it);
the township of the village acknowledges a risk. Outside the reader's scope a group or a visit
does not exist (404); a reader who may not write gets 403 with the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.policy.dates import date_label
from zhucun.policy.work import VISIT_PURPOSE_LABELS, VISIT_PURPOSES
from zhucun.registry import collect
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus, Village

from ..models import TEXT_MAX, GroupContact, Household, Visit
from ..scope import team_village_id, villages_readable

GROUP_NOT_FOUND = "村(居)民小组不存在或不在您的管辖范围内"
VISIT_NOT_FOUND = "走访记录不存在或不在您的管辖范围内"
CONTACT_WRITERS_TEXT = "分片联系人由本村第一书记或乡镇(街道)指定(MGT.8.GROUPS)"
HOUSEHOLD_WRITERS_TEXT = "走访农户由本村驻村工作队或乡镇(街道)登记(DUT.2)"
VISIT_WRITERS_TEXT = "走访记录由本村在岗的驻村工作队员录入(MGT.8.VISITS)"
ACK_TEXT = "返贫致贫风险由所在乡镇(街道)确认(MGT.8.VISITS)"
CONTACT_RACE_TEXT = "该小组的联系人刚被他人修改,请刷新后重试"
FIELD_LABELS = {
    "group_id": "村(居)民小组",
    "cadre_id": "联系人",
    "since": "联系起始日期",
    "head_name": "户主姓名",
    "risk_return_to_poverty": "返贫致贫风险",
    "note": "备注",
    "visited_on": "走访日期",
    "purposes": "走访事项",
    "household_ids": "走访农户",
    "new_households": "新增农户",
    "findings": "走访情况",
    "risk_found": "发现返贫致贫风险",
    "follow_up": "跟进措施",
    "visit_id": "走访记录",
}
NAME_MAX = 32
NOTE_MAX = 300
ACK_NOTE_MAX = 300
NEW_HOUSEHOLDS_MAX = 20
HOUSEHOLDS_MAX = 200


# ---- cleaning ------------------------------------------------------------------------------


def clean_text(
    errors: dict[str, str], name: str, value: Any, *, limit: int, required: bool = False
) -> str:
    return collect.clean_text(errors, name, value, limit=limit, required=required)


def clean_name(errors: dict[str, str], name: str, value: Any) -> str:
    """A person's name, as the registry's names (one line, no formula, at most 32)."""
    return collect.clean_name(errors, name, value, limit=NAME_MAX)


clean_day = collect.clean_day
clean_flag = collect.clean_flag


def clean_purposes(errors: dict[str, str], value: Any) -> list[str]:
    """At least one of VISIT_PURPOSES, given as codes or Chinese labels; kept in their order."""
    raw = [value] if isinstance(value, str) else list(value or [])
    by_label = {label: code for code, label in VISIT_PURPOSE_LABELS.items()}
    chosen: set[str] = set()
    for item in raw[: len(VISIT_PURPOSES) * 2]:
        s = str(item).strip()
        code = s if s in VISIT_PURPOSE_LABELS else by_label.get(s)
        if code is None:
            allowed = "、".join(VISIT_PURPOSE_LABELS.values())
            errors["purposes"] = f"“{s[:20]}”不是有效的走访事项,应为:{allowed}"
            return []
        chosen.add(code)
    if not chosen:
        errors["purposes"] = "至少选择一项走访事项(返贫监测、帮扶救助、关心慰问等)"
    return [code for code in VISIT_PURPOSES if code in chosen]


def clean_ids(errors: dict[str, str], name: str, value: Any, *, limit: int) -> list[int]:
    out: list[int] = []
    for item in list(value or [])[: limit + 1]:
        s = str(item).strip()
        if not s.isdigit() or len(s) > 12:
            errors[name] = f"“{s[:20]}”不是有效的编号"
            return []
        out.append(int(s))
    if len(out) > limit:
        errors[name] = f"一次最多{limit}户"
        return []
    return list(dict.fromkeys(out))


# ---- places --------------------------------------------------------------------------------


def group_of(group_id: Any) -> tuple[Jurisdiction, Village] | None:
    """The village group and its village (a group is a village_group under a village)."""
    if not str(group_id).isdigit() or len(str(group_id)) > 12:
        return None
    group = (
        Jurisdiction.objects.filter(
            pk=int(group_id), level=Level.VILLAGE_GROUP, parent__village__isnull=False
        )
        .select_related("parent__village")
        .first()
    )
    if group is None or group.parent is None:
        return None
    return group, group.parent.village


def readable_group(actor: User, group_id: Any) -> tuple[Jurisdiction, Village]:
    found = group_of(group_id)
    if found is None or not villages_readable(actor).filter(pk=found[1].pk).exists():
        raise NotFound(GROUP_NOT_FOUND)
    return found


def is_township_of(actor: User, village: Village) -> bool:
    """A township user whose area holds ``village`` (the caller checked it is readable)."""
    return actor.role == UserRole.TOWNSHIP and bool(actor.jurisdiction_id)


def on_team(cadre_id: int, village_id: int, day: dt.date) -> bool:
    """The cadre holds an active posting to the village on ``day``."""
    return (
        Posting.objects.filter(
            cadre_id=cadre_id,
            village_id=village_id,
            status=PostingStatus.ACTIVE,
            arrival_date__lte=day,
        )
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=day))
        .exists()
    )


def _is_fs(actor: User, village: Village) -> bool:
    return actor.role == UserRole.FIRST_SECRETARY and team_village_id(actor) == village.pk


def _is_team(actor: User, village: Village) -> bool:
    return team_village_id(actor) == village.pk


def current_contact(group: Jurisdiction) -> GroupContact | None:
    """The group's current contact, locked; another assignment committed after this read
    meets the unique constraint (one current contact per group) and is refused."""
    return GroupContact.objects.select_for_update().filter(group=group, until__isnull=True).first()


# ---- services ------------------------------------------------------------------------------


@transaction.atomic
def group_contact_assign(
    *, actor: User, group_id: int, cadre_id: int, since: dt.date | str
) -> GroupContact:
    """MGT.8.GROUPS: ``cadre`` contacts the group from ``since``; the current contact (if any)
    ends the day before. The cadre must be on the village's team on ``since``."""
    group, village = readable_group(actor, group_id)
    if not (_is_fs(actor, village) or is_township_of(actor, village)):
        raise Forbidden(CONTACT_WRITERS_TEXT)
    errors: dict[str, str] = {}
    day = clean_day(errors, "since", since, past=False)
    cid = int(cadre_id) if str(cadre_id).isdigit() and len(str(cadre_id)) <= 12 else 0
    if day is not None and not on_team(cid, village.pk, day):
        errors["cadre_id"] = f"该干部{date_label(day)}不在{village.jurisdiction.name}驻村工作队"
    previous = current_contact(group)
    if day is not None and previous is not None and previous.since >= day:
        errors["since"] = f"现任联系人自{date_label(previous.since)}起联系,新的起始日期应晚于该日"
    if previous is not None and previous.cadre_id == cid and "cadre_id" not in errors:
        errors["cadre_id"] = "该干部已是本小组的联系人"
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    try:
        with transaction.atomic():
            if previous is not None:
                before = model_snapshot(previous)
                previous.until = day - dt.timedelta(days=1)
                previous.save(update_fields=["until"])
                event_record(
                    actor=actor,
                    action="group_contact.end",
                    obj=previous,
                    before=before,
                    after=model_snapshot(previous),
                )
            contact = GroupContact.objects.create(
                group=group, cadre_id=cid, since=day, assigned_by=actor
            )
    except IntegrityError:
        raise ValidationFailed({"group_id": CONTACT_RACE_TEXT}) from None
    event_record(
        actor=actor, action="group_contact.assign", obj=contact, after=model_snapshot(contact)
    )
    return contact


def _household_create(
    *, actor: User, group: Jurisdiction, head_name: str, risk: bool, note: str
) -> Household:
    h = Household.objects.create(
        group=group, head_name=head_name, risk_return_to_poverty=risk, note=note, created_by=actor
    )
    event_record(actor=actor, action="household.add", obj=h, after=model_snapshot(h))
    return h


@transaction.atomic
def household_add(
    *,
    actor: User,
    group_id: int,
    head_name: str,
    risk_return_to_poverty: bool = False,
    note: str = "",
) -> Household:
    """DUT.2: a household of a group (householder's name, risk flag, note)."""
    group, village = readable_group(actor, group_id)
    if not (_is_team(actor, village) or is_township_of(actor, village)):
        raise Forbidden(HOUSEHOLD_WRITERS_TEXT)
    errors: dict[str, str] = {}
    name = clean_name(errors, "head_name", head_name)
    risk = clean_flag(errors, "risk_return_to_poverty", risk_return_to_poverty)
    text = clean_text(errors, "note", note, limit=NOTE_MAX)
    if errors:
        raise ValidationFailed(errors)
    return _household_create(actor=actor, group=group, head_name=name, risk=risk, note=text)


def _new_households(errors: dict[str, str], value: Iterable[Any] | None) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    items = list(value or [])
    if len(items) > NEW_HOUSEHOLDS_MAX:
        errors["new_households"] = f"一次最多新增{NEW_HOUSEHOLDS_MAX}户"
        return []
    for item in items:
        data = item if isinstance(item, dict) else {"head_name": item}
        name = clean_name(errors, "new_households", data.get("head_name"))
        risk = clean_flag(errors, "new_households", data.get("risk_return_to_poverty", False))
        if "new_households" in errors:
            return []
        out.append((name, risk))
    return out


@transaction.atomic
def visit_record(
    *,
    actor: User,
    group_id: int,
    visited_on: dt.date | str,
    purposes: Sequence[str] | str,
    household_ids: Sequence[int] | None = None,
    new_households: Sequence[dict[str, Any]] | None = None,
    findings: str = "",
    risk_found: bool = False,
    follow_up: str = "",
) -> Visit:
    """MGT.8.VISITS: a visit to a group of the actor's village (and its households). A risk
    found needs its follow-up; it marks the households named with the risk (DUT.2) and stays
    on the township's list until acknowledged."""
    group, village = readable_group(actor, group_id)
    if not _is_team(actor, village) or not actor.cadre_id:
        raise Forbidden(VISIT_WRITERS_TEXT)
    errors: dict[str, str] = {}
    day = clean_day(errors, "visited_on", visited_on, past=True)
    codes = clean_purposes(errors, purposes)
    ids = clean_ids(errors, "household_ids", household_ids, limit=HOUSEHOLDS_MAX)
    fresh = _new_households(errors, new_households)
    text = clean_text(errors, "findings", findings, limit=TEXT_MAX)
    risk = clean_flag(errors, "risk_found", risk_found)
    then = clean_text(errors, "follow_up", follow_up, limit=TEXT_MAX)
    if risk and not then and "follow_up" not in errors:
        errors["follow_up"] = "发现返贫致贫风险的,须填写跟进措施(MGT.8.VISITS)"
    if (
        day is not None
        and "visited_on" not in errors
        and not on_team(actor.cadre_id, village.pk, day)
    ):
        errors["visited_on"] = "该日您不在本村驻村工作队"
    known = list(Household.objects.select_for_update().filter(pk__in=ids, group=group))
    if len(known) != len(ids):
        errors["household_ids"] = "所选农户不属于该小组"
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    households = known + [
        _household_create(actor=actor, group=group, head_name=name, risk=flag, note="")
        for name, flag in fresh
    ]
    visit = Visit.objects.create(
        village=village,
        group=group,
        cadre_id=actor.cadre_id,
        visited_on=day,
        purposes=codes,
        findings=text,
        risk_found=risk,
        follow_up=then,
        recorded_by=actor,
    )
    visit.households.set(households)
    if risk:
        for h in known:
            if not h.risk_return_to_poverty:
                before = model_snapshot(h)
                h.risk_return_to_poverty = True
                h.save(update_fields=["risk_return_to_poverty"])
                event_record(
                    actor=actor,
                    action="household.risk_flag",
                    obj=h,
                    before=before,
                    after=model_snapshot(h),
                )
    after = model_snapshot(visit)
    after["households"] = [h.pk for h in households]
    event_record(actor=actor, action="visit.record", obj=visit, after=after)
    return visit


@transaction.atomic
def visit_risk_acknowledge(*, actor: User, visit_id: int, note: str = "") -> Visit:
    """MGT.8.VISITS: the township of the village has seen the risk and its follow-up."""
    visit = (
        Visit.objects.select_for_update()
        .filter(pk=visit_id, village__in=villages_readable(actor).values("pk"))
        .first()
        if str(visit_id).isdigit() and len(str(visit_id)) <= 12
        else None
    )
    if visit is None:
        raise NotFound(VISIT_NOT_FOUND)
    if not is_township_of(actor, visit.village):
        raise Forbidden(ACK_TEXT)
    errors: dict[str, str] = {}
    text = clean_text(errors, "note", note, limit=ACK_NOTE_MAX)
    if not visit.risk_found:
        errors["visit_id"] = "该次走访未发现返贫致贫风险,无需确认"
    elif visit.acknowledged_at is not None:
        errors["visit_id"] = "该风险已确认"
    if errors:
        raise ValidationFailed(errors)
    before = model_snapshot(visit)
    visit.acknowledged_by = actor
    visit.acknowledged_at = timezone.now()
    visit.save(update_fields=["acknowledged_by", "acknowledged_at"])
    event_record(
        actor=actor,
        action="visit.acknowledge",
        obj=visit,
        before=before,
        after=model_snapshot(visit),
        note=text,
    )
    return visit
