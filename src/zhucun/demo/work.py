"""驻村工作 in the demo (MGT.2, DUT.LIST, MGT.8.GROUPS, MGT.8.VISITS, MGT.6), driven through the
work services by the accounts whose act it is, for the teams of 遮放镇 over the three complete
months before the current one:

* weekly meetings recorded by each first secretary, with tasks from their decisions — the
  demo village 南棒村 misses exactly one week (the second of the latest complete month) and
  has one task past due;
* a key-task list issued by 芒市 (``mangshi``) to its villages, with progress reported by the
  teams of 遮放镇; 南棒村 turns one key task into a task of its team member (``duiyuan``);
* a contact cadre for every village group of 遮放镇 but one; visits every month to the
  contacted groups except one group in the latest month, one household at risk of returning
  to poverty flagged to the township (not yet acknowledged) and one acknowledged;
* monthly reports opened from their drafts and submitted, one left unsubmitted (overdue),
  and an urgent report from the demo village waiting for the township.

Deterministic with the database (teams by id, no random draws)."""

from __future__ import annotations

import datetime as dt

from zhucun.accounts.models import User, UserRole
from zhucun.policy.work import month_weeks
from zhucun.registry.models import Jurisdiction, Posting, PostingStatus, Village
from zhucun.work.models import Meeting, Report, Task, Visit
from zhucun.work.services import meetings as ms
from zhucun.work.services import reports as rs
from zhucun.work.services import visits as vs

from .accounts import DEMO_VILLAGE
from .timeline import Timeline, month_add

ZHEFANG = "533103102"
MANGSHI = "533103"
DUTIES = ("DUT.1", "DUT.2", "DUT.3", "DUT.4", "DUT.5")
TOPICS = (
    "传达乡镇党委会议精神,研究本周入户走访安排",
    "研究产业发展项目推进和村集体经济增收措施",
    "研究防返贫监测户帮扶措施和人居环境整治",
    "研究村级事务“四议两公开”落实和矛盾纠纷排查",
)


def _fs_user(posting: Posting) -> User | None:
    return User.objects.filter(role=UserRole.FIRST_SECRETARY, cadre_id=posting.cadre_id).first()


def _teams() -> list[tuple[Village, Posting, User, list[Posting]]]:
    out = []
    villages = Village.objects.filter(jurisdiction__code__startswith=ZHEFANG).order_by(
        "jurisdiction__code"
    )
    for v in villages:
        team = list(
            Posting.objects.filter(village=v, status=PostingStatus.ACTIVE)
            .select_related("cadre")
            .order_by("role", "id")
        )
        fs = next((p for p in team if p.role == "first_secretary"), None)
        user = _fs_user(fs) if fs else None
        if fs is not None and user is not None:
            out.append((v, fs, user, team))
    return out


def load(*, admin: User, timeline: Timeline) -> None:
    today = timeline.today
    months = [month_add(timeline.current, n) for n in (-3, -2, -1)]
    teams = _teams()
    for v, fs, user, team in teams:
        _meetings(v, fs, user, team, months=months, today=today)
    _key_list(admin=admin, teams=teams, today=today, months=months)
    _groups_and_visits(admin=admin, teams=teams, months=months, today=today)
    _reports(teams=teams, months=months)


def _meetings(
    v: Village,
    fs: Posting,
    user: User,
    team: list[Posting],
    *,
    months: list[dt.date],
    today: dt.date,
) -> None:
    demo = v.jurisdiction.code == DEMO_VILLAGE
    latest = months[-1]
    for month in months:
        for n, monday in enumerate(month_weeks(month)):
            if demo and month == latest and n == 1:
                continue  # the week the demo village missed (MGT.2)
            day = monday + dt.timedelta(days=1)  # Tuesdays
            if day < fs.arrival_date or day >= today:
                continue
            present = [p.cadre_id for p in team if p.arrival_date <= day]
            owner = team[(n + 1) % len(team)]
            if owner.arrival_date > day:
                owner = fs
            ms.meeting_record(
                actor=user,
                held_on=day,
                attendee_ids=present,
                topics=TOPICS[n % len(TOPICS)] + "(演示数据)",
                decisions="明确本周任务分工,责任到人",
                tasks=[
                    {
                        "title": f"{TOPICS[n % len(TOPICS)][2:10]}:落实到户(演示数据)",
                        "owner_id": owner.cadre_id,
                        "due": day + dt.timedelta(days=10),
                        "duty": DUTIES[n % len(DUTIES)],
                    }
                ],
            )
    # every task done by its due date, except one in the demo village (past due, MGT.2)
    tasks = Task.objects.filter(village=v, due__lt=today).order_by("due", "id")
    late = tasks.last() if demo else None
    for t in tasks:
        if t == late:
            continue
        ms.task_done(
            actor=user, task_id=t.pk, done_on=min(t.due, today), done_note="已按期完成(演示数据)"
        )


