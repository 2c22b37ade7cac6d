"""考核评议 in the demo (MGT.5, MGT.8.SJSP, GUA.3.PRIORITY), driven through the services by the
accounts whose act it is:

* the prefecture (``zhou``) sets the two figures the source leaves to the jurisdiction, as
  labelled demo values: the 三讲三评 satisfaction below which a cadre rectifies (90 %) and the
  resident cadres' 优秀 share (20 %);
* 遮放镇 (``zhefang``) holds 三讲三评 in each of its villages in the two complete quarters before
  the current one; in one village a team member falls below 90 % both times: the earlier
  rectification is closed, the later one has its plan and due date;
* 梁河县 (``lianghe``) has its previous year's annual assessment finalised: the three groups'
  opinions heard for everyone, appraisals, grades within the 优秀 quota (one 不称职);
* 芒市 (``mangshi``) has this year's annual assessment started, a few opinions recorded.

Deterministic with the database (cadres by id, votes from a seeded generator)."""

from __future__ import annotations

import datetime as dt
import random

from zhucun.accounts.models import User, UserRole
from zhucun.assessment.models import Assessment, Rectification, SjspEvent
from zhucun.assessment.selectors.assessments import quota_status
from zhucun.assessment.services import assessments as assess
from zhucun.assessment.services import sjsp
from zhucun.assessment.services.sjsp import team_q
from zhucun.params.services import parameter_set
from zhucun.policy.assessment import GRADE_LABELS, VOTER_GROUPS
from zhucun.policy.review import quarter_bounds, quarter_label
from zhucun.registry.models import Cadre, Posting, Village

from .timeline import Timeline

PREFECTURE = "533100000000"
ZHEFANG = "533103102"
SET_FROM = dt.date(2021, 10, 19)  # the policy's date: the demo's values apply throughout
NOTE = "演示数据:按部分县做法设置,正式使用前请按本州文件设置"
TEAM_MAX = 10
FINALISED_COUNTY = "533122"
EXCELLENT_EVERY = 5
VOTERS = {"village_cadres": 7, "party_members": 12, "villagers": 20}
SUMMARY = (
    "驻村干部讲帮扶措施、评帮扶成效;村组干部讲履职情况、评工作成效;村群众讲发展变化、"
    "评内生动力(演示数据)"
)
OPINIONS = {
    "village_cadres": ("村“两委”班子座谈会,7人", "工作扎实,与村干部配合好,带头入户走访"),
    "party_members": ("党员大会,12人", "组织生活规范,党员教育管理有起色"),
    "villagers": ("入户走访群众代表,20户", "经常到家里来,办实事,群众认可"),
}


