"""SEL.METHOD.FLOW as an explicit table: action → (from states, to state, roles allowed).

个人报名/组织推荐 → 派出单位组织人事部门提出人选 → 同级驻村工作领导协调机构审核备案
→ 派出单位党委(党组)研究确定 → 派驻到村. Each step is done by its own role in its own scope."""

from __future__ import annotations

from dataclasses import dataclass

from zhucun.accounts.models import UserRole

from .models import NominationState as S


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]


BODY = frozenset({UserRole.COUNTY, UserRole.PREFECTURE, UserRole.ADMIN})
UNIT = frozenset({UserRole.UNIT, UserRole.ADMIN})

TRANSITIONS: dict[str, Transition] = {
    "propose": Transition("提出人选", frozenset({S.APPLIED, S.RECOMMENDED}), S.PROPOSED, UNIT),
    "review": Transition("审核备案", frozenset({S.PROPOSED}), S.FILED, BODY),
    "decide": Transition("研究确定", frozenset({S.FILED}), S.DECIDED, UNIT),
    "post": Transition("派驻到村", frozenset({S.DECIDED}), S.POSTED, BODY),
    "reject": Transition(
        "不予通过", frozenset({S.PROPOSED, S.FILED, S.DECIDED}), S.REJECTED, BODY | UNIT
    ),
    "withdraw": Transition(
        "撤回", frozenset({S.APPLIED, S.RECOMMENDED, S.PROPOSED}), S.WITHDRAWN, UNIT
    ),
}

OPEN_STATES = frozenset({S.APPLIED, S.RECOMMENDED, S.PROPOSED, S.FILED, S.DECIDED})


def allowed_actions(state: str, role: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if state in t.sources and role in t.roles]