def _key_list(
    *,
    admin: User,
    teams: list[tuple[Village, Posting, User, list[Posting]]],
    today: dt.date,
    months: list[dt.date],
) -> None:
    county = (
        User.objects.filter(role=UserRole.COUNTY, jurisdiction__code__startswith=MANGSHI)
        .order_by("id")
        .first()
        or admin
    )
    issued = months[1]
    kl = ms.key_list_issue(
        actor=county,
        title=f"芒市{issued.year}年第四季度驻村工作重点任务清单(演示数据)",
        issued_on=issued,
        note="请各驻村工作队对照清单逐项推进,按月报告进展",
        items=[
            {
                "title": "完成防止返贫监测对象动态排查",
                "duty": "DUT.2",
                "due": months[2] + dt.timedelta(days=14),
            },
            {
                "title": "村党组织书记和“两委”成员培训全覆盖",
                "duty": "DUT.1",
                "due": today + dt.timedelta(days=20),
            },
            {
                "title": "村集体经济收入项目落地",
                "duty": "DUT.3",
                "due": today + dt.timedelta(days=40),
            },
        ],
    )
    items = list(kl.items.order_by("id"))
    for n, (_, _, user, _) in enumerate(teams):
        ms.key_progress_report(
            actor=user,
            item_id=items[0].pk,
            state="done" if n % 3 else "in_progress",
            note="已逐户排查,建立台账" if n % 3 else "已排查大部分农户,剩余外出务工户电话核实中",
        )
        if n % 2 == 0:
            ms.key_progress_report(
                actor=user, item_id=items[1].pk, state="in_progress", note="已组织集中培训1期"
            )
    # the demo village turns the training task into its own, owned by a team member: the
    # team member's 待办 and notice (MGT.2)
    for v, _, user, team in teams:
        member = next((p for p in team if p.role == "team_member"), None)
        if v.jurisdiction.code == DEMO_VILLAGE and member is not None:
            ms.task_create(actor=user, owner_id=member.cadre_id, key_item_id=items[1].pk)


