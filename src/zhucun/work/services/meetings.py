"""MGT.2 (the team's weekly meeting and its task list) and DUT.LIST (key-task lists issued by
the township, county or prefecture, with each village's progress).

A fact is typed once: the meeting's decisions become its tasks in the same transaction, and a
key task can be turned into a team task without typing it again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.models import DUTY_CODES
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.links import page_url
from zhucun.notices.services import notice_send
from zhucun.policy.dates import date_label
from zhucun.policy.work import PROGRESS_LABELS, week_of
from zhucun.registry.collect import clean_name, clean_text
from zhucun.registry.models import Jurisdiction, Posting, PostingStatus, Role, Village

from ..models import TEXT_MAX, KeyTaskItem, KeyTaskList, KeyTaskProgress, Meeting, Task
from ..scope import LIST_ISSUERS, area_path, is_first_secretary_of, team_village_id, village_q

FS_ONLY = "工作例会和任务清单由在岗的第一书记录入(MGT.2)"
ISSUERS_TEXT = "重点任务清单由乡镇(街道)、县级、州级驻村工作领导协调机构下达(DUT.LIST)"
TASK_NOT_FOUND = "任务不存在或不在您的管辖范围内"
ITEM_NOT_FOUND = "重点任务不存在或不在您的管辖范围内"
TITLE_MAX = 300
LIST_TITLE_MAX = 200
NOTE_MAX = 500
TASK_ROWS_MAX = 20
ITEMS_MAX = 50


# ---- field cleaning -----------------------------------------------------------------------------


def _date(errors: dict[str, str], name: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[name] = "请填写日期(年-月-日)" if not str(value or "").strip() else "日期格式不对"
        return None


def _duty(errors: dict[str, str], name: str, value: Any) -> str:
    code = str(value or "").strip()
    if code in DUTY_CODES:
        return code
    by_label = {v: k for k, v in DUTY_CODES.items()}
    if code in by_label:
        return by_label[code]
    errors[name] = "请选择职责任务类别(DUT.1–DUT.5)"
    return ""


def _id(value: Any) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def team_cadre_ids(village_id: int, on: dt.date) -> QuerySet[Posting]:
    """The cadres of the village's team on ``on``: postings begun by then and not yet ended."""
    return (
        Posting.objects.filter(village_id=village_id, arrival_date__lte=on)
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=on))
    )


def fs_posting(actor: User) -> Posting:
    """The actor's active first-secretary posting, or 403."""
    if actor.role != UserRole.FIRST_SECRETARY or not actor.cadre_id:
        raise Forbidden(FS_ONLY)
    posting = (
        Posting.objects.filter(cadre_id=actor.cadre_id, status=PostingStatus.ACTIVE)
        .select_related("village__jurisdiction")
        .first()
    )
    if posting is None or posting.role != Role.FIRST_SECRETARY:
        raise Forbidden(FS_ONLY)
    return posting


def _task_rows(
    errors: dict[str, str], tasks: Iterable[Mapping[str, Any]], *, team: set[int]
) -> list[dict[str, Any]]:
    rows = list(tasks)
    if len(rows) > TASK_ROWS_MAX:
        errors["tasks"] = f"一次最多{TASK_ROWS_MAX}项任务"
        return []
    out = []
    for i, t in enumerate(rows):
        key = f"tasks.{i}"
        out.append(_task_fields(errors, key, t, team=team))
    return out


def _task_fields(
    errors: dict[str, str], key: str, t: Mapping[str, Any], *, team: set[int]
) -> dict[str, Any]:
    prefix = f"{key}." if key else ""
    title = clean_name(errors, f"{prefix}title", t.get("title"), limit=TITLE_MAX)
    owner = _id(t.get("owner_id"))
    if owner is None or owner not in team:
        errors[f"{prefix}owner_id"] = "责任人须是本村驻村工作队成员"
    due = _date(errors, f"{prefix}due", t.get("due"))
    duty = _duty(errors, f"{prefix}duty", t.get("duty"))
    return {"title": title, "owner_id": owner, "due": due, "duty": duty}


# ---- meetings and tasks (MGT.2) -----------------------------------------------------------------


