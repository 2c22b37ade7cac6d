"""选派审批表 (issue 16, point 3; SEL.METHOD.FLOW): the nomination as the A4 form the
dispatching unit and the coordinating body sign and seal, on the one print layout
(web/_print_base.html). Read through ``nominations_visible`` like the nomination's page: a
nomination outside the user's scope is a 404, a role with no part in selection too. No ID
number or phone on the form (registry/disclosure.py: not needed to decide a nomination)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhucun.core.errors import NotFound
from zhucun.policy.dates import date_label
from zhucun.selection.selectors import nominations_visible

from ._common import page_view
from .print_layout import pairs, signed
from .selection import FIVE, STATE_LABELS, STEP_LABELS, _no_business, finding_rows


def _ym(d) -> str:  # type: ignore[no-untyped-def]
    return f"{d.year}年{d.month}月" if d else "—"


@page_view
def nomination_print(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    n = (
        nominations_visible(request.user)
        .select_related("cadre__unit", "unit", "village__jurisdiction", "village__township__parent")
        .filter(pk=pk)
        .first()
    )
    if n is None:
        raise NotFound("提名不存在或不在您的管辖范围内")
    c = n.cadre
    steps = list(n.steps.order_by("at", "id"))
    done = {s.action: s for s in steps}
    place = "未指定"
    if n.village_id:
        t = n.village.township
        place = f"{t.parent.name if t.parent_id else ''}{t.name}{n.village.jurisdiction.name}"
    findings = finding_rows(n.findings)
    screening = "\n".join(f"[{f['clause']}] {f['message']}" for f in findings) or "全部符合"
    attest = "尚未审查"
    if n.attested_by:
        attest = (
            f"SEL.COND.BASIC {'已确认' if n.basic_attested else '未确认'};"
            f"SEL.COND.NO1 {'已确认' if n.no1_attested else '未确认'}(审查人:{n.attested_by})"
        )
    five = "尚未审核"
    if n.reviewer_name:
        marks = "、".join(f"{label}{'✓' if n.checkpoints.get(k) else '✗'}" for k, label in FIVE)
        five = f"{marks}(审核人:{n.reviewer_name})"
    history = "\n".join(
        f"{date_label(timezone.localtime(s.at).date())} {STEP_LABELS.get(s.action, s.action)}"
        f" · {s.actor_name} · {STATE_LABELS.get(s.to_state, s.to_state)}"
        + (f" · {s.note}" if s.note else "")
        for s in steps
    )
    rows = pairs(
        ("姓名", c.name, "性别", c.get_gender_display()),
        ("民族", c.ethnicity, "出生年月", _ym(c.birth_date)),
        ("政治面貌", c.get_party_status_display(), "转正时间", _ym(c.full_member_since)),
        ("学历", c.education or "—", "单位职务", c.post or "—"),
        ("派出单位", n.unit.name, "单位层级", n.unit.get_level_display()),
        ("拟任驻村职务", n.get_role_display(), "产生方式", n.get_source_display()),
        ("拟派驻村", place, "拟派出日期", date_label(n.dispatch_date)),
        ("资格审查", screening),
        ("基本条件审查", attest),
        ("五关审核", five),
        *(
            [
                (
                    "对提示事项的说明",
                    "\n".join(f"[{k}] {v}" for k, v in sorted(n.warning_reasons.items())),
                )
            ]
            if n.warning_reasons
            else []
        ),
        ("办理记录", history or "暂无办理记录"),
        ("当前状态", n.get_state_display()),
    )

    def box(action: str, who: str):  # type: ignore[no-untyped-def]
        s = done.get(action)
        when = timezone.localtime(s.at).date() if s else None
        return signed(who, seal=True, name=s.actor_name if s else "", on=when)

    return render(
        request,
        "web/selection/nomination_print.html",
        {
            "n": n,
            "title": "驻村第一书记和工作队员选派审批表",
            "issuer": f"派出单位:{n.unit.name}",
            "rows": rows,
            "signatures": [
                box("propose", "派出单位意见(提出人选)"),
                box("review", "驻村工作领导协调机构审核备案"),
                box("decide", "派出单位研究确定"),
            ],
        },
    )
