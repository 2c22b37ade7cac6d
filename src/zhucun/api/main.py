"""The JSON API under /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs. Every endpoint reads through zhucun.registry.selectors/scopes and writes
through zhucun.registry.services; the API itself never decides who may see what."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import AUTH
from .routers import (
    assessment_assessments,
    assessment_feedback,
    assessment_sjsp,
    attendance_checkin_batch,
    attendance_checkin_import,
    attendance_checkins,
    attendance_diary,
    attendance_leave,
    attendance_months,
    audit,
    cadres,
    charts,
    coverage,
    deadlines,
    inbox,
    jurisdictions,
    me,
    nominations,
    parameters,
    postings,
    review_quarterly,
    review_recall,
    review_records,
    rotation,
    screening,
    search,
    support_funds,
    support_subsidies,
    support_training,
    tenure,
    units,
    villages,
    work_meetings,
    work_reports,
    work_visits,
)

DESCRIPTION = """德宏州驻村工作队选派管理系统的 JSON 接口。

**认证**:请求头 `Authorization: Bearer zc_…`(令牌由 `zhucun token create 用户名` 生成),
或浏览器登录会话(会话方式修改数据须带 `X-CSRFToken` 请求头)。

**错误**:一律为 JSON `{"detail": "中文说明", "errors": [{"field": "字段", "reason": "中文原因"}]}`。
400 参数或数据校验未通过(含请求格式与类型错误,本接口不使用422),401 未认证,
403 无权操作(可查看但不可修改的记录也是403),404 不存在或不在您的管辖范围内。

**分页**:列表接口接受 `page`(从1开始)与 `page_size`(默认50,最多200),
返回 `{"count", "page", "page_size", "results"}`。
"""


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # readable Chinese, still UTF-8 JSON


class ZhucunAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)  # short, stable ids: village_list, …


api = ZhucunAPI(
    title="驻村工作队选派管理系统 接口",
    version="1",
    description=DESCRIPTION,
    openapi_url="openapi.json",
    docs_url="docs",
    urls_namespace="api",
    auth=AUTH,
    renderer=Renderer(),
)
errors.install(api)
for module in (me, jurisdictions, villages, units, cadres, postings, audit):
    api.add_router("", module.router)
for module in (nominations, coverage, deadlines, screening, parameters):  # selection (issue 3)
    api.add_router("", module.router)
for module in (attendance_checkins, attendance_leave, attendance_diary, attendance_months):
    api.add_router("", module.router)  # attendance (issue 4)
api.add_router("", tenure.router)  # tenure (issue 11)
api.add_router("", rotation.router)  # rotation applications (issue 11, MGT.9)
api.add_router("", review_records.router)  # discipline records and talks (issue 12)
api.add_router("", review_recall.router)  # recalls (issue 12, MGT.4.CAUSE, MGT.4.CONSEQ)
api.add_router("", review_quarterly.router)  # quarterly reviews (issue 12, MGT.4.REVIEW)
api.add_router("", assessment_assessments.router)  # assessments (issue 13, MGT.5)
api.add_router("", assessment_sjsp.router)  # 三讲三评 (issue 13, MGT.8.SJSP)
api.add_router("", assessment_feedback.router)  # results to units (issue 13, MGT.5.FEEDBACK)
api.add_router("", work_meetings.router)  # meetings, tasks, key-task lists (issue 14, MGT.2)
api.add_router("", work_visits.router)  # village groups and visits (issue 14, MGT.8.VISITS)
api.add_router("", work_reports.router)  # reports (issue 14, MGT.6.*, GUA.1.BIND, MGT.3.SUMMARY)
api.add_router("", support_training.router)  # training (issue 15, MGT.7)
api.add_router("", support_funds.router)  # funds (issue 15, GUA.2.FS_FUND/VILLAGE_FUND/UNIT_FUND)
api.add_router("", support_subsidies.router)  # subsidies, exams, insurance (issue 15, GUA.2)
api.add_router("", inbox.router)  # 待办 and 站内通知 (issue 16)
api.add_router("", charts.router)  # 统计图表 (issue 16)
api.add_router("", search.router)  # one search box (issue 16, point 6)
api.add_router("", attendance_checkin_import.router)  # other apps' check-ins (issue 16)
api.add_router("", attendance_checkin_batch.router)  # a phone's queue in one request (issue 17)
