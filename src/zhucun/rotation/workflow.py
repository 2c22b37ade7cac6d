"""MGT.9.APPLY as an explicit table: action → (from states, to state, roles allowed).

个人申请 → 乡镇党委签章 → 派出单位集体研究(会议记录) → 填审批表 → "一进一出" → 组织部门审查.
Each step is done by its own role in its own scope (``scope.may_act``)."""

from __future__ import annotations

from zhucun.accounts.models import UserRole
from zhucun.selection.workflow import Transition  # the one shape of a workflow step

from .models import State as S

CADRE = frozenset({UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER, UserRole.ADMIN})
TOWNSHIP = frozenset({UserRole.TOWNSHIP, UserRole.ADMIN})
UNIT = frozenset({UserRole.UNIT, UserRole.ADMIN})
BODY = frozenset({UserRole.COUNTY, UserRole.PREFECTURE, UserRole.ADMIN})

TRANSITIONS: dict[str, Transition] = {
    "seal": Transition("乡镇党委签章", frozenset({S.APPLIED}), S.SEALED, TOWNSHIP),
    "decide": Transition("派出单位集体研究", frozenset({S.SEALED}), S.DECIDED, UNIT),
    "submit": Transition("填审批表报组织部门", frozenset({S.DECIDED}), S.FORM_FILLED, UNIT),
    "grant": Transition("组织部门审查同意", frozenset({S.FORM_FILLED}), S.GRANTED, BODY),
    "reject": Transition(
        "不予同意",
        frozenset({S.APPLIED, S.SEALED, S.DECIDED, S.FORM_FILLED}),
        S.REJECTED,
        TOWNSHIP | UNIT | BODY,
    ),
    "withdraw": Transition(
        "撤回申请", frozenset({S.APPLIED, S.SEALED, S.DECIDED}), S.WITHDRAWN, CADRE
    ),
}

# who holds an open application at each state: only they may refuse it there
HOLDER: dict[str, frozenset[str]] = {
    S.APPLIED: TOWNSHIP,
    S.SEALED: UNIT,
    S.DECIDED: UNIT,
    S.FORM_FILLED: BODY,
}

# attachments may be added until the form goes to the organisation department
UPLOAD_STATES = frozenset({S.APPLIED, S.SEALED, S.DECIDED})


def role_may(action: str, state: str, role: str) -> bool:
    t = TRANSITIONS[action]
    if state not in t.sources or role not in t.roles:
        return False
    return action != "reject" or role in HOLDER.get(state, frozenset())


def allowed_actions(state: str, role: str) -> list[str]:
    return [name for name in TRANSITIONS if role_may(name, state, role)]


# the step its holder takes at each open state (what a refusal there refused)
STEP_OF: dict[str, str] = {
    S.APPLIED: TRANSITIONS["seal"].label,
    S.SEALED: TRANSITIONS["decide"].label,
    S.DECIDED: TRANSITIONS["submit"].label,
    S.FORM_FILLED: TRANSITIONS["grant"].label,
}
