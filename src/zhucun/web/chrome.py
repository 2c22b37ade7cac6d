"""What the page frame shows for a user: short role label, scope and the nav items the role
may use. Scope facts come from the user's scope fields and ``scopes``; nothing is filtered here."""

from __future__ import annotations

from dataclasses import dataclass

from zhucun.accounts.models import UserRole
from zhucun.notices.selectors import notice_unread_count
from zhucun.registry import scopes
from zhucun.registry.models import Village

ROLE_SHORT = {
    UserRole.ADMIN: "系统管理员",
    UserRole.PREFECTURE: "州委组织部",
    UserRole.COUNTY: "县(市)委组织部",
    UserRole.TOWNSHIP: "乡镇(街道)党(工)委",
    UserRole.UNIT: "派出单位",
    UserRole.FIRST_SECRETARY: "第一书记",
    UserRole.TEAM_MEMBER: "工作队员",
    UserRole.VILLAGE_SECRETARY: "村党组织书记",
}

BACK_OFFICE = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP}
AUDIT_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE}
IMPORT_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.UNIT}
EXPORT_ROLES = IMPORT_ROLES | {UserRole.TOWNSHIP}
NOMINATION_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.UNIT}
# MGT.9.HANDOVER: the upcoming term ends are for the unit and the organisation departments
TERM_END_ROLES = NOMINATION_ROLES
REVIEW_ROLES = BACK_OFFICE | {UserRole.UNIT}
ASSESSMENT_ROLES = BACK_OFFICE | {UserRole.UNIT, UserRole.FIRST_SECRETARY}
SUPPORT_ROLES = BACK_OFFICE | {UserRole.UNIT}
WORK_ROLES = set(UserRole)  # every role has some of the team's work to do or to read


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


def nav_items(user) -> list[NavItem]:
    role = user.role
    items = [NavItem("home", "首页", "/")]
    if role in BACK_OFFICE:
        items += [
            NavItem("villages", "村(社区)", "/villages/"),
            NavItem("cadres", "驻村干部", "/cadres/"),
            NavItem("postings", "驻村任职", "/postings/"),
            NavItem("units", "派出单位", "/units/"),
            NavItem("jurisdictions", "行政区划", "/jurisdictions/"),
        ]
    elif role == UserRole.UNIT:
        items += [
            NavItem("cadres", "本单位干部", "/cadres/"),
            NavItem("postings", "驻村任职", "/postings/"),
            NavItem("villages", "驻点村", "/villages/"),
            NavItem("units", "本单位", "/units/"),
        ]
    elif role in (UserRole.FIRST_SECRETARY, UserRole.VILLAGE_SECRETARY):
        items += [
            NavItem("villages", "本村", "/villages/"),
            NavItem("cadres", "工作队", "/cadres/"),
        ]
    elif role == UserRole.TEAM_MEMBER:
        items += [NavItem("postings", "我的任职", "/postings/")]
    items += attendance_nav(role)
    if role in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER):
        items.append(NavItem("my_history", "驻村经历", "/tenure/mine/"))
    if role in TERM_END_ROLES:
        items.append(NavItem("term_ends", "即将期满", "/tenure/term-ends/"))
    if role in NOMINATION_ROLES:
        items.append(NavItem("nominations", "选派提名", "/nominations/"))
    if role != UserRole.VILLAGE_SECRETARY:  # MGT.9.APPLY: cadre, township, unit, departments
        items.append(NavItem("rotation", "调整轮换", "/rotation/"))
    if role in REVIEW_ROLES:  # MGT.4, MGT.10, GUA.3.TALK (issue 12)
        items.append(NavItem("review", "研判召回", "/review/"))
    if role in WORK_ROLES:  # MGT.2, DUT.LIST, MGT.8, MGT.6 (issue 14)
        items.append(NavItem("work", "驻村工作", "/work/"))
    if role in SUPPORT_ROLES:  # MGT.7, GUA.2 (issue 15)
        items.append(NavItem("support", "培训保障", "/support/"))
    if role in ASSESSMENT_ROLES:  # MGT.5, MGT.8.SJSP, GUA.3.PRIORITY (issue 13)
        items.append(NavItem("assessment", "考核评议", "/assessment/"))
    if role in BACK_OFFICE:
        items += [
            NavItem("coverage", "覆盖情况", "/coverage/"),
            NavItem("deadlines", "时限提醒", "/deadlines/"),
            NavItem("charts", "统计图表", "/charts/"),  # issue 16: pictures with their tables
        ]
    if role in IMPORT_ROLES:
        items.append(NavItem("screening", "资格审查", "/screening/"))
    if role in BACK_OFFICE or role == UserRole.UNIT:
        items.append(NavItem("parameters", "政策参数", "/parameters/"))
        items.append(NavItem("calendar", "节假日安排", "/calendar/"))
    if role in IMPORT_ROLES:
        items.append(NavItem("import", "导入导出", "/import/"))
    if role in AUDIT_ROLES:
        items.append(NavItem("audit", "审计日志", "/audit/"))
    if role in BACK_OFFICE:  # the managers of accounts (useradmin.scope)
        items.append(NavItem("accounts", "账号管理", "/accounts/"))
    return items


