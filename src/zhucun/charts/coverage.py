"""SEL.SCOPE.COVER in a picture: the villages of each part of the area, covered or not, by
3类村 kind (stacked bar).

A village's status is the one the coverage page orders by (``selection.coverage``): no
posted cadre ⇒ 未覆盖; a team that breaks SEL.SCOPE.CAT3/OTHER ⇒ 组成不符合; a recorded
SEL.SCOPE.ADJUST ⇒ 选派调整; otherwise 符合要求 (which includes the villages whose team needs a
written reason — the coverage page says which). The status is read from that query as a
subquery and counted per part, kind and status in one grouped query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery

from zhucun.accounts.models import User
from zhucun.policy.dates import date_label
from zhucun.registry import scopes
from zhucun.selection.coverage import CAT3, coverage_queryset

from .base import TOTAL, Area, Chart, Series, groups_of, percent

KINDS: list[tuple[str, str, Q]] = [
    ("all", "全部村", Q()),
    ("cat3", "3类村", CAT3),
    ("former_poor", "原建档立卡贫困村", Q(former_poor=True)),
    ("relocation", "易地扶贫搬迁安置村", Q(relocation=True)),
    ("border", "抵边村", Q(border=True)),
    ("other", "非3类村", ~CAT3),
]
KIND_LABELS = {key: label for key, label, _ in KINDS}
# the coverage query's rank → the status drawn, in the order they are stacked
STATUSES: list[tuple[int, str]] = [
    (3, "已覆盖·符合要求"),
    (1, "已覆盖·组成不符合"),
    (2, "已覆盖·选派调整"),
    (0, "未覆盖"),
]
CLAUSES = ["SEL.SCOPE.COVER", "SEL.SCOPE.CAT3", "SEL.SCOPE.OTHER", "SEL.SCOPE.ADJUST"]


def status_subquery(user: User, on: dt.date) -> Subquery:
    """The village's coverage rank (0 未覆盖, 1 不符合, 2 例外, 3 符合) as the coverage page
    computes it, for use in another query of villages."""
    ranked = coverage_queryset(user=user, on=on).filter(pk=OuterRef("pk")).order_by()
    return Subquery(ranked.values("rank")[:1], output_field=IntegerField())


def coverage_counts(user: User, area: Area, on: dt.date) -> dict[int, dict[str, int]]:
    """group id → {"<kind>_<rank>": villages}; one query."""
    counts = {
        f"{key}_{rank}": Count("pk", filter=q & Q(cov=rank))
        for key, _, q in KINDS
        for rank, _ in STATUSES
    }
    rows = (
        scopes.villages_visible(user)
        .filter(**area.village_q())
        .annotate(cov=status_subquery(user, on))
        .order_by()
        .values(group=F(area.group_field()))
        .annotate(**counts)
    )
    return {r["group"]: r for r in rows}


def coverage_chart(*, user: User, area: Area, on: dt.date, kind: str = "all") -> Chart:
    kind = kind if kind in KIND_LABELS else "all"
    counts = coverage_counts(user, area, on)
    groups = groups_of(area)
    what = "村(社区)" if kind == "all" else f"{KIND_LABELS[kind]}(下表含全部类别)"
    tail: list[str] = []
    for _key, label, _ in KINDS[1:]:
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
        options={"kind": kind, "kinds": [{"key": k, "label": lb} for k, lb, _ in KINDS]},
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
    for key, _, _ in KINDS[1:]:
        out += [sum(n(key, rank) for rank, _ in STATUSES), n(key, 0)]
    return out


def _with_rate(row: list[Any]) -> list[Any]:
    """Insert the coverage rate after 未覆盖 (column 6 of the figures)."""
    return [*row[:6], percent(row[1], row[0]), *row[6:]]
