"""审计日志 for admin and prefecture: events newest first, with the before/after diff."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.audit.models import Event
from zhucun.registry.disclosure import snapshot_view

from ..chrome import AUDIT_ROLES
from ._common import not_found, page_view, paginate

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "rename": "更名",
    "end": "结束",
    "spouse_link": "关联配偶",
}
OBJECT_LABELS = {
    "registry.jurisdiction": "行政区划",
    "registry.village": "村(社区)",
    "registry.dispatchingunit": "派出单位",
    "registry.cadre": "干部",
    "registry.posting": "驻村任职",
}
HIDDEN = object()


def action_label(action: str) -> str:
    head, _, verb = action.rpartition(".")
    return ACTION_LABELS.get(verb, verb) if head else action


def field_label(object_type: str, key: str) -> str:
    """The Chinese verbose name of ``key`` (a field name or attname) of ``object_type``."""
    try:
        meta = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        return key
    name = key[:-3] if key.endswith("_id") and key != "id" else key
    try:
        field = meta.get_field(name)
    except FieldDoesNotExist:
        return key
    # a reverse relation (CheckIn.signals from FraudSignal) has no verbose name
    label = getattr(field, "verbose_name", None)
    return str(label) if label else key


def diff(before: object, after: object, object_type: str = "") -> list[tuple[str, object, object]]:
    """(field label, old, new) for every field that differs; a create lists all fields."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    rows = []
    for key in sorted(set(b) | set(a)):
        old, new = b.get(key, HIDDEN), a.get(key, HIDDEN)
        if old != new:
            label = field_label(object_type, key) if object_type else key
            rows.append((label, "" if old is HIDDEN else old, "" if new is HIDDEN else new))
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
    f = {k: request.GET.get(k, "").strip() for k in ("action", "object_type", "actor")}
    qs = Event.objects.order_by("-seq")
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"])
    if f["object_type"]:
        qs = qs.filter(object_type=f["object_type"])
    if f["actor"]:
        qs = qs.filter(actor_name__contains=f["actor"])
    page = paginate(request, qs)
    rows = [
        {
            "event": e,
            "action": action_label(e.action),
            "object": OBJECT_LABELS.get(e.object_type, e.object_type),
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
            "rows": rows,
            "f": f,
            "object_types": OBJECT_LABELS.items(),
        },
    )