def _groups_and_visits(
    *,
    admin: User,
    teams: list[tuple[Village, Posting, User, list[Posting]]],
    months: list[dt.date],
    today: dt.date,
) -> None:
    township = (
        User.objects.filter(role=UserRole.TOWNSHIP, jurisdiction__code__startswith=ZHEFANG)
        .order_by("id")
        .first()
        or admin
    )
    latest = months[-1]
    for v, fs, user, team in teams:
        demo = v.jurisdiction.code == DEMO_VILLAGE
        groups = list(Jurisdiction.objects.filter(parent=v.jurisdiction).order_by("code"))
        since = max(fs.arrival_date, months[0])
        contacted = []
        for n, g in enumerate(groups):
            if demo and n == len(groups) - 1:
                continue  # one group of the demo village has no contact cadre (MGT.8.GROUPS)
            member = team[n % len(team)]
            day = max(since, member.arrival_date)
            vs.group_contact_assign(actor=user, group_id=g.pk, cadre_id=member.cadre_id, since=day)
            contacted.append((g, member, day))
        for month in months:
            for n, (g, member, day) in enumerate(contacted):
                if demo and month == latest and n == 0:
                    continue  # not visited in the latest month (MGT.8.VISITS)
                visit_day = month + dt.timedelta(days=9 + n)
                if visit_day < day or visit_day >= today:
                    continue
                visitor = _user_of(member) or user
                risk = demo and month == latest and n == 1
                vs.visit_record(
                    actor=visitor,
                    group_id=g.pk,
                    visited_on=visit_day,
                    purposes=["monitoring", "caring"] if n % 2 == 0 else ["assistance"],
                    new_households=[
                        {"head_name": f"{g.name[:2]}农户{n + 1}", "risk_return_to_poverty": risk}
                    ]
                    if month == months[0] or risk
                    else [],
                    findings=(
                        "户主因病住院,家庭收入骤减,存在返贫致贫风险(演示数据)"
                        if risk
                        else "家庭生产生活正常,已宣传防返贫政策(演示数据)"
                    ),
                    risk_found=risk,
                    follow_up="已报乡镇申请临时救助,纳入监测对象,每半月回访(演示数据)"
                    if risk
                    else "",
                )
    # one earlier risk in another village, already acknowledged by the township
    for v, _fs, user, _team in teams:
        if v.jurisdiction.code == DEMO_VILLAGE:
            continue
        first = Visit.objects.filter(village=v).order_by("visited_on", "id").first()
        if first is None:
            continue
        risk = vs.visit_record(
            actor=user,
            group_id=first.group_id,
            visited_on=first.visited_on,
            purposes=["monitoring"],
            new_households=[{"head_name": "岩温农户", "risk_return_to_poverty": True}],
            findings="因灾房屋受损,存在返贫风险(演示数据)",
            risk_found=True,
            follow_up="已协调危房改造资金,落实帮扶责任人(演示数据)",
        )
        vs.visit_risk_acknowledge(actor=township, visit_id=risk.pk, note="已纳入监测,跟踪帮扶")
        break


def _reports(
    *, teams: list[tuple[Village, Posting, User, list[Posting]]], months: list[dt.date]
) -> None:
    """Monthly reports opened from their drafts, an edited line added and submitted — one
    village leaves the month before last unsubmitted (overdue); the demo village's first
    secretary reports an emergency the township has not yet acknowledged."""
    for n, (_v, fs, user, _team) in enumerate(teams):
        for month in months:
            if month < fs.arrival_date.replace(day=1):
                continue
            report = rs.report_open(actor=user, kind="monthly", period_start=month)
            if n == 1 and month == months[1]:
                continue  # opened, never submitted: overdue (MGT.6.MONTHLY)
            rs.report_save(
                actor=user,
                report_id=report.pk,
                body=report.body + "\n下月打算:继续抓好防返贫监测和产业项目推进。(演示数据)",
            )
            rs.report_submit(actor=user, report_id=report.pk)
    for v, _fs, user, _team in teams:
        if v.jurisdiction.code == DEMO_VILLAGE:
            rs.urgent_report(
                actor=user,
                title="南棒村三组山体滑坡堵塞村道(演示数据)",
                body="今晨强降雨致三组村道被滑坡体堵塞约30米,无人员伤亡,已组织群众避险,"
                "请求乡镇协调机械清理。(演示数据)",
            )


def _user_of(posting: Posting) -> User | None:
    return User.objects.filter(cadre_id=posting.cadre_id, is_active=True).first()


def summary_lines() -> list[str]:
    """What the demo printout says about 驻村工作."""
    meetings = Meeting.objects.count()
    if not meetings:
        return []
    reports = Report.objects.filter(kind="monthly")
    return [
        f"遮放镇第一书记月度工作报告 {reports.filter(submitted_at__isnull=False).count()} 份已报送,"
        f"{reports.filter(submitted_at__isnull=True).count()} 份未报送;突发情况报告待乡镇签收 "
        f"{Report.objects.filter(kind='urgent', acknowledged_at__isnull=True).count()} 份",
        f"遮放镇工作例会 {meetings} 次,任务 {Task.objects.count()} 项"
        f"(逾期未完成 {Task.objects.filter(state='open', due__lt=dt.date.today()).count()} 项);"
        f"走访 {Visit.objects.count()} 次,发现返贫致贫风险 {Visit.objects.filter(risk_found=True).count()} 户次",
    ]
