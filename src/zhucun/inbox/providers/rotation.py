"""调整轮换 (MGT.9.APPLY, MGT.9.DOCS): the applications waiting at this user's step — the
township seals, the unit decides and fills the 审批表 with the documents, the organisation
department that manages the cadre reviews. The app sets no time limit for a step, so the items
carry no deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.rotation.models import RotationApplication
from zhucun.rotation.models import State as S
from zhucun.rotation.scope import own_q
from zhucun.rotation.workflow import HOLDER

from ..items import TodoItem
from ..registry import provider

R = UserRole
# state → (title, clause): the step its holder (rotation.workflow.HOLDER) takes there
STEPS = {
    S.APPLIED: ("待乡镇党委签章的调整轮换申请", "MGT.9.APPLY"),
    S.SEALED: ("待派出单位集体研究的调整轮换申请", "MGT.9.APPLY"),
    S.DECIDED: ("待填审批表、补齐材料报送的调整轮换申请", "MGT.9.DOCS"),
    S.FORM_FILLED: ("待组织部门审查的调整轮换申请", "MGT.9.APPLY"),
}


@provider(R.TOWNSHIP, R.UNIT, R.COUNTY, R.PREFECTURE)
def rotation_steps(user: User, today: dt.date) -> Iterator[TodoItem]:
    """The open applications the user holds (``rotation.scope.own_q``), per state; one query."""
    states = [state for state in STEPS if user.role in HOLDER[state]]
    counts = RotationApplication.objects.filter(own_q(user)).aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in states}
    )
    for state in states:
        title, clause = STEPS[state]
        url = page_url("web:rotation_list") + f"?state={state}"
        yield TodoItem(f"rotation_{state}", title, counts[state], url, clause)