def tasks_assigned(actor: User, tasks: list[Task]) -> None:
    """MGT.2: each task's owner (other than the one who wrote it) is told what and by when —
    one query for the owners' accounts, inside the caller's transaction."""
    if not tasks:
        return
    owners = {t.owner_id for t in tasks}
    users = User.objects.filter(cadre_id__in=owners, is_active=True).exclude(pk=actor.pk)
    by_cadre: dict[int, list[User]] = {}
    for u in users:
        by_cadre.setdefault(int(u.cadre_id or 0), []).append(u)
    url = page_url("web:work_tasks") + "?state=open"
    for t in tasks:
        notice_send(
            users=by_cadre.get(t.owner_id, []),
            kind="task_assigned",
            title=f"您有一项新任务:{t.title}(请于{date_label(t.due)}前完成)",
            url=url,
            clause="MGT.2",
        )


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    held_on: dt.date | str,
    attendee_ids: Iterable[Any],
    topics: str,
    decisions: str = "",
    tasks: Iterable[Mapping[str, Any]] = (),
) -> Meeting:
    """MGT.2: the first secretary records the week's meeting; its decisions become tasks."""
    posting = fs_posting(actor)
    village_id = posting.village_id
    errors: dict[str, str] = {}
    day = _date(errors, "held_on", held_on)
    if day is not None and day > timezone.localdate():
        errors["held_on"] = "会议日期不能晚于今天"
    elif day is not None and day < posting.arrival_date:
        errors["held_on"] = f"会议日期不能早于您到岗的日期({posting.arrival_date:%Y-%m-%d})"
    on = day if day is not None and "held_on" not in errors else timezone.localdate()
    team = set(team_cadre_ids(village_id, on).values_list("cadre_id", flat=True))
    ids = [_id(a) for a in attendee_ids]
    if not ids:
        errors["attendee_ids"] = "请选择参会人员"
    elif any(i is None or i not in team for i in ids):
        errors["attendee_ids"] = "参会人员须是会议当日本村驻村工作队成员"
    about = clean_text(errors, "topics", topics, limit=TEXT_MAX)
    decided = clean_text(errors, "decisions", decisions, limit=TEXT_MAX, required=False)
    rows = _task_rows(errors, tasks, team=team)
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    meeting = Meeting.objects.create(
        village_id=village_id,
        held_on=day,
        week=week_of(day),
        topics=about,
        decisions=decided,
        recorded_by=actor,
    )
    meeting.attendees.set(sorted({i for i in ids if i is not None}))
    made = [
        Task.objects.create(village_id=village_id, meeting=meeting, created_by=actor, **row)
        for row in rows
    ]
    after = model_snapshot(meeting)
    after["attendee_ids"] = sorted({i for i in ids if i is not None})
    after["task_ids"] = [t.pk for t in made]
    event_record(actor=actor, action="meeting.record", obj=meeting, after=after)
    tasks_assigned(actor, made)
    return meeting


def _key_item_for(actor_village: Village, key_item_id: Any) -> KeyTaskItem:
    pk = _id(key_item_id)
    item = (
        KeyTaskItem.objects.select_related("list__jurisdiction").filter(pk=pk).first()
        if pk
        else None
    )
    if item is None or not str(actor_village.jurisdiction.path).startswith(
        str(item.list.jurisdiction.path)
    ):
        raise NotFound(ITEM_NOT_FOUND)
    return item


@transaction.atomic
def task_create(
    *,
    actor: User,
    title: str = "",
    owner_id: Any,
    due: dt.date | str | None = None,
    duty: str = "",
    key_item_id: Any = None,
) -> Task:
    """MGT.2 / DUT.LIST: a task of the team (from a key task: its title, duty and due date
    are taken over where not given)."""
    posting = fs_posting(actor)
    village = posting.village
    item = _key_item_for(village, key_item_id) if key_item_id not in (None, "") else None
    data = {
        "title": title or (item.title if item else ""),
        "owner_id": owner_id,
        "due": due or (item.due if item else None),
        "duty": duty or (item.duty if item else ""),
    }
    errors: dict[str, str] = {}
    team = set(team_cadre_ids(village.pk, timezone.localdate()).values_list("cadre_id", flat=True))
    row = _task_fields(errors, "", data, team=team)
    if errors:
        raise ValidationFailed(errors)
    task = Task.objects.create(village=village, key_item=item, created_by=actor, **row)
    event_record(actor=actor, action="task.create", obj=task, after=model_snapshot(task))
    tasks_assigned(actor, [task])
    return task


@transaction.atomic
def task_done(*, actor: User, task_id: int, done_on: dt.date | str, done_note: str = "") -> Task:
    """The first secretary of the village or the task's owner marks it done."""
    task = Task.objects.select_for_update().filter(village_q(actor), pk=task_id).first()
    if task is None:
        raise NotFound(TASK_NOT_FOUND)
    is_owner = actor.cadre_id is not None and actor.cadre_id == task.owner_id
    if not (is_first_secretary_of(actor, task.village_id) or is_owner):
        raise Forbidden("任务由本村第一书记或任务责任人标记完成(MGT.2)")
    if task.state == "done":
        raise ValidationFailed({"task_id": "该任务已标记完成"})
    errors: dict[str, str] = {}
    day = _date(errors, "done_on", done_on)
    if day is not None and day > timezone.localdate():
        errors["done_on"] = "完成日期不能晚于今天"
    note = clean_text(errors, "done_note", done_note, limit=NOTE_MAX, required=False)
    if errors:
        raise ValidationFailed(errors)
    before = model_snapshot(task)
    task.state, task.done_on, task.done_note = "done", day, note
    task.save(update_fields=["state", "done_on", "done_note"])
    event_record(
        actor=actor, action="task.done", obj=task, before=before, after=model_snapshot(task)
    )
    return task


