"""研判召回 in the demo (MGT.4, MGT.10, GUA.3.TALK), driven through the review services by the
accounts whose act it is (芒市委组织部 ``mangshi``, 遮放镇党委 ``zhefang``, the unit ``nongye``):

* discipline records of several kinds in 芒市: a 诫勉谈话 for 挂名走读 and a 批评教育 for 酗酒
  滋事 in the last complete quarter, a 党纪政务处分 for 收受财物 in the current one, and a
  record corrected by a new one that supersedes it;
* the last complete quarter's review of 芒市, concluded (召回 for the first record's cadre,
  提醒谈话 for the second's, 继续驻村 for everyone else) and signed;
* the recall that follows it (cause 违纪违法受到处理, decided today): the posting ended, the
  three-year ban in the cadre's file, the replacement due from the unit (农业农村局, whose
  account ``nongye`` sees it on its list);
* the current quarter's review of 芒市, started, one conclusion recorded (in progress);
* talks by the unit, the township and the county; the unit's other cadres are listed as due
  for a talk.

Cadres are team members of 芒市 outside the demo village, without a rotation application, by
id: deterministic with the database."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef

from zhucun.accounts.models import User, UserRole
from zhucun.policy.dates import date_label
from zhucun.policy.review import OUTCOME_LABELS, quarter_bounds, quarter_label
from zhucun.registry.models import Posting, PostingStatus
from zhucun.review.models import DisciplineRecord, QuarterlyReview, Recall, ReviewEntry, Talk
from zhucun.review.selectors.quarterly import review_rows
from zhucun.review.services import discipline, quarterly, recall, talks
from zhucun.rotation.models import RotationApplication

from .accounts import DEMO_UNIT, DEMO_VILLAGE
from .timeline import Timeline

MANGSHI = "533103"
ZHEFANG = "533103102"
BODY = "芒市驻村工作领导协调小组"
TALKS_BY_UNIT = 3


def _quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _candidates() -> list[Posting]:
    applied = RotationApplication.objects.filter(posting=OuterRef("pk"))
    qs = (
        Posting.objects.filter(
            status=PostingStatus.ACTIVE,
            role="team_member",
            village__jurisdiction__code__startswith=MANGSHI,
        )
        .exclude(village__jurisdiction__code=DEMO_VILLAGE)
        .exclude(Exists(applied))
        .select_related("cadre__unit", "village__jurisdiction")
        .order_by("id")
    )
    return list(qs)


def _pick(posts: list[Posting], used: set[int], *, unit: str = "", township: str = "") -> Posting:
    for p in posts:
        if p.pk in used:
            continue
        if unit and p.cadre.unit.name != unit:
            continue
        if township and not p.village.jurisdiction.code.startswith(township):
            continue
        used.add(p.pk)
        return p
    for p in posts:  # fall back to any candidate
        if p.pk not in used:
            used.add(p.pk)
            return p
    raise LookupError("no candidate posting in 芒市")


def load(*, admin: User, timeline: Timeline) -> None:
    county = User.objects.filter(role=UserRole.COUNTY, jurisdiction__code__startswith=MANGSHI)
    mangshi = county.order_by("id").first() or admin
    zhefang = (
        User.objects.filter(role=UserRole.TOWNSHIP, jurisdiction__code__startswith=ZHEFANG)
        .order_by("id")
        .first()
        or mangshi
    )
    unit_user = (
        User.objects.filter(role=UserRole.UNIT, unit__name=DEMO_UNIT).order_by("id").first()
        or admin
    )
    today = timeline.today
    year, q = _quarter_of(today)
    prev_year, prev_q = _previous(year, q)
    prev_first, _ = quarter_bounds(prev_year, prev_q)
    this_first, _ = quarter_bounds(year, q)

    posts = _candidates()
    used: set[int] = set()
    recalled = _pick(posts, used, unit=DEMO_UNIT)
    warned = _pick(posts, used, township=ZHEFANG)
    sanctioned = _pick(posts, used)
    corrected = _pick(posts, used)

    r1 = discipline.discipline_record_create(
        actor=mangshi,
        cadre_id=recalled.cadre_id,
        occurred_on=prev_first + dt.timedelta(days=40),
        description="县驻村办暗访发现,该同志连续多日不在村,由派出单位代为签到,存在挂名走读情况(演示数据)",
        found_by="芒市驻村办暗访组",
        outcome="admonition",
        prohibition="reside",
        decided_on=prev_first + dt.timedelta(days=48),
    )
    discipline.discipline_record_create(
        actor=zhefang,
        cadre_id=warned.cadre_id,
        occurred_on=prev_first + dt.timedelta(days=61),
        description="在村民婚宴上饮酒过量,与村民发生争执(演示数据)",
        found_by="遮放镇纪委",
        outcome="criticism",
        prohibition="thrift",
        decided_on=prev_first + dt.timedelta(days=66),
    )
    discipline.discipline_record_create(
        actor=mangshi,
        cadre_id=sanctioned.cadre_id,
        occurred_on=max(this_first, today - dt.timedelta(days=30)),
        description="收受项目施工方赠送的购物卡,价值2000元(演示数据)",
        found_by="群众来信举报,芒市纪委监委核实",
        outcome="sanction",
        prohibition="integrity",
        decided_on=max(this_first, today - dt.timedelta(days=10)),
    )
    wrong = discipline.discipline_record_create(
        actor=mangshi,
        cadre_id=corrected.cadre_id,
        occurred_on=max(this_first, today - dt.timedelta(days=25)),
        description="入户走访时对群众诉求敷衍推诿(演示数据)",
        found_by="12345热线转办",
        outcome="admonition",
        prohibition="diligent",
    )
    discipline.discipline_record_supersede(
        actor=mangshi,
        record_id=wrong.pk,
        reason="经复核,处理结果应为批评教育,原录入有误",
        occurred_on=wrong.occurred_on,
        description=wrong.description,
        found_by=wrong.found_by,
        outcome="criticism",
        prohibition="diligent",
    )

    # the last complete quarter: concluded and signed
    review = quarterly.review_start(actor=mangshi, year=prev_year, quarter=prev_q)
    quarterly.review_conclude(
        actor=mangshi,
        review_id=review.pk,
        cadre_id=recalled.cadre_id,
        conclusion="recall",
        note="挂名走读,经研究予以召回撤换",
    )
    if ReviewEntry.objects.filter(review=review, cadre_id=warned.cadre_id).exists():
        quarterly.review_conclude(
            actor=mangshi,
            review_id=review.pk,
            cadre_id=warned.cadre_id,
            conclusion="talk",
            note="由乡镇党委提醒谈话,继续驻村观察",
        )
    # every other cadre with a suggestion (e.g. a 三讲三评 below the standard): 提醒谈话
    for e in review_rows(review=review, suggested_only=True).filter(conclusion=""):
        quarterly.review_conclude(
            actor=mangshi,
            review_id=review.pk,
            cadre_id=e.cadre_id,
            conclusion="talk",
            note="由乡镇党委提醒谈话,督促整改",
        )
    quarterly.review_sign(
        actor=mangshi,
        review_id=review.pk,
        meeting=f"{BODY}{prev_year}年第{prev_q}季度履职情况分析研判会",
    )
    entry = ReviewEntry.objects.get(review=review, cadre_id=recalled.cadre_id)
    # decided today: its last day is today, so the closed month and the check-ins up to
    # yesterday stay as they were (a recall inside a closed month would change its close)
    decided = today
    recall.recall_record(
        actor=mangshi,
        posting_id=recalled.pk,
        cause="discipline",
        evidence=f"{date_label(r1.occurred_on)}起挂名走读,已受诫勉谈话处理(纪律处理记录 {r1.pk} 号)",
        deciding_body=BODY,
        decided_on=decided,
        reference=f"芒驻村〔{decided.year}〕12号",
        review_entry_id=entry.pk,
    )

    # the current quarter: in progress
    current = quarterly.review_start(actor=mangshi, year=year, quarter=q)
    if ReviewEntry.objects.filter(review=current, cadre_id=sanctioned.cadre_id).exists():
        quarterly.review_conclude(
            actor=mangshi,
            review_id=current.pk,
            cadre_id=sanctioned.cadre_id,
            conclusion="talk",
            note="待纪委监委处分决定送达后再行研判",
        )

    # talks (GUA.3.TALK)
    talks.talk_create(
        actor=zhefang,
        cadre_id=warned.cadre_id,
        held_on=today - dt.timedelta(days=15),
        talker="遮放镇党委副书记",
        topics="就饮酒滋事问题进行提醒谈话,了解思想动态和家庭情况",
        follow_up="本人作出书面检查;镇党委每月了解一次在岗情况",
    )
    talks.talk_create(
        actor=mangshi,
        cadre_id=sanctioned.cadre_id,
        held_on=today - dt.timedelta(days=5),
        talker="芒市委组织部副部长",
        topics="了解收受购物卡问题的经过,讲明纪律要求",
        follow_up="配合纪委监委调查",
    )
    # the unit talks with a few of its cadres in post; the others are listed as due
    own = (
        Posting.objects.filter(status=PostingStatus.ACTIVE, cadre__unit__name=DEMO_UNIT)
        .exclude(pk__in=used)
        .order_by("id")[:TALKS_BY_UNIT]
    )
    for n, p in enumerate(own):
        talks.talk_create(
            actor=unit_user,
            cadre_id=p.cadre_id,
            held_on=today - dt.timedelta(days=20 + 7 * n),
            talker=f"{DEMO_UNIT}分管领导",
            topics="了解驻村工作进展、生活保障和家庭困难",
            follow_up="协调解决驻村工作经费一项" if n == 0 else "",
        )


def summary_lines() -> list[str]:
    """What the demo printout says about 研判召回."""
    reviews = QuarterlyReview.objects.select_related("county").order_by("year", "quarter")
    if not reviews:
        return []
    lines = [
        f"{r.county.name}{quarter_label(r.year, r.quarter)}分析研判:{r.get_state_display()},"
        f"研判对象 {r.entries.count()} 人"
        for r in reviews
    ]
    records = DisciplineRecord.objects.all()
    outcomes = "、".join(
        f"{OUTCOME_LABELS[o]} {n}"
        for o, n in records.values_list("outcome").annotate(n=Count("pk")).order_by("outcome")
    )
    lines.append(
        f"纪律处理记录 {records.count()} 条({outcomes};其中 "
        f"{records.filter(supersedes__isnull=False).count()} 条为更正记录),"
        f"谈心谈话 {Talk.objects.count()} 次"
    )
    for r in Recall.objects.select_related("cadre__unit", "posting__village__jurisdiction"):
        lines.append(
            f"召回撤换:{r.cadre.name}({r.cadre.unit.name},"
            f"{r.posting.village.jurisdiction.name}),{date_label(r.decided_on)}"
            f"{r.get_cause_display()},至{date_label(r.ban_until)}(含)不得提拔使用和晋升职级,"
            f"应于{date_label(r.replacement_due)}前选派顶替人员(MGT.4.CONSEQ)"
        )
    return lines
