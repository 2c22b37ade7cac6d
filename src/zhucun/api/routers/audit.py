"""The audit trail for integrators: GET /api/v1/audit, scoped (``api.audit_scope``), newest
first, paginated in the database; personal data shown as on the cadre's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from zhucun.audit.models import Event
from zhucun.registry.disclosure import snapshot_view

from ..audit_scope import events_visible
from ..common import paginate, read_dates, responses, user_of
from ..schemas import PageQuery, Text, page_of

router = Router(tags=["审计日志"])


class AuditQuery(PageQuery):
    object_type: Text = Field(
        "", max_length=64, description="对象类型,如 registry.cadre、selection.nomination"
    )
    object_id: Text = Field("", max_length=64, description="对象编号")
    action: Text = Field("", max_length=64, description="操作(前缀匹配,如 nomination.)")
    since: Text = Field("", max_length=40, description="自该日起(YYYY-MM-DD)")
    until: Text = Field("", max_length=40, description="至该日止(YYYY-MM-DD)")


class AuditEventOut(BaseModel):
    seq: int
    at: dt.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    before: Any = Field(None, description="变更前(个人信息按查阅人的权限显示)")
    after: Any = Field(None, description="变更后(个人信息按查阅人的权限显示)")
    note: str
    hash: str = Field(description="本事件在审计链中的摘要")


AuditPage = page_of(AuditEventOut)


def event_out(user: Any, e: Event) -> dict[str, Any]:
    cadre_id = (
        int(e.object_id) if e.object_type == "registry.cadre" and e.object_id.isdigit() else None
    )

    def unit_of(snap: Any) -> Any:
        if isinstance(snap, dict) and snap.get("unit_id") is not None:
            return snap.get("unit_id")
        return e.after.get("unit_id") if isinstance(e.after, dict) else None

    return {
        "seq": e.seq,
        "at": e.at,
        "actor_name": e.actor_name,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "before": snapshot_view(user, e.before, unit_id=unit_of(e.before), cadre_id=cadre_id),
        "after": snapshot_view(user, e.after, unit_id=unit_of(e.after), cadre_id=cadre_id),
        "note": e.note,
        "hash": e.hash,
    }


@router.get("/audit", response=responses(AuditPage), summary="审计日志(按管辖范围,最新在前)")
def audit_list(request: HttpRequest, filters: Query[AuditQuery]) -> dict[str, Any]:
    user = user_of(request)
    dates = read_dates(
        {"since": filters.since, "until": filters.until}, optional=frozenset({"since", "until"})
    )
    qs = events_visible(user)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if dates["since"]:
        qs = qs.filter(at__date__gte=dates["since"])
    if dates["until"]:
        qs = qs.filter(at__date__lte=dates["until"])
    return paginate(qs.order_by("-seq"), filters, lambda e: event_out(user, e))