def attendance_nav(role) -> list[NavItem]:
    """Attendance (MGT.1, MGT.3): the cadre's mobile pages, the team, the township, reports."""
    items: list[NavItem] = []
    if role in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER):
        items += [
            NavItem("checkin", "签到", "/m/checkin/"),
            NavItem("diary", "工作日志", "/m/diary/"),
            NavItem("leave", "请销假", "/m/leave/"),
            NavItem("month", "我的出勤", "/m/month/"),
        ]
    if role == UserRole.FIRST_SECRETARY:
        items += [
            NavItem("team_today", "今日在岗", "/team/today/"),
            NavItem("team_approvals", "请假审批", "/team/approvals/"),
        ]
    if role in (UserRole.FIRST_SECRETARY, UserRole.VILLAGE_SECRETARY):
        items.append(NavItem("team_summary", "月度汇总", "/team/summary/"))
    if role == UserRole.TOWNSHIP:
        items += [
            NavItem("township_approvals", "请假审批", "/township/approvals/"),
            NavItem("township_exceptions", "签到异常", "/township/exceptions/"),
            NavItem(
                "checkin_import", "导入签到记录", "/attendance/checkin-import/"
            ),  # MGT.1.CHECKIN
            NavItem("township_month", "月度考勤", "/township/month/"),
            NavItem("township_summaries", "在岗汇总", "/township/summaries/"),
        ]
    if role in (UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY):
        items += [
            NavItem("rankings", "出勤排名", "/attendance/rankings/"),
            NavItem("interviews", "约谈", "/attendance/interviews/"),
            NavItem("special_periods", "特殊时期", "/attendance/special-periods/"),
            NavItem(
                "checkin_import", "导入签到记录", "/attendance/checkin-import/"
            ),  # MGT.1.CHECKIN
        ]
    return items


def scope_label(user) -> str:
    role = user.role
    if role == UserRole.ADMIN:
        return "全部"
    if role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        return user.jurisdiction.name if user.jurisdiction_id else "未设置管辖区域"
    if role == UserRole.UNIT:
        return user.unit.name if user.unit_id else "未设置单位"
    village_id = scopes.own_village_id(user)
    if village_id is None:
        return "暂无驻村任职" if role != UserRole.VILLAGE_SECRETARY else "未设置村"
    village = Village.objects.select_related("jurisdiction").get(pk=village_id)
    return village.jurisdiction.name


def user_chrome(user) -> dict[str, object]:
    return {
        "role_label": ROLE_SHORT.get(user.role, user.get_role_display()),
        "scope_label": scope_label(user),
        "nav": nav_items(user),
        "unread": notice_unread_count(user=user),  # the bell: notices addressed to the user
    }
