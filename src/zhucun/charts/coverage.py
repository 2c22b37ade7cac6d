"""SEL.SCOPE.COVER in a picture: the villages of each part of the area, covered or not, by
3类村 kind (stacked bar).

A village's status is the one the coverage page orders by (``selection.coverage``): no
posted cadre ⇒ 未覆盖; a team that breaks SEL.SCOPE.CAT3/OTHER ⇒ 组成不符合; a recorded
SEL.SCOPE.ADJUST ⇒ 选派调整; otherwise 符合要求 (which includes the villages whose team needs a
written reason — the coverage page says which). The status is read from that query (as
uncorrelated subqueries) and counted per part, kind and status in one grouped query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Value, When

from zhucun.accounts.models import User
from zhucun.policy.dates import date_label
from zhucun.registry import scopes
from zhucun.registry.selectors import CATEGORIES
from zhucun.selection.coverage import coverage_queryset

from .base import TOTAL, Area, Chart, Series, groups_of, percent

FLAGS = ("former_poor", "relocation", "border")  # the 3类村 kinds (Village fields)
KINDS: list[tuple[str, str]] = [
    ("all", "全部村"),
    ("cat3", "3类村"),
    *((key, CATEGORIES[key]) for key in FLAGS),
    ("other", "非3类村"),
]
KIND_LABELS = dict(KINDS)
# the coverage query's rank → the status drawn, in the order they are stacked
STATUSES: list[tuple[int, str]] = [
    (3, "已覆盖·符合要求"),
    (1, "已覆盖·组成不符合"),
    (2, "已覆盖·选派调整"),
    (0, "未覆盖"),
]
CLAUSES = ["SEL.SCOPE.COVER", "SEL.SCOPE.CAT3", "SEL.SCOPE.OTHER", "SEL.SCOPE.ADJUST"]


def status_expression(user: User, on: dt.date) -> Case:
    """The village's coverage rank (0 未覆盖, 1 不符合, 2 例外, 3 符合) as the coverage page
    computes it, for use in another query of villages: the coverage query is run once per
    rank below 3 as an uncorrelated ``IN`` (a hashed set), not once per village."""
    ranked = coverage_queryset(user=user, on=on).order_by()
    return Case(
        *(
            When(pk__in=ranked.filter(rank=rank).values("pk"), then=Value(rank))
            for rank in (0, 1, 2)
        ),
        default=Value(3),
        output_field=IntegerField(),
    )


def coverage_counts(user: User, area: Area, on: dt.date) -> dict[int, dict[str, int]]:
    """group id → {"<kind>_<rank>": villages}. One query counts the villages per group, status
    and combination of the three 3类村 flags (a few rows per group); the kinds are sums of
    those counts."""
    rows = (
        scopes.villages_visible(user)
        .filter(**area.village_q())
        .annotate(cov=status_expression(user, on))
        .order_by()
        .values("cov", *FLAGS, group=F(area.group_field()))
        .annotate(n=Count("pk"))
    )
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        counts = out.setdefault(r["group"], {})
        flags = [r[key] for key in FLAGS]
        for key in _kinds_of(flags):
            name = f"{key}_{r['cov']}"
            counts[name] = counts.get(name, 0) + r["n"]
    return out


def _kinds_of(flags: list[bool]) -> list[str]:
    """The kinds a village with these flags (原建档立卡, 易地搬迁, 抵边) counts in."""
    named = [key for key, flag in zip(FLAGS, flags, strict=True) if flag]
    return ["all", *(["cat3", *named] if named else ["other"])]


def coverage_chart(*, user: User, area: Area, on: dt.date, kind: str = "all") -> Chart:
    kind = kind if kind in KIND_LABELS else "all"
    counts = coverage_counts(user, area, on)
    groups = groups_of(area)
    what = "村(社区)" if kind == "all" else f"{KIND_LABELS[kind]}(下表含全部类别)"
    tail: list[str] = []
    for _key, label in KINDS[1:]:
        tail += [f"{label}(个)", f"{label}未覆盖(个)"]
    chart = Chart(
        name="coverage",
        title="选派覆盖情况",
        kind="bar",
        caption=(
            f"截至{date_label(on)},{area.name}各{area.child_label}{what}的覆盖情况"
            "(SEL.SCOPE.COVER):已覆盖即有在岗驻村干部,“组成不符合”指工作队人数或结构不符合要求"
            "(SEL.SCOPE.CAT3/OTHER),“选派调整”为已登记的例外(SEL.SCOPE.ADJUST);"
            "“符合要求”含需书面说明的村,逐村情况见覆盖情况页面。"
        ),
        clauses=CLAUSES,
        area=area,
        period=date_label(on),
        x_label=area.child_label,
        y_label="村(社区)数",
        categories=[j.name for j in groups.values()],
        headers=[
            area.child_label,
            "村(社区)总数",
            "已覆盖(个)",
            "其中符合要求",
            "其中组成不符合",
            "其中选派调整",
            "未覆盖(个)",
            "覆盖率(%)",
            *tail,
        ],
        options={"kind": kind, "kinds": [{"key": k, "label": lb} for k, lb in KINDS]},
    )
    for rank, label in STATUSES:
        data = [counts.get(pk, {}).get(f"{kind}_{rank}", 0) for pk in groups]
        chart.series.append(Series(name=label, data=data, stack="村数"))
    total: list[Any] = []
    for pk, j in groups.items():
        row = _row(counts.get(pk, {}))
        total = row if not total else [a + b for a, b in zip(total, row, strict=True)]
        chart.rows.append([j.name, *_with_rate(row)])
        chart.row_codes.append(j.code)
    chart.rows.append([TOTAL, *_with_rate(total or _row({}))])
    chart.row_codes.append("")
    return chart


def _row(c: dict[str, int]) -> list[int]:
    def n(key: str, rank: int) -> int:
        return int(c.get(f"{key}_{rank}", 0))

    ok, failing, adjusted, uncovered = (n("all", rank) for rank, _ in STATUSES)
    out = [ok + failing + adjusted + uncovered, ok + failing + adjusted, ok, failing, adjusted]
    out.append(uncovered)
    for key, _ in KINDS[1:]:
        out += [sum(n(key, rank) for rank, _ in STATUSES), n(key, 0)]
    return out


def _with_rate(row: list[Any]) -> list[Any]:
    """Insert the coverage rate after 未覆盖 (column 6 of the figures)."""
    return [*row[:6], percent(row[1], row[0]), *row[6:]]
