"""The officials' one search box: cadres by name or ID number, villages by name or code, units
by name — each within the user's scope (``scopes``), matched as the lists' ``q`` filters match
(``matching``), counted and cut to the first few in the database. The page ``/search/`` and
``GET /api/v1/search`` both show what this returns; personal data as ``disclosure`` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, Subquery

from zhucun.accounts.models import User, UserRole

from . import disclosure, matching, scopes
from .models import Posting, PostingStatus

SEARCH_ROLES = frozenset(
    {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP, UserRole.UNIT}
)
QUERY_MIN = 2  # characters; a shorter query would list half the registry
QUERY_MAX = 50
PER_GROUP = 8  # rows shown per group; the rest behind 「更多」

TOO_SHORT = f"请至少输入{QUERY_MIN}个字符:干部姓名、身份证号后几位、村名、区划代码或单位名称"
TOO_LONG = f"查询内容不能超过{QUERY_MAX}个字符"


def can_search(user: User) -> bool:
    """The roles that have the search box (the officials; cadres have no registry to search)."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in SEARCH_ROLES


@dataclass(frozen=True)
class Hit:
    """One row of a group: what it is, where its page is, and one line about it."""

    id: int
    title: str
    url: str
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    kind: str  # cadre | village | unit
    label: str
    count: int
    hits: list[Hit]
    more_url: str
    hint: str = ""

    @property
    def more(self) -> bool:
        return self.count > len(self.hits)


@dataclass(frozen=True)
class SearchResult:
    q: str
    hint: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def search(*, user: User, q: str, per_group: int = PER_GROUP) -> SearchResult:
    """The three groups for ``q``; a query too short or too long runs no query and says why."""
    text = (q or "").strip()
    if len(text) < QUERY_MIN:
        return SearchResult(q=text, hint=TOO_SHORT if text or q else "", groups=[])
    if len(text) > QUERY_MAX:
        return SearchResult(q=text[:QUERY_MAX], hint=TOO_LONG, groups=[])
    more = "?" + urlencode({"q": text})
    return SearchResult(
        q=text,
        hint="",
        groups=[
            _cadres(user, text, per_group, f"/cadres/{more}"),
            _villages(user, text, per_group, f"/villages/{more}"),
            _units(user, text, per_group, f"/units/{more}"),
        ],
    )


def _cadres(user: User, text: str, n: int, more_url: str) -> Group:
    cond, hint = matching.cadre_q(user, text)
    qs = scopes.cadres_visible(user).filter(cond)
    active = Posting.objects.filter(cadre=OuterRef("pk"), status=PostingStatus.ACTIVE).order_by(
        "-arrival_date", "-id"
    )
    rows = (
        qs.select_related("unit")
        .annotate(
            village_name=Subquery(active.values("village__jurisdiction__name")[:1]),
            posting_role=Subquery(active.values("role")[:1]),
        )
        .order_by("name", "id")[:n]
    )
    hits = []
    for c in rows:
        view = disclosure.cadre_view(user, c)
        posted = f"驻{c.village_name}" if c.village_name else "未在岗"
        hits.append(
            Hit(
                id=c.pk,
                title=c.name,
                url=f"/cadres/{c.pk}/",
                detail=f"{c.get_gender_display()} · {c.unit.name} · {posted}",
                extra={
                    "id_number": view.id_number,
                    "unit_name": c.unit.name,
                    "village_name": c.village_name or "",
                },
            )
        )
    return Group("cadre", "干部", qs.count(), hits, more_url, hint)


def _villages(user: User, text: str, n: int, more_url: str) -> Group:
    qs = scopes.villages_visible(user).filter(matching.village_q(text))
    rows = qs.select_related("jurisdiction", "township", "township__parent").order_by(
        "jurisdiction__code"
    )[:n]
    hits = [
        Hit(
            id=v.pk,
            title=v.jurisdiction.name,
            url=f"/villages/{v.pk}/",
            detail=f"{v.jurisdiction.code} · {v.township.parent.name}{v.township.name}",
            extra={"code": v.jurisdiction.code, "township_name": v.township.name},
        )
        for v in rows
    ]
    return Group("village", "村(社区)", qs.count(), hits, more_url)


def _units(user: User, text: str, n: int, more_url: str) -> Group:
    qs = scopes.units_visible(user).filter(matching.unit_q(text))
    rows = qs.select_related("jurisdiction").order_by("name", "id")[:n]
    hits = [
        Hit(
            id=u.pk,
            title=u.name,
            url=f"/units/{u.pk}/",
            detail=" · ".join(
                p
                for p in (u.get_level_display(), u.jurisdiction.name if u.jurisdiction else "")
                if p
            ),
            extra={"level": u.get_level_display()},
        )
        for u in rows
    ]
    return Group("unit", "派出单位", qs.count(), hits, more_url)
