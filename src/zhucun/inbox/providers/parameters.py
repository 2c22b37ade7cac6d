"""政策参数: a figure the source lost or leaves to the jurisdiction (GAP, e.g. MGT.1.DAYS) must
be set before the rules that need it can judge; until then those pages say the source is silent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.params.selectors import parameter_table
from zhucun.registry.models import Jurisdiction, Level

from ..items import TodoItem
from ..registry import provider


@provider(UserRole.ADMIN, UserRole.PREFECTURE)
def parameters_unset(user: User, today: dt.date) -> Iterator[TodoItem]:
    """The prefecture's own GAP parameters still without a value (one query for the code)."""
    if user.jurisdiction_id:
        code = user.jurisdiction.code
    else:
        code = (
            Jurisdiction.objects.filter(level=Level.PREFECTURE)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        )
    if not code:
        return
    unset = [
        r for r in parameter_table(on=today, jurisdiction=code) if r["gap"] and r["value"] is None
    ]
    if unset:
        yield TodoItem(
            "parameters_unset",
            "原文缺失、须本辖区设定的政策参数",
            len(unset),
            page_url("web:parameters"),
            unset[0]["clause"],
            note="、".join(r["description"] for r in unset[:3]) + ("等" if len(unset) > 3 else ""),
        )
