"""SEL — the composition of one village's team (选派范围) and spouses in post (夫妻不同时选派).

Public API
----------
``TeamMember(cadre_id, role, spouse_id=None, is_xuandiao=False, name="")``
    One person in post in the village; ``role`` is ``first_secretary``, ``team_leader`` or
    ``team_member``; ``spouse_id`` is the cadre id of the spouse, if any.
``check_team(*, categories, members, on, params=None, jurisdiction=(), village_name="",
exception=None)``
    Findings in this order:

    * SEL.SCOPE.COVER — no member at all ⇒ error "未覆盖"; an exception does not lift it
      (coverage is unconditional).  The composition rules below still report the empty
      team's shortfalls, so that adding a member never adds an error.
    * SEL.COND.MUST3 — a cadre listed more than once ⇒ error (one person fills one place);
      the counts below count each cadre once, in the role of their first listing.
    * SEL.SCOPE.CAT3 — when ``categories`` is not empty (原建档立卡贫困村 ``former_poor``,
      易地扶贫搬迁安置村 ``relocation``, 抵边村 ``border``): fewer than
      ``cat3_min_first_secretaries`` in the first secretary's slot, fewer than
      ``cat3_min_team_members`` team members, or more than ``cat3_max_team_size`` people ⇒ one
      error each.
    * SEL.SCOPE.OTHER — an ordinary village (``categories`` empty): fewer than
      ``other_min_first_secretaries`` in the first secretary's slot ⇒ error.
    * SEL.COND.NO5 — both spouses in the team ⇒ one warning per couple.
    * SEL.SRC.XD — a 选调生 as first secretary or team leader ⇒ warning.

    Counting (settled reading of CLAUSES.md).  The first secretary's slot is
    "1名驻村第一书记(工作队长)": the first secretary is also the team leader, so only a
    ``first_secretary`` fills it; a ``team_leader`` who is not first secretary counts as a team
    member.  Team members are the ``team_member`` and ``team_leader`` roles, 选调生 included
    (SEL.SRC.XD: 纳入驻村工作队员管理).  A second first secretary does not fill a team-member
    place.  Team size ("最多不超过5名") counts every distinct cadre, the first secretary
    included.

    ``exception`` (SEL.SCOPE.ADJUST: 根据疫情防控、边境管控、基层治理、强边固防等需求进行调整) is a
    :class:`CompositionAllowance`: the composition it allows (any of the three limits it
    states), its reason, who decided it and until when.  A team within what it allows gets
    ``info`` findings citing SEL.SCOPE.ADJUST (original clause in ``data["rule"]``, reason in
    ``data["reason"]``) — still shown, as exceptions; a team beyond it gets the rule's error
    again, naming the exception's limit.  An allowance past its ``until`` date, a blank reason,
    or a bare string (a reason stating no composition) allows nothing.
    ``ValueError`` for an unknown category or role.
``team_in_place_on(*, categories, stints, not_before, params=None, jurisdiction=(),
exception=None)``
    SEL.METHOD.APPOINT10 (settled reading): the first day on or after ``not_before`` (the first
    secretary's arrival) on which the village's team, as it stood that day, meets its
    composition rule (SEL.SCOPE.CAT3 / OTHER, an exception's allowance included); ``None`` while
    it never has.  ``stints`` are ``(member, arrival, end)`` with ``end`` ``None`` while in post
    (both ends included).
``spouse_findings(*, cadre_name, spouse_name, spouse_village)``
    SEL.COND.NO5 across villages: the spouse is in post elsewhere at the same time ⇒ warning;
    ``spouse_village`` ``None`` means the spouse is not in post ⇒ no finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters
from .selection import FS_ROLES, ROLE_NAMES, check_role, xuandiao_finding

CATEGORIES: Mapping[str, str] = {
    "former_poor": "原建档立卡贫困村",
    "relocation": "易地扶贫搬迁安置村",
    "border": "抵边村",
}


@dataclass(frozen=True)
class CompositionAllowance:
    """SEL.SCOPE.ADJUST: a recorded exception stating the composition it allows.

    ``max_team_size`` / ``min_first_secretaries`` / ``min_team_members`` replace the rule's
    limit where given (``None``: the rule's own limit holds).  ``decided_by`` names who decided
    it; ``until`` is the last day it is in force (both ends included)."""

    reason: str
    max_team_size: int | None = None
    min_first_secretaries: int | None = None
    min_team_members: int | None = None
    decided_by: str = ""
    until: date | None = None

    def in_force(self, on: date) -> bool:
        return bool(self.reason.strip()) and (self.until is None or on <= self.until)

    def describe(self) -> str:
        parts = []
        if self.min_first_secretaries is not None:
            parts.append(f"第一书记不少于{self.min_first_secretaries}名")
        if self.min_team_members is not None:
            parts.append(f"工作队员不少于{self.min_team_members}名")
        if self.max_team_size is not None:
            parts.append(f"全队不超过{self.max_team_size}人")
        return "、".join(parts) or "未载明组成"


@dataclass(frozen=True)
class TeamMember:
    """One cadre in post in the village."""

    cadre_id: int
    role: str
    spouse_id: int | None = None
    is_xuandiao: bool = False
    name: str = ""

    @property
    def label(self) -> str:
        """The name for messages, or the cadre id when no name is given."""
        return self.name or f"干部#{self.cadre_id}"


def check_categories(categories: Collection[str]) -> frozenset[str]:
    """The categories as a set; ``ValueError`` for an unknown one (or a bare string)."""
    if isinstance(categories, str):
        raise ValueError(f"村类别须为集合,如 {{{categories!r}}},而不是字符串")
    unknown = sorted(set(categories) - set(CATEGORIES))
    if unknown:
        raise ValueError(f"未知的村类别 {unknown}(应为 {', '.join(CATEGORIES)})")
    return frozenset(categories)


def check_team(
    *,
    categories: Collection[str],
    members: Sequence[TeamMember],
    on: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
    village_name: str = "",
    exception: CompositionAllowance | str | None = None,
) -> list[Finding]:
    """The SEL findings about the team in post in one village on ``on`` (see module doc)."""
    if isinstance(exception, str):  # a reason alone states no composition: it allows nothing
        exception = CompositionAllowance(reason=exception)
    cats = check_categories(categories)
    for member in members:
        check_role(member.role)
    params = params or get_parameters()
    village = village_name or "该村"
    findings: list[Finding] = []
    if not members:
        findings.append(
            Finding(
                "SEL.SCOPE.COVER",
                "error",
                f"{village} 未覆盖:没有在岗的驻村第一书记或工作队员,须“实现全州所有行政村"
                "工作队选派全覆盖”(SEL.SCOPE.COVER)",
                {"village": village_name, "team_size": 0, "on": on.isoformat()},
            )
        )
    findings += _duplicates(members, village=village, village_name=village_name)
    distinct = _first_listings(members)
    findings += _composition(
        cats,
        distinct,
        on=on,
        params=params,
        jurisdiction=jurisdiction,
        village=village,
        village_name=village_name,
        allowance=exception if exception is not None and exception.in_force(on) else None,
    )
    findings += _spouses(distinct, village=village, village_name=village_name)
    findings += [
        xuandiao_finding(m.label, role=m.role, cadre_id=m.cadre_id)
        for m in distinct
        if m.is_xuandiao and m.role in FS_ROLES
    ]
    return findings


def _first_listings(members: Sequence[TeamMember]) -> list[TeamMember]:
    seen: set[int] = set()
    distinct: list[TeamMember] = []
    for member in members:
        if member.cadre_id not in seen:
            seen.add(member.cadre_id)
            distinct.append(member)
    return distinct


def _duplicates(members: Sequence[TeamMember], *, village: str, village_name: str) -> list[Finding]:
    counts = Counter(m.cadre_id for m in members)
    findings: list[Finding] = []
    reported: set[int] = set()
    for member in members:
        times = counts[member.cadre_id]
        if times == 1 or member.cadre_id in reported:
            continue
        reported.add(member.cadre_id)
        roles = [ROLE_NAMES[m.role] for m in members if m.cadre_id == member.cadre_id]
        findings.append(
            Finding(
                "SEL.COND.MUST3",
                "error",
                f"{member.label} 在{village}工作队中重复出现{times}次({'、'.join(roles)}),"
                "一人只能担任一个驻村职务,“必须脱产驻村,不能空联空挂”(SEL.COND.MUST3)",
                {
                    "village": village_name,
                    "cadre_id": member.cadre_id,
                    "name": member.name,
                    "times": times,
                    "roles": [m.role for m in members if m.cadre_id == member.cadre_id],
                },
            )
        )
    return findings


def _composition(
    cats: frozenset[str],
    distinct: Sequence[TeamMember],
    *,
    on: date,
    params: Parameters,
    jurisdiction: str | Sequence[str],
    village: str,
    village_name: str,
    allowance: CompositionAllowance | None,
) -> list[Finding]:
    slot = sum(1 for m in distinct if m.role == "first_secretary")
    team_members = sum(1 for m in distinct if m.role in ("team_member", "team_leader"))
    size = len(distinct)
    base: dict[str, Any] = {
        "village": village_name,
        "categories": [c for c in CATEGORIES if c in cats],
        "first_secretaries": slot,
        "team_members": team_members,
        "team_size": size,
        "on": on.isoformat(),
    }
    problems: list[tuple[str, str, dict[str, Any]]] = []  # (clause, message, data)

    def limit(name: str) -> int:
        return params.int_value(name, on=on, jurisdiction=jurisdiction)

    if cats:
        where = f"{village}(3类村:{'、'.join(CATEGORIES[c] for c in CATEGORIES if c in cats)})"
        min_fs = limit("cat3_min_first_secretaries")
        min_tm = limit("cat3_min_team_members")
        max_size = limit("cat3_max_team_size")
        if slot < min_fs:
            problems.append(
                (
                    "SEL.SCOPE.CAT3",
                    f"{where}第一书记(工作队长){slot}名,少于“每个村(社区)至少选派{min_fs}名"
                    "驻村第一书记(工作队长)”的要求",
                    {"check": "min_first_secretaries", "count": slot, "limit": min_fs},
                )
            )
        if team_members < min_tm:
            problems.append(
                (
                    "SEL.SCOPE.CAT3",
                    f"{where}工作队员{team_members}名,少于“至少选派{min_tm}名工作队员”的要求",
                    {"check": "min_team_members", "count": team_members, "limit": min_tm},
                )
            )
        if size > max_size:
            problems.append(
                (
                    "SEL.SCOPE.CAT3",
                    f"{where}工作队共{size}人,超过“最多不超过{max_size}名”的限制",
                    {"check": "max_team_size", "count": size, "limit": max_size},
                )
            )
    else:
        min_fs = limit("other_min_first_secretaries")
        if slot < min_fs:
            problems.append(
                (
                    "SEL.SCOPE.OTHER",
                    f"{village}(非3类村)第一书记{slot}名,少于“每个村至少选派{min_fs}名"
                    "驻村第一书记”的要求",
                    {"check": "min_first_secretaries", "count": slot, "limit": min_fs},
                )
            )
    findings: list[Finding] = []
    for clause, message, data in problems:
        allowed = _allowed(allowance, data["check"])
        if allowance is not None and allowed is not None and _within(data, allowed):
            reason = allowance.reason.strip()
            findings.append(
                Finding(
                    "SEL.SCOPE.ADJUST",
                    "info",
                    f"{message}({clause});已按“选派工作可根据疫情防控、边境管控、基层治理、"
                    f"强边固防等需求进行调整”记录例外({allowance.describe()}"
                    f"{_decided(allowance)}),理由:{reason}(SEL.SCOPE.ADJUST)",
                    {**base, **data, "rule": clause, "reason": reason, "allowed": allowed},
                )
            )
        elif allowance is not None:
            findings.append(
                Finding(
                    clause,
                    "error",
                    f"{message};已记录的选派调整例外只允许{allowance.describe()},"
                    f"本队超出例外范围({clause})",
                    {**base, **data, "rule": clause, "allowed": allowed},
                )
            )
        else:
            findings.append(
                Finding(clause, "error", f"{message}({clause})", {**base, **data, "rule": clause})
            )
    return findings


def _allowed(allowance: CompositionAllowance | None, check: str) -> int | None:
    if allowance is None:
        return None
    value: int | None = getattr(allowance, check)
    return value


def _within(data: Mapping[str, Any], allowed: int) -> bool:
    count: int = data["count"]
    return count <= allowed if data["check"] == "max_team_size" else count >= allowed


def _decided(allowance: CompositionAllowance) -> str:
    parts = []
    if allowance.decided_by:
        parts.append(f",{allowance.decided_by}决定")
    if allowance.until is not None:
        parts.append(f",有效至{allowance.until.isoformat()}")
    return "".join(parts)


def _spouses(distinct: Sequence[TeamMember], *, village: str, village_name: str) -> list[Finding]:
    by_id = {m.cadre_id: m for m in distinct}
    seen: set[frozenset[int]] = set()
    findings: list[Finding] = []
    for member in distinct:
        spouse = by_id.get(member.spouse_id) if member.spouse_id is not None else None
        if spouse is None or spouse.cadre_id == member.cadre_id:
            continue
        couple = frozenset({member.cadre_id, spouse.cadre_id})
        if couple in seen:
            continue
        seen.add(couple)
        findings.append(
            Finding(
                "SEL.COND.NO5",
                "warning",
                f"{member.label} 与配偶 {spouse.label} 同时在{village}工作队驻村,"
                "“夫妻两人一般不同时选派驻村”,须记录理由(SEL.COND.NO5)",
                {
                    "village": village_name,
                    "cadre_id": member.cadre_id,
                    "spouse_id": spouse.cadre_id,
                    "name": member.name,
                    "spouse_name": spouse.name,
                },
            )
        )
    return findings


def team_in_place_on(
    *,
    categories: Collection[str],
    stints: Sequence[tuple[TeamMember, date, date | None]],
    not_before: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
    exception: CompositionAllowance | None = None,
) -> date | None:
    """The day the team is in place for SEL.METHOD.APPOINT10 (see module doc)."""
    cats = check_categories(categories)
    params = params or get_parameters()
    days = sorted({not_before} | {a for _, a, _ in stints if a > not_before})
    for day in days:
        members = [m for m, a, e in stints if a <= day and (e is None or e >= day)]
        if not members:
            continue
        problems = _composition(
            cats,
            _first_listings(members),
            on=day,
            params=params,
            jurisdiction=jurisdiction,
            village="",
            village_name="",
            allowance=exception if exception is not None and exception.in_force(day) else None,
        )
        if not [f for f in problems if f.is_error]:
            return day
    return None


def spouse_findings(
    *, cadre_name: str, spouse_name: str, spouse_village: str | None
) -> list[Finding]:
    """SEL.COND.NO5 when the spouse is in post at the same time in another (or any) village.

    ``spouse_village`` is the village where the spouse serves, ``""`` if in post but the village
    is unknown, ``None`` if the spouse is not in post (no finding).
    """
    if spouse_village is None:
        return []
    where = f"在{spouse_village}" if spouse_village else ""
    return [
        Finding(
            "SEL.COND.NO5",
            "warning",
            f"{cadre_name} 的配偶 {spouse_name} 同时{where}驻村,“夫妻两人一般不同时选派驻村”,"
            "须记录理由(SEL.COND.NO5)",
            {
                "name": cadre_name,
                "spouse_name": spouse_name,
                "spouse_village": spouse_village,
            },
        )
    ]
