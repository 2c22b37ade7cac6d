"""考核评议: one entry for 三讲三评 (MGT.8.SJSP), the annual and end-of-term assessments
(MGT.5) and the results fed back to the units (MGT.5.FEEDBACK, GUA.3.PRIORITY)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from zhucun.accounts.models import UserRole
from zhucun.assessment.scope import AREA_ROLES, ASSESSMENT_READERS, SJSP_READERS, SJSP_WRITERS
from zhucun.core.errors import Forbidden

from ._common import page_view

NAV = "assessment"
HUB_ROLES = SJSP_READERS | ASSESSMENT_READERS
CLAUSE_TEXT = (
    "第一书记和工作队员实行一年一考核,年底考核和驻村期满考核均由所在县(市)党委组织部门牵头,"
    "深入听取村(社区)干部、党员、群众意见(MGT.5.ANNUAL、MGT.5.INPUT);每季度开展“三讲三评”,"
    "评价结果纳入年度考核和驻村期满考核(MGT.8.SJSP)。"
)
RESULT_ROLES = frozenset({UserRole.ADMIN, *AREA_ROLES, UserRole.UNIT})
# (url name, label, roles that have the work)
LINKS = (
    ("sjsp_list", "三讲三评活动", SJSP_READERS),
    ("sjsp_rectifications", "三讲三评整改", SJSP_READERS),
    ("sjsp_missing", "未开展三讲三评的村", SJSP_WRITERS | {UserRole.PREFECTURE}),
    ("sjsp_summary", "三讲三评情况汇总表", SJSP_WRITERS | {UserRole.PREFECTURE}),
    ("assessment_list", "年度考核和驻村期满考核", ASSESSMENT_READERS - {UserRole.UNIT}),
    ("assessment_results", "考核结果(反馈派出单位)", RESULT_ROLES),
)


@page_view
def assessment_hub(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in HUB_ROLES:
        raise Forbidden("您的角色没有考核评议工作")
    links = [
        {"url": reverse(f"web:{name}"), "label": label, "id": "hub-" + name.replace("_", "-")}
        for name, label, roles in LINKS
        if user.role in roles
    ]
    return render(
        request,
        "web/assessment/hub.html",
        {"nav_key": NAV, "links": links, "clause": CLAUSE_TEXT},
    )


urlpatterns = [path("assessment/", assessment_hub, name="assessment_hub")]
