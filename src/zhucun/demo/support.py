"""培训保障 in the demo (MGT.7, GUA.2), driven through the support services by the accounts
whose act it is, for the cadres of 遮放镇 and of the demo unit 德宏州农业农村局 (``nongye``):

* the prefecture (``zhou``) sets the daily living subsidy as a labelled demo value; the
  monthly communication subsidy stays unset, so the subsidy table shows that gap;
* a prefecture training for the first secretaries of 遮放镇 (3 days) and a county training of
  芒市 for its teams (2 days) in July: one team member attended only the county one (short of
  the 3 days) and one first secretary missed the prefecture one;
* the first secretaries' work funds allocated by the prefecture, one only in part;
* 农业农村局 records each posting's distance, pays transport from June and living from
  September (when attendance starts), leaves one June transport unpaid (overdue since 1
  October), records this year's exams except one, and one cadre's insurance lapsed.

Deterministic with the database (cadres by id)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.selectors import duty_days_by_cadre
from zhucun.params.selectors import parameters_current
from zhucun.params.services import parameter_set
from zhucun.policy.support import living_subsidy, transport_subsidy
from zhucun.registry.models import Cadre, Posting, PostingStatus
from zhucun.support.models import TrainingEvent
from zhucun.support.services import funds, subsidies, training, welfare

from .accounts import DEMO_UNIT
from .timeline import Timeline, month_add, month_end

PREFECTURE = "533100000000"
ZHEFANG = "533103102"
NOTE = "演示数据:按云南省差旅费伙食补助标准设置,正式使用前请按本州文件设置"


def _first(role: str, **scope: object) -> User | None:
    return User.objects.filter(role=role, **scope).order_by("id").first()


def load(*, admin: User, timeline: Timeline) -> None:
    today = timeline.today
    zhou = _first(UserRole.PREFECTURE) or admin
    mangshi = _first(UserRole.COUNTY, jurisdiction__code__startswith="533103") or admin
    unit = _first(UserRole.UNIT, unit__name=DEMO_UNIT) or admin
    parameter_set(
        actor=zhou,
        name="living_subsidy_yuan_per_day",
        jurisdiction_code=PREFECTURE,
        effective=dt.date(2021, 10, 19),
        value="100",
        note=NOTE,
    )
    posts = list(
        Posting.objects.filter(
            status=PostingStatus.ACTIVE, village__jurisdiction__code__startswith=ZHEFANG
        )
        .select_related("cadre")
        .order_by("id")
    )
    _training(zhou=zhou, county=mangshi, posts=posts, today=today)
    _funds(zhou=zhou, posts=posts, today=today)
    _subsidies_and_welfare(unit=unit, timeline=timeline)


def _training(*, zhou: User, county: User, posts: list[Posting], today: dt.date) -> None:
    start = dt.date(today.year, 7, 7)
    if start >= today:
        return
    fss = [p for p in posts if p.role == "first_secretary" and p.arrival_date < start]
    members = [p for p in posts if p.arrival_date < start]
    if len(fss) < 2 or len(members) < 3:
        return
    pref = training.training_event_create(
        actor=zhou,
        title=f"{today.year}年全州驻村第一书记示范培训班(演示数据)",
        start=start,
        end=start + dt.timedelta(days=2),
        days="3",
        content="党建引领乡村振兴、防止返贫动态监测、村级集体经济发展",
    )
    training.training_attendance_set(
        actor=zhou, event_id=pref.pk, cadre_ids=[p.cadre_id for p in fss[1:]]
    )
    county_start = start + dt.timedelta(days=14)
    local = training.training_event_create(
        actor=county,
        title=f"芒市{today.year}年驻村工作队员轮训班(演示数据)",
        start=county_start,
        end=county_start + dt.timedelta(days=1),
        days="2",
        content="驻村工作制度、入户走访方法、矛盾纠纷化解",
    )
    training.training_attendance_set(
        actor=county, event_id=local.pk, cadre_ids=[p.cadre_id for p in members]
    )


def _funds(*, zhou: User, posts: list[Posting], today: dt.date) -> None:
    for n, p in enumerate(p for p in posts if p.role == "first_secretary"):
        funds.fund_record(
            actor=zhou,
            year=today.year,
            kind="fs",
            cadre_id=p.cadre_id,
            allocated="5000" if n == 0 else "10000",
            spent="3200",
            on=dt.date(today.year, 4, 15) if dt.date(today.year, 4, 15) < today else today,
            note="州财政拨付第一书记工作经费(演示数据)",
        )


def _subsidies_and_welfare(*, unit: User, timeline: Timeline) -> None:
    today = timeline.today
    posts = list(
        Posting.objects.filter(status=PostingStatus.ACTIVE, cadre__unit__name=DEMO_UNIT)
        .select_related("cadre", "village__jurisdiction")
        .order_by("id")
    )
    months = [month_add(timeline.current, n) for n in range(-6, 0)]  # six complete months
    params = parameters_current()
    for n, p in enumerate(posts):
        code = p.village.jurisdiction.code
        km = Decimal(30 + 7 * n)
        subsidies.distance_set(
            actor=unit,
            posting_id=p.pk,
            one_way_km=str(km),
            origin=DEMO_UNIT,
            source="百度地图驾车里程(演示数据)",
        )
        for month in months:
            if month < p.arrival_date.replace(day=1):
                continue
            paid_on = min(month_add(month, 1) + dt.timedelta(days=9), today)
            if not (n == 0 and month == months[0]):  # one June transport left unpaid
                amount = transport_subsidy(
                    one_way_km=km, on=month, params=params, jurisdiction=code
                ).value
                subsidies.subsidy_payment_record(
                    actor=unit,
                    cadre_id=p.cadre_id,
                    month=month,
                    kind="transport",
                    amount=str(amount),
                    paid_on=paid_on,
                    reference=f"农发〔{month.year}〕{month.month}号",
                )
            if month >= timeline.start and month < timeline.closed:
                days = duty_days_by_cadre(
                    Cadre.objects.filter(pk=p.cadre_id), start=month, end=month_end(month)
                ).get(p.cadre_id, 0)
                living = living_subsidy(duty_days=days, on=month, params=params, jurisdiction=code)
                if living.value is not None:
                    subsidies.subsidy_payment_record(
                        actor=unit,
                        cadre_id=p.cadre_id,
                        month=month,
                        kind="living",
                        amount=str(living.value),
                        paid_on=paid_on,
                        reference=f"农发〔{month.year}〕{month.month}号",
                    )
        if n != 1:  # one cadre without this year's exam
            welfare.exam_record(
                actor=unit,
                cadre_id=p.cadre_id,
                year=today.year,
                exam_on=dt.date(today.year, 5, 20) if dt.date(today.year, 5, 20) < today else today,
                place="德宏州人民医院",
                conclusion="未见明显异常(演示数据)",
            )
        end = p.planned_end or today + dt.timedelta(days=365)
        lapse = n == 2  # the policy ended before the posting does: a gap in cover
        welfare.insurance_record(
            actor=unit,
            cadre_id=p.cadre_id,
            policy_number=f"PICC-DH-{today.year}-{p.pk:05d}",
            insurer="中国人民财产保险股份有限公司德宏州分公司",
            start=p.arrival_date,
            end=today - dt.timedelta(days=20) if lapse else end,
        )


def summary_lines() -> list[str]:
    events = TrainingEvent.objects.count()
    if not events:
        return []
    return [f"集中培训 {events} 期;生活补助标准为演示值,通信补贴标准未设置(补助表显示缺口)"]