# ---- key-task lists (DUT.LIST) ------------------------------------------------------------------


def _issuer_area(actor: User, jurisdiction_id: Any) -> Jurisdiction:
    if actor.role not in LIST_ISSUERS:
        raise Forbidden(ISSUERS_TEXT)
    if actor.role == UserRole.ADMIN:
        pk = _id(jurisdiction_id)
        area = (
            Jurisdiction.objects.filter(pk=pk).first()
            if pk
            else Jurisdiction.objects.filter(parent__isnull=True).order_by("code").first()
        )
        if area is None:
            raise ValidationFailed({"jurisdiction_id": "请选择下达范围"})
        return area
    if area_path(actor) is None:
        raise Forbidden(ISSUERS_TEXT)
    return actor.jurisdiction  # type: ignore[return-value]


@transaction.atomic
def key_list_issue(
    *,
    actor: User,
    title: str,
    issued_on: dt.date | str,
    note: str = "",
    items: Iterable[Mapping[str, Any]] = (),
    jurisdiction_id: Any = None,
) -> KeyTaskList:
    """DUT.LIST: a body issues a key-task list to every village of its area (an administrator
    names the area; by default the whole prefecture). Progress rows are not pre-created: a
    village without a row is 未开始."""
    area = _issuer_area(actor, jurisdiction_id)
    errors: dict[str, str] = {}
    name = clean_name(errors, "title", title, limit=LIST_TITLE_MAX)
    day = _date(errors, "issued_on", issued_on)
    if day is not None and day > timezone.localdate():
        errors["issued_on"] = "下达日期不能晚于今天"
    said = clean_text(errors, "note", note, limit=TEXT_MAX, required=False)
    rows = list(items)
    if not rows:
        errors["items"] = "请至少列出一项重点任务"
    elif len(rows) > ITEMS_MAX:
        errors["items"] = f"一份清单最多{ITEMS_MAX}项任务"
    clean_rows = []
    for i, r in enumerate(rows[:ITEMS_MAX]):
        t = clean_name(errors, f"items.{i}.title", r.get("title"), limit=TITLE_MAX)
        duty = _duty(errors, f"items.{i}.duty", r.get("duty"))
        due = _date(errors, f"items.{i}.due", r.get("due"))
        if due is not None and day is not None and due < day:
            errors[f"items.{i}.due"] = "完成时限不能早于下达日期"
        clean_rows.append({"title": t, "duty": duty, "due": due})
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    kl = KeyTaskList.objects.create(
        jurisdiction=area, title=name, issued_on=day, note=said, issued_by=actor
    )
    KeyTaskItem.objects.bulk_create(KeyTaskItem(list=kl, **r) for r in clean_rows)
    after = model_snapshot(kl)
    after["items"] = [{**r, "due": r["due"].isoformat()} for r in clean_rows]
    event_record(actor=actor, action="keylist.issue", obj=kl, after=after)
    return kl


@transaction.atomic
def key_progress_report(
    *, actor: User, item_id: int, state: str, note: str = ""
) -> KeyTaskProgress:
    """DUT.LIST: the first secretary of a village in the list's area reports its progress
    (the latest state; before and after are audited)."""
    village_id = team_village_id(actor)
    if actor.role != UserRole.FIRST_SECRETARY or village_id is None:
        raise Forbidden("重点任务进展由本村第一书记报告(DUT.LIST)")
    village = Village.objects.select_related("jurisdiction").get(pk=village_id)
    item = _key_item_for(village, item_id)
    errors: dict[str, str] = {}
    if state not in PROGRESS_LABELS:
        by_label = {v: k for k, v in PROGRESS_LABELS.items()}
        state = by_label.get(state, "")
        if not state:
            errors["state"] = "请选择进展:" + "、".join(PROGRESS_LABELS.values())
    said = clean_text(errors, "note", note, limit=NOTE_MAX, required=False)
    if errors:
        raise ValidationFailed(errors)
    row = KeyTaskProgress.objects.select_for_update().filter(item=item, village=village).first()
    before = model_snapshot(row) if row else None
    if row is None:
        row = KeyTaskProgress.objects.create(
            item=item, village=village, state=state, note=said, reported_by=actor
        )
    else:
        row.state, row.note, row.reported_by = state, said, actor
        row.save()
    event_record(
        actor=actor, action="keylist.progress", obj=row, before=before, after=model_snapshot(row)
    )
    return row
