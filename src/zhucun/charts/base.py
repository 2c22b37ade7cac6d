"""What every chart shares: who may see charts, the area a chart is drawn for (a jurisdiction
in the user's scope) and the level it is broken down by, and the one shape of a chart — its
series for the picture and its table for reading, printing and the .xlsx — so that the JSON,
the page's table and the download hold the same numbers by construction.

An area is a prefecture, county or township the user sees (``registry.scopes``); its rows are
grouped by the level below it: a prefecture by county, a county by township, a township by
village. The admin without an area sees every prefecture (grouped by prefecture), or the only
one there is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import Forbidden, NotFound
from zhucun.registry import scopes
from zhucun.registry.models import Jurisdiction, Level

CHART_ROLES = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
NOT_FOR_ROLE = "统计图表供州、县(市)、乡镇(街道)组织部门和系统管理员使用"
AREA_LEVELS = (Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)
CHILD_LEVEL = {
    None: Level.PREFECTURE,
    Level.PREFECTURE: Level.COUNTY,
    Level.COUNTY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.VILLAGE,
}
# The group of a village, as a path from the village (``Village``) to the jurisdiction that
# stands for it at each level.
GROUP_PATH = {
    Level.PREFECTURE: "township__parent__parent_id",
    Level.COUNTY: "township__parent_id",
    Level.TOWNSHIP: "township_id",
    Level.VILLAGE: "jurisdiction_id",
}
TOTAL = "合计"


@dataclass(frozen=True)
class Area:
    """The jurisdiction a chart is drawn for; ``code`` "" is every prefecture (admin)."""

    code: str
    name: str
    level: str | None
    path: str
    pk: int | None

    @property
    def child_level(self) -> str:
        return CHILD_LEVEL[self.level]  # type: ignore[index]

    @property
    def child_label(self) -> str:
        return Level(self.child_level).label

    def village_q(self, prefix: str = "") -> dict[str, Any]:
        """Filter kwargs for villages (through ``prefix``, e.g. "village__") in the area."""
        if not self.path:
            return {}
        return {f"{prefix}jurisdiction__path__startswith": self.path}

    def group_field(self, prefix: str = "") -> str:
        """The field that names a village's group (a Jurisdiction id) through ``prefix``."""
        return prefix + GROUP_PATH[self.child_level]


def allowed(user: User) -> bool:
    return user.role in CHART_ROLES


def area_of(user: User, code: str = "") -> Area:
    """The area ``code`` names (default: the user's own jurisdiction); Forbidden for roles
    without charts, NotFound for a code outside the scope or not a prefecture/county/township."""
    if not allowed(user):
        raise Forbidden(NOT_FOR_ROLE)
    code = code.strip()
    if code:
        j = (
            scopes.jurisdictions_visible(user)
            .filter(code=code, level__in=AREA_LEVELS)
            .only("pk", "code", "name", "level", "path")
            .first()
        )
        if j is None:
            raise NotFound("区划不存在、不是州(市)/县(市)/乡镇(街道),或不在您的管辖范围内")
        return _area(j)
    if user.role != UserRole.ADMIN:
        if not user.jurisdiction_id:
            raise Forbidden("您的账号未绑定辖区")
        return _area(user.jurisdiction)
    roots = list(Jurisdiction.objects.filter(level=Level.PREFECTURE).order_by("code")[:2])
    if len(roots) == 1:
        return _area(roots[0])
    return Area(code="", name="全部州(市)", level=None, path="", pk=None)


def _area(j: Jurisdiction) -> Area:
    return Area(code=j.code, name=j.name, level=j.level, path=j.path, pk=j.pk)


def groups_of(area: Area) -> dict[int, Jurisdiction]:
    """The jurisdictions one level below ``area`` (id → jurisdiction), by code; one query."""
    qs = Jurisdiction.objects.filter(level=area.child_level)
    qs = qs.filter(parent_id=area.pk) if area.pk else qs.filter(parent__isnull=True)
    return {j.pk: j for j in qs.only("pk", "code", "name", "level").order_by("code")}


def area_chain(user: User, area: Area) -> list[dict[str, str]]:
    """The areas above ``area`` that ``user`` may open (for a breadcrumb), top first."""
    if not area.path:
        return []
    codes = [c for c in area.path.strip("/").split("/") if c][:-1]
    found = {
        j.code: j.name
        for j in scopes.jurisdictions_visible(user).filter(code__in=codes, level__in=AREA_LEVELS)
    }
    return [{"code": c, "name": found[c]} for c in codes if c in found]


# ---- the shape of a chart ------------------------------------------------------------------


@dataclass
class Series:
    name: str
    data: list[Any]
    stack: str = ""
    clause: str = ""


@dataclass
class Chart:
    """``kind``: "line", "bar" (``stack`` set on its series: stacked) or "scatter" (data rows
    [经度, 纬度, value, 村名, 乡镇]). ``table``: ``headers`` and ``rows`` of plain values (text,
    int, float or None) — what the page shows under the chart and the .xlsx holds."""

    name: str
    title: str
    kind: str
    caption: str
    clauses: list[str]
    area: Area
    period: str
    x_label: str
    y_label: str
    categories: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    # the first column of each row, where it is a jurisdiction one may open (drill down)
    row_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)  # the variants one may ask for

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "caption": self.caption,
            "clauses": self.clauses,
            "area": {"code": self.area.code, "name": self.area.name, "level": self.area.level},
            "group_level": self.area.child_level,
            "period": self.period,
            "x_label": self.x_label,
            "y_label": self.y_label,
            "categories": self.categories,
            "series": [
                {"name": s.name, "stack": s.stack, "clause": s.clause, "data": s.data}
                for s in self.series
            ],
            "table": {"headers": self.headers, "rows": self.rows},
            "notes": self.notes,
            "options": self.options,
        }


def percent(part: Any, whole: Any) -> float | None:
    """``part / whole`` as a percentage with one decimal (half up), None when ``whole`` is 0."""
    if not whole:
        return None
    value = Decimal(int(part) * 100) / Decimal(int(whole))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def month_add(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)
