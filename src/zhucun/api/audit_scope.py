"""Which audit events a user may read through the API (issue 10: a scoped read API).

The audit app sits below the domain apps and knows nothing of scopes; this module, on top,
composes the domain apps' scopes: an office user reads the events about the registry and
selection objects in their scope (cadres, postings, villages, units, jurisdictions,
nominations, rotation applications) and the events they caused themselves. Admin and the prefecture read the whole
trail, as on the /audit/ page. Personal data in the events is shown through
``registry.disclosure`` (the same rules as the cadre's page)."""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from zhucun.accounts.models import User, UserRole
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden
from zhucun.registry import scopes
from zhucun.rotation.scope import applications_visible
from zhucun.selection.selectors import nominations_visible

READERS = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP}
WHOLE_TRAIL = {UserRole.ADMIN, UserRole.PREFECTURE}


def _ids(qs: QuerySet) -> QuerySet:
    return qs.annotate(audit_id=Cast("pk", CharField())).values("audit_id")


def events_visible(user: User) -> QuerySet[Event]:
    """The events ``user`` may read; 403 for the roles that read no audit trail."""
    if user.role not in READERS:
        raise Forbidden("审计日志只供组织部门和乡镇党委查阅")
    if user.role in WHOLE_TRAIL:
        return Event.objects.all()
    objects = {
        "registry.cadre": scopes.cadres_visible(user),
        "registry.posting": scopes.postings_visible(user),
        "registry.village": scopes.villages_visible(user),
        "registry.dispatchingunit": scopes.units_visible(user),
        "registry.jurisdiction": scopes.jurisdictions_visible(user),
        "selection.nomination": nominations_visible(user),
        "rotation.rotationapplication": applications_visible(user),
    }
    q = Q(actor_id=user.pk)
    for object_type, qs in objects.items():
        q |= Q(object_type=object_type, object_id__in=_ids(qs))
    return Event.objects.filter(q)
