"""Errors a view does not handle become Chinese pages with a 4xx status, never a 500."""

import datetime as dt

from django.test import override_settings
from django.urls import include, path

from zhucun.core.errors import Forbidden
from zhucun.params.calendar import work_calendar


def policy_error_view(request):
    work_calendar().is_workday(dt.date(2031, 5, 6))  # a year nobody entered


def forbidden_view(request):
    raise Forbidden("只有县级组织部门可以办理")


urlpatterns = [
    path("boom/policy/", policy_error_view),
    path("boom/forbidden/", forbidden_view),
    path("", include("zhucun.web.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_unknown_calendar_year_is_a_chinese_400(client, world):
    client.force_login(world.users["county"])
    r = client.get("/boom/policy/")
    assert r.status_code == 400 and "请录入2031年节假日安排" in r.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_service_refusal_keeps_its_status(client, world):
    client.force_login(world.users["county"])
    r = client.get("/boom/forbidden/")
    assert r.status_code == 403 and "只有县级组织部门可以办理" in r.content.decode()
