"""驻村工作: one entry for the team's work (MGT.2, DUT.LIST, MGT.8.GROUPS, MGT.8.VISITS, MGT.6.*,
GUA.1.BIND) — the phone pages for the team first, then the lists each role reads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from zhucun.accounts.models import UserRole
from zhucun.core.errors import Forbidden

from ._common import page_view

NAV = "work"
TEAM = frozenset({UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER})
FS = frozenset({UserRole.FIRST_SECRETARY})
AREA = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
UNIT = frozenset({UserRole.UNIT})
READERS = TEAM | AREA | UNIT | {UserRole.VILLAGE_SECRETARY}
CLAUSE_TEXT = (
    "驻村工作队每周召开1次工作例会,开列任务清单(MGT.2);分片联系村(居)民小组,每月到组到户走访"
    "(MGT.8.GROUPS、MGT.8.VISITS);第一书记每月向乡镇报告工作,乡镇每季度向县级报告,派出单位每半年"
    "听取汇报(MGT.6)。一次录入,各处汇总,不重复填报。"
)
# (url name, label, roles)
LINKS = (
    ("work_meeting_new", "记录本周例会(手机)", FS),
    ("work_visit_new", "记录走访(手机)", TEAM),
    ("work_urgent_new", "报告突发情况(手机)", TEAM),
    ("work_reports", "工作报告", TEAM | AREA | UNIT),
    ("work_meeting_list", "工作例会", READERS),
    ("work_tasks", "任务清单", READERS),
    ("work_keylists", "重点任务清单", READERS),
    ("work_groups", "村民小组分片联系", READERS - UNIT),
    ("work_visit_list", "走访记录", READERS),
    ("work_risks", "返贫致贫风险", AREA),
    ("work_duty_totals", "职责任务统计", AREA | UNIT),
)


@page_view
def work_hub(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in READERS:
        raise Forbidden("您的角色没有驻村工作")
    links = [
        {"url": reverse(f"web:{name}"), "label": label, "id": "hub-" + name.replace("_", "-")}
        for name, label, roles in LINKS
        if user.role in roles
    ]
    return render(
        request, "web/work/hub.html", {"nav_key": NAV, "links": links, "clause": CLAUSE_TEXT}
    )


urlpatterns = [path("work/", work_hub, name="work_hub")]