def _user(role: str, code: str, admin: User) -> User:
    return (
        User.objects.filter(role=role, jurisdiction__code__startswith=code).order_by("id").first()
        or admin
    )


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _votes(rng: random.Random, voters: int, low: bool) -> dict[str, int]:
    if low:  # well below 90 %: a third or more 一般 / 差
        average = voters // 3 + rng.randint(0, 2)
        poor = rng.randint(0, 2)
    else:
        average = rng.randint(0, max(voters // 12, 1) - 1) if voters >= 12 else 0
        poor = 0
    rest = voters - average - poor
    fairly_good = rng.randint(0, rest // 3)
    return {
        "good": rest - fairly_good,
        "fairly_good": fairly_good,
        "average": average,
        "poor": poor,
    }


def load(*, admin: User, timeline: Timeline) -> None:
    rng = random.Random("assessment-demo")
    zhou = User.objects.filter(role=UserRole.PREFECTURE).order_by("id").first() or admin
    for name, value in (("sjsp_satisfaction_threshold", "0.90"), ("excellent_quota_ratio", "0.20")):
        parameter_set(
            actor=zhou,
            name=name,
            jurisdiction_code=PREFECTURE,
            effective=SET_FROM,
            value=value,
            note=NOTE,
        )
    _sjsp(rng, admin=admin, timeline=timeline)
    _annual_done(rng, admin=admin, timeline=timeline)
    _annual_started(admin=admin, timeline=timeline)


def _sjsp(rng: random.Random, *, admin: User, timeline: Timeline) -> None:
    township = _user(UserRole.TOWNSHIP, ZHEFANG, admin)
    today = timeline.today
    year, quarter = today.year, (today.month - 1) // 3 + 1
    recent = _previous(year, quarter)
    quarters = [_previous(*recent), recent]
    villages = list(
        Village.objects.filter(jurisdiction__code__startswith=ZHEFANG).order_by(
            "jurisdiction__code"
        )
    )
    low_village = villages[1] if len(villages) > 1 else None
    for y, q in quarters:
        _, last = quarter_bounds(y, q)
        held = min(last - dt.timedelta(days=12), today - dt.timedelta(days=1))
        for v in villages:
            team = list(
                Cadre.objects.filter(
                    pk__in=Posting.objects.filter(team_q(v.pk, y, q)).values("cadre_id")
                ).order_by("name", "pk")[:TEAM_MAX]
            )
            if not team:
                continue
            event = sjsp.sjsp_event_record(
                actor=township,
                village_id=v.pk,
                year=y,
                quarter=q,
                held_on=held,
                summary=SUMMARY,
            )
            rows = []
            for n, cadre in enumerate(team):
                low = v == low_village and n == len(team) - 1
                for group in VOTER_GROUPS:
                    rows.append(
                        {"cadre_id": cadre.pk, "group": group, **_votes(rng, VOTERS[group], low)}
                    )
            sjsp.sjsp_tallies_record(actor=township, event_id=event.pk, rows=rows)
    # the rectifications: the earlier one done, the later one with its plan and due date
    for r in Rectification.objects.select_related("event").order_by(
        "event__year", "event__quarter"
    ):
        sjsp.rectification_plan_set(
            actor=township,
            rectification_id=r.pk,
            plan="每周入户走访不少于3户,逐户回应群众诉求;每月向村党组织报告整改进展(演示数据)",
            due=r.event.held_on + dt.timedelta(days=60),
        )
        if (r.event.year, r.event.quarter) != recent:
            sjsp.rectification_close(
                actor=township,
                rectification_id=r.pk,
                closed_on=min(r.event.held_on + dt.timedelta(days=50), today),
                closing_note="已按整改措施完成,下季度测评群众满意度回升(演示数据)",
            )


def _annual_done(rng: random.Random, *, admin: User, timeline: Timeline) -> None:
    """梁河县's previous year: every cadre heard, graded and finalised within the quota (the
    county where the demo unit 农业农村局 has most cadres, so its inbox has results)."""
    lianghe = _user(UserRole.COUNTY, FINALISED_COUNTY, admin)
    year = timeline.today.year - 1
    assess.assessment_start(actor=lianghe, year=year)
    drafts = list(
        Assessment.objects.filter(
            county__code__startswith=FINALISED_COUNTY, year=year, kind="annual"
        )
        .select_related("cadre")
        .order_by("cadre_id")
    )
    county = drafts[0].county if drafts else None
    quota = (quota_status(county=county, year=year).quota or 0) if county else 0
    given = 0
    for n, a in enumerate(drafts):
        for group, (source, text) in OPINIONS.items():
            assess.assessment_opinion_add(
                actor=lianghe, assessment_id=a.pk, group=group, source=source, text=text
            )
        excellent = n % EXCELLENT_EVERY == 0 and given < quota  # spread over the units
        given += excellent
        grade = (
            "excellent"
            if excellent
            else "incompetent"
            if n == len(drafts) - 1
            else "basically_competent"
            if n % 17 == 5
            else "competent"
        )
        assess.assessment_grade_set(
            actor=lianghe,
            assessment_id=a.pk,
            appraisal=f"{a.cadre.name}同志{year}年度驻村期间{_appraisal(grade)}(演示数据)",
            grade=grade,
        )
        assess.assessment_finalise(actor=lianghe, assessment_id=a.pk)


def _appraisal(grade: str) -> str:
    return {
        "excellent": "扎根基层、实绩突出,群众满意度高",
        "competent": "能够履行驻村职责,完成各项工作任务",
        "basically_competent": "基本履行驻村职责,入户走访和工作日志有欠缺",
        "incompetent": "长期不在岗,群众意见较大,未能履行驻村职责",
    }[grade] + f",考核等次为{GRADE_LABELS[grade]}"


def _annual_started(*, admin: User, timeline: Timeline) -> None:
    """芒市's current year: started, the first cadres' opinions recorded."""
    mangshi = _user(UserRole.COUNTY, "533103", admin)
    year = timeline.today.year
    assess.assessment_start(actor=mangshi, year=year)
    for a in Assessment.objects.filter(county__code__startswith="533103", year=year).order_by(
        "cadre_id"
    )[:3]:
        for group in ("village_cadres", "villagers"):
            source, text = OPINIONS[group]
            assess.assessment_opinion_add(
                actor=mangshi, assessment_id=a.pk, group=group, source=source, text=text
            )


def summary_lines() -> list[str]:
    """What the demo printout says about 考核评议."""
    events = SjspEvent.objects.all()
    if not events.exists():
        return []
    lines = []
    for y, q in sorted(set(events.values_list("year", "quarter"))):
        n = events.filter(year=y, quarter=q).count()
        r = Rectification.objects.filter(event__year=y, event__quarter=q)
        lines.append(
            f"遮放镇{quarter_label(y, q)}“三讲三评” {n} 个村;满意度低于标准须整改 {r.count()} 人"
            f"(已完成整改 {r.filter(closed_on__isnull=False).count()} 人)"
        )
    for county, state in ((FINALISED_COUNTY, "final"), ("533103", "draft")):
        qs = Assessment.objects.filter(county__code__startswith=county, state=state)
        if qs.exists():
            year = qs.values_list("year", flat=True).first()
            name = qs.values_list("county__name", flat=True).first()
            if state == "final":
                grades = "、".join(
                    f"{label} {qs.filter(grade=code).count()}"
                    for code, label in GRADE_LABELS.items()
                )
                lines.append(f"{name}{year}年度考核已确定等次 {qs.count()} 人:{grades}")
            else:
                lines.append(f"{name}{year}年度考核进行中,列入 {qs.count()} 人")
    return lines
