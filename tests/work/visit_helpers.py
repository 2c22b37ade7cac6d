"""Village groups for the visit tests, made through the registry's service (the world has one
group, 弄坎一组 of village A)."""

from __future__ import annotations

import datetime as dt

from zhucun.registry.models import Jurisdiction
from zhucun.registry.services import jurisdiction_create
from zhucun.work.services.visits import group_contact_assign, visit_record

SINCE = dt.date(2025, 1, 1)


def group(world, village: str = "A", n: int = 1, name: str = "") -> Jurisdiction:
    """Group ``n`` of the village (created when missing)."""
    parent = world.villages[village].jurisdiction.code
    code = f"{parent}{n:03d}"
    found = Jurisdiction.objects.filter(code=code).first()
    if found is not None:
        return found
    return jurisdiction_create(
        actor=world.admin,
        code=code,
        name=name or f"{world.villages[village].jurisdiction.name[:2]}{n}组",
        level="village_group",
        parent_code=parent,
    )


def contact(world, g: Jurisdiction, cadre: str = "tm_a", role: str = "first_secretary"):
    return group_contact_assign(
        actor=world.users[role], group_id=g.pk, cadre_id=world.cadres[cadre].pk, since=SINCE
    )


def visit(world, g: Jurisdiction, day: dt.date, role: str = "team_member", **kw):
    data = {"purposes": ["caring"], **kw}
    return visit_record(actor=world.users[role], group_id=g.pk, visited_on=day, **data)
