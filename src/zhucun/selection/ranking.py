"""因村精准组队 (SEL.METHOD.NEED): the candidates a user may nominate (or, for the county and
the prefecture, may see) ranked for one village by ``zhucun.policy.rank_for_village``, with
reasons and screening findings — read only, nothing is refused or written.

Scope: a dispatching unit ranks its own unposted cadres for a village it may name in a
nomination (``scopes.villages_nominable``); the county and the prefecture (the 县级党委和政府
that 「强化需求导向,因村精准组队」, and the body that reviews) rank the unposted cadres they see
(``scopes.cadres_visible``) whose unit may be sent to that village, for a village they see;
the administrator everything.  Other roles: 403.  A village outside the scope: 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy import RankedCandidate, rank_for_village
from zhucun.policy.needs import NEED_LABELS
from zhucun.registry import scopes
from zhucun.registry.models import Cadre, Posting, PostingStatus, Role, UnitLevel, Village

from .adapters import candidate_from_cadre, with_promotion_ban
from .models import Nomination
from .workflow import OPEN_STATES

RANK_ROLES = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.UNIT})


@dataclass(frozen=True)
class CandidateRow:
    cadre: Cadre
    ranked: RankedCandidate


@dataclass(frozen=True)
class VillageCandidates:
    village: Village | None  # None: no village chosen, screened and ranked without needs
    role: str
    on: dt.date
    needs: list[str]
    rows: list[CandidateRow]

    @property
    def need_labels(self) -> list[str]:
        return [NEED_LABELS.get(c, c) for c in self.needs]


def can_rank(user: User) -> bool:
    return user.role in RANK_ROLES


def unposted_cadres(user: User) -> QuerySet[Cadre]:
    """The cadres the user may nominate: in their editable scope, not in post, no open
    nomination (the service checks both again)."""
    return _unposted(scopes.cadres_editable(user))


def _unposted(qs: QuerySet[Cadre]) -> QuerySet[Cadre]:
    active = Posting.objects.filter(cadre=OuterRef("pk"), status=PostingStatus.ACTIVE)
    open_nom = Nomination.objects.filter(cadre=OuterRef("pk"), state__in=list(OPEN_STATES))
    return qs.filter(~Exists(active), ~Exists(open_nom)).select_related("unit")


def _village(user: User, village_id: int) -> Village:
    qs = (
        scopes.villages_nominable(user)
        if user.role == UserRole.UNIT
        else scopes.villages_visible(user)
    )
    village = qs.select_related("jurisdiction").filter(pk=village_id).first()
    if village is None:
        raise NotFound("村(社区)不存在或不在您的管辖范围内")
    return village


def _candidates(user: User, village: Village | None, unit_id: int | None) -> QuerySet[Cadre]:
    if user.role == UserRole.UNIT:
        qs = unposted_cadres(user)
    elif village is None:
        qs = _unposted(scopes.cadres_visible(user))
    else:
        # a county-level unit is sent only into its own county (scopes.villages_nominable)
        ancestors = [c for c in village.jurisdiction.path.split("/") if c]
        sendable = ~Q(unit__level=UnitLevel.COUNTY) | Q(unit__jurisdiction__code__in=ancestors)
        qs = _unposted(scopes.cadres_visible(user)).filter(sendable)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("name", "id")


def village_candidates(
    *,
    user: User,
    village_id: int | None,
    role: str,
    on: dt.date,
    unit_id: int | None = None,
) -> VillageCandidates:
    """The candidates for ``village_id`` in the role ``role`` on ``on``, ranked with reasons.
    With ``village_id`` None: screened and ranked by the written priorities only (no needs,
    the home jurisdiction's parameters).

    Forbidden for a role outside RANK_ROLES; NotFound for a village outside the scope;
    ValidationFailed for an unknown role, or (field ``unit_id``) when more candidates than
    ``ZHUCUN_RANK_CANDIDATES_MAX`` would be ranked at once."""
    if not can_rank(user):
        raise Forbidden(
            "因村精准组队的人选排序供派出单位和县、州驻村工作领导协调机构使用(SEL.METHOD.NEED)"
        )
    if role not in Role.values:
        raise ValidationFailed({"role": "拟任职务应为第一书记、工作队长或工作队员"})
    village = None if village_id is None else _village(user, village_id)
    qs = _candidates(user, village, unit_id)
    limit = int(getattr(settings, "ZHUCUN_RANK_CANDIDATES_MAX", 1000))
    cadres = list(with_promotion_ban(qs)[: limit + 1])  # MGT.4.CONSEQ in the same query
    if len(cadres) > limit:
        raise ValidationFailed(
            {"unit_id": f"可排序的人选超过{limit}名,请指定派出单位后再排序"},
            message="人选过多",
        )
    needs = [c for c in (village.needs or []) if c in NEED_LABELS] if village else []
    by_id = {c.pk: c for c in cadres}
    ranked = rank_for_village(
        [candidate_from_cadre(c) for c in cadres],
        role=role,
        needs=needs,
        on=on,
        params=parameters_current(),
        jurisdiction=village.jurisdiction.code if village else (),
    )
    rows = [CandidateRow(by_id[r.candidate.cadre_id], r) for r in ranked if r.candidate.cadre_id]
    return VillageCandidates(village=village, role=role, on=on, needs=needs, rows=rows)
