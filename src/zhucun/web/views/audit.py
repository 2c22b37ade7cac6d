"""审计日志 for admin and prefecture: events newest first, with the before/after diff."""

from __future__ import annotations

import datetime as dt
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhucun.audit.labels import ACTION_LABELS, OBJECT_LABELS, action_label, object_label
from zhucun.audit.models import Event
from zhucun.registry.disclosure import snapshot_view

from ..chrome import AUDIT_ROLES
from ._common import date_filter, not_found, page_view, paginate
from ._sorting import sort_param

# 时间 (the moment) and 序号 (the chain's order; several events can share a moment) sort the
# log, newest first by default; 操作人 groups an actor's events, newest first within
AUDIT_SORTS = {
    "seq": "seq",
    "at": ("at", "seq"),
    "actor": ("actor_name", "-seq"),
}

# keys of audit snapshots that are not fields of the audited model
KEY_LABELS = {
    "key": "账号或来源地址",
    "locked_until": "锁定至",
    "window_start": "计数起点",
    "state": "状态",
    "name": "名称",
    "version": "版本",
    "text": "内容",
    "rows": "行数",
    "counts": "数量",
    "override_reason": "特批理由",
    "duties": "工作内容",
    "year": "年度",
    "user_id": "账号",
    "start": "开始日期",
    "end": "结束日期",
    "spouse_id": "配偶",
    "source": "来源",
    "revoked_at": "吊销时间",
    "returned_on": "返岗日期",
    "reasons": "说明理由",
    "reason": "理由",
    "prefix": "令牌前缀",
    "note": "说明",
    "month": "月份",
    "jurisdiction": "辖区",
    "township": "乡镇(街道)",
    "workdays": "工作日数",
    "findings": "审查意见",
    "file": "文件",
    "entry": "条目",
    "entries": "条目",
    "decision": "决定",
    "day": "日期",
    "caption": "说明文字",
    "actual_end": "实际结束日期",
    "created": "新增",
    "updated": "更新",
    "skipped": "跳过",
    "errors": "错误",
    "kind": "类别",
    "value": "取值",
    "effective": "生效日期",
    "parameter": "参数",
    "clause": "条款",
    "message": "内容",
    "data": "数据",
    "failures": "失败次数",
    "address": "地址",
    "signals": "异常签到提示",
}
# values of snapshot keys that hold codes (MGT.1.FRAUD signal kinds, zhucun.policy.fraud)
VALUE_LABELS = {
    "signals": {
        "speed": "移动速度异常",
        "shared_device": "多人共用手机",
        "repeated_coordinates": "坐标重复",
        "on_leave": "请假期间签到",
        "clock_ahead": "手机时间超前",
        "clock_behind": "手机时间滞后",
    }
}
HIDDEN = object()


def _field(object_type: str, key: str):
    try:
        meta = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        return None
    name = key[:-3] if key.endswith("_id") and key != "id" else key
    try:
        return meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(object_type: str, key: str) -> str:
    """The Chinese verbose name of ``key`` (a field name or attname) of ``object_type``, or of a
    known snapshot key; never the key itself."""
    field = _field(object_type, key)
    # a reverse relation (CheckIn.signals from FraudSignal) has no verbose name
    label = str(getattr(field, "verbose_name", "") or "")
    if label and not label.isascii():
        return label
    return KEY_LABELS.get(key, "其他信息")


def show(value: object, object_type: str = "", key: str = "") -> object:
    """A stored value as a reader sees it: 是/否 for booleans, a choice's Chinese label for its
    code, lists and nested records spelt out; None stays None (the page shows ∅)."""
    if value is None or value is HIDDEN:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(show(v, object_type, key)) for v in value) or "(无)"
    if isinstance(value, dict):
        if "message" in value:  # a finding: [clause] message
            clause = value.get("clause")
            return f"[{clause}] {value['message']}" if clause else str(value["message"])
        return ";".join(
            f"{field_label(object_type, str(k))}:{show(v, object_type, str(k))}"
            for k, v in value.items()
        )
    field = _field(object_type, key) if object_type and key else None
    choices = dict(getattr(field, "flatchoices", None) or ()) or VALUE_LABELS.get(key, {})
    if choices and value in choices:
        return str(choices[value])
    if key in VALUE_LABELS:  # a code this page does not know yet: never the code itself
        return "其他"
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        return _local_moment(value)
    return value


# a moment as the audit snapshots store it (ISO 8601 with an offset, to the microsecond)
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")


def _local_moment(text: str) -> str:
    """2026-12-05T04:43:18.249945+00:00 → 2026-12-05 12:43:18 (the site's time zone)."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def diff(before: object, after: object, object_type: str = "") -> list[tuple[str, object, object]]:
    """(field label, old, new) for every field that differs; a create lists all fields."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    rows = []
    for key in sorted(set(b) | set(a)):
        old, new = b.get(key, HIDDEN), a.get(key, HIDDEN)
        if old != new:
            rows.append(
                (
                    field_label(object_type, key),
                    "" if old is HIDDEN else show(old, object_type, key),
                    "" if new is HIDDEN else show(new, object_type, key),
                )
            )
    return rows


def shown(user, e: Event) -> tuple[object, object]:
    """The event's before/after as ``user`` may see them: a cadre's personal data through
    ``disclosure`` (the same rules as the cadre's page); the stored event is not changed."""
    cadre_id = None
    if e.object_type == "registry.cadre" and str(e.object_id).isdigit():
        cadre_id = int(e.object_id)
    out = []
    for snap in (e.before, e.after):
        unit_id = snap.get("unit_id") if isinstance(snap, dict) else None
        if unit_id is None and isinstance(e.after, dict):
            unit_id = e.after.get("unit_id")
        out.append(snapshot_view(user, snap, unit_id=unit_id, cadre_id=cadre_id))
    return out[0], out[1]


@page_view
def audit_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in AUDIT_ROLES:
        return not_found(request)
    keys = ("action", "object_type", "actor", "from", "to")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    problems: list[str] = []
    qs = Event.objects.all()
    since = date_filter(request, "from", "时间自", problems)
    until = date_filter(request, "to", "时间至", problems)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"])
    if f["object_type"]:
        qs = qs.filter(object_type=f["object_type"])
    if f["actor"]:
        qs = qs.filter(actor_name__contains=f["actor"])
    sort = sort_param(request, AUDIT_SORTS, "-seq")
    page = paginate(request, sort.apply(qs))
    rows = [
        {
            "event": e,
            "action": action_label(e.action),
            "object": object_label(e.object_type),
            "diff": diff(*shown(request.user, e), e.object_type),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "web/audit_list.html",
        {
            "nav_key": "audit",
            "page": page,
            "sort": sort,
            "problems": problems,
            "rows": rows,
            "f": f,
            "object_types": OBJECT_LABELS.items(),
            "actions": ACTION_LABELS.items(),
        },
    )
