"""培训保障: one entry for training (MGT.7) and the organisational guarantees of GUA.2 — funds,
subsidies and their payment, physical exams and accident insurance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from zhucun.accounts.models import UserRole
from zhucun.core.errors import Forbidden
from zhucun.support.scope import READERS

from ._common import page_view

NAV = "support"
CLAUSE_TEXT = (
    "州、县每年至少组织1次全员轮训,州级对第一书记、县级对第一书记和工作队员全覆盖培训,每年集中培训"
    "不少于3天(MGT.7);工作经费、生活补助、通信补贴和交通费补助按标准安排,补助最迟不超过1个季度兑付;"
    "派出单位每年安排体检、购买任职期间人身意外伤害保险(GUA.2)。"
)
AREA = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
LINKS = (
    ("training_list", "集中培训", READERS),
    ("training_days", "培训天数", READERS),
    ("training_gaps", "培训覆盖缺口", READERS),
    ("funds", "工作经费测算", READERS),
    ("funds_gaps", "经费缺口与结余", READERS),
    ("subsidies", "补助发放", READERS),
    ("subsidies_overdue", "逾期未兑付补助", READERS),
    ("welfare", "体检与保险", READERS),
)


@page_view
def support_hub(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in READERS:
        raise Forbidden("您的角色没有培训保障工作")
    links = [
        {"url": reverse(f"web:{name}"), "label": label, "id": "hub-" + name.replace("_", "-")}
        for name, label, roles in LINKS
        if user.role in roles
    ]
    return render(
        request, "web/support/hub.html", {"nav_key": NAV, "links": links, "clause": CLAUSE_TEXT}
    )


urlpatterns = [path("support/", support_hub, name="support_hub")]
