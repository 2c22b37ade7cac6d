"""待办 and 站内通知 of the current user: ``GET /me/todo`` is the list the home page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from pydantic import BaseModel

from zhucun.inbox.items import TodoItem
from zhucun.inbox.selectors import todo_list
from zhucun.notices.models import Notice
from zhucun.notices.selectors import notice_list, notice_unread_count
from zhucun.notices.services import notice_read, notices_read_all

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import PageQuery

router = Router(tags=["当前用户"])


class TodoItemOut(BaseModel):
    kind: str
    title: str
    count: int
    url: str
    clause: str
    due: dt.date | None
    working_days_left: int | None
    overdue: bool
    overdue_count: int
    deadline_text: str
    calendar_missing: int | None
    note: str


class TodoOut(BaseModel):
    today: dt.date
    count: int
    items: list[TodoItemOut]


class NoticeOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    url: str
    clause: str
    created_at: dt.datetime
    read: bool


class NoticePageOut(BaseModel):
    count: int
    page: int
    page_size: int
    unread: int
    results: list[NoticeOut]


class NoticeQuery(PageQuery):
    unread: bool = False


class ReadAllOut(BaseModel):
    marked: int


def _item(item: TodoItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": item.title,
        "count": item.count,
        "url": item.url,
        "clause": item.clause,
        "due": item.due,
        "working_days_left": item.working_days_left,
        "overdue": item.is_overdue,
        "overdue_count": item.overdue,
        "deadline_text": item.deadline_text,
        "calendar_missing": item.calendar_missing,
        "note": item.note,
    }


def _notice(n: Notice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "clause": n.clause,
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }


@router.get("/me/todo", response=responses(TodoOut), summary="我的待办(与首页待办一致)")
def me_todo(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    today = timezone.localdate()
    items = todo_list(user=user, today=today)
    return {"today": today, "count": len(items), "items": [_item(i) for i in items]}


@router.get("/me/notices", response=responses(NoticePageOut), summary="我的站内通知")
def me_notices(request: HttpRequest, query: Query[NoticeQuery]) -> dict[str, Any]:
    user = user_of(request)
    page = paginate(notice_list(user=user, unread_only=query.unread), query, _notice)
    return {**page, "unread": notice_unread_count(user=user)}


@router.post("/me/notices/{notice_id}/read", response=responses(NoticeOut), summary="标为已读")
def me_notice_read(request: HttpRequest, notice_id: int = ObjectId) -> dict[str, Any]:
    return _notice(notice_read(actor=user_of(request), notice_id=notice_id))


@router.post("/me/notices/read-all", response=responses(ReadAllOut), summary="全部标为已读")
def me_notices_read_all(request: HttpRequest) -> dict[str, Any]:
    return {"marked": notices_read_all(actor=user_of(request))}
