"""MGT.4 (季召回制度), MGT.10 (八必须、八严禁) and GUA.3.TALK (谈心谈话).

"县级驻村工作领导协调机构每季度对驻村工作队员履职情况进行一次分析研判,对存在下列情形之一的
给予召回撤换:违纪违法受到处理的;无正当理由长期不在岗的;能力素质不高,作风不实,民主评议
满意度较低的;不能胜任本职工作的;因其他不良原因,相关主管部门认为不适宜继续留任的。……凡被
召回撤换的第一书记和工作队员,计入个人干部管理档案,三年内不得提拔使用和晋升职级,派出单位
要另行选派符合条件的人员顶替。"

Public API
----------
``PROHIBITIONS`` / ``PROHIBITION_LABELS``
    The eight pairs of MGT.10 (code, 必须…, 严禁…) and ``other`` (其他违纪违法行为), as data.
``OUTCOMES`` / ``OUTCOME_LABELS``
    What a discipline record ended in (批评教育, 诫勉谈话, 党纪政务处分, …).
``RECALL_CAUSES`` / ``RECALL_CAUSE_LABELS``
    The five causes of MGT.4.CAUSE, in the order of the text.
``CONCLUSIONS`` / ``CONCLUSION_LABELS``
    The county body's conclusion per cadre in a quarterly review (继续驻村 / 提醒谈话 / 召回).
``quarter_bounds(year, quarter)`` / ``quarter_label(year, quarter)`` / ``quarter_months``
    The first and last day of a quarter, "2026年第3季度", the first days of its months.
``QuarterFacts``
    What the system holds about one cadre for one quarter (months below working days without
    a valid reason, discipline records, democratic-evaluation satisfaction once known).
``recall_suggestions(facts, *, on, params=None, jurisdiction=())``
    MGT.4.CAUSE suggestions (severity ``warning``: the body decides), each with its cause
    code and evidence in ``data``: a discipline record in the quarter ⇒ 违纪违法受到处理;
    ``recall_absent_months_min`` or more months below working days without a valid reason ⇒
    无正当理由长期不在岗; satisfaction below ``sjsp_satisfaction_threshold`` (when the
    jurisdiction has set it) ⇒ 民主评议满意度较低; an assessment finalised 不称职 in the
    quarter ⇒ 不能胜任本职工作.  其他 is the body's judgement only.
``promotion_ban_until(*, recall_date, params=None, jurisdiction=())``
    MGT.4.CONSEQ: the last day of the ban, the corresponding day ``recall_promotion_ban_years``
    after the recall (民法典 第201–202条: the recall day is not counted; the period ends on
    the corresponding day, 29 February → 28 February), inclusive.
``promotion_ban_findings(*, name, on, ban_until, recall_date)``
    ``on`` ≤ ``ban_until`` ⇒ one error citing MGT.4.CONSEQ; otherwise ``[]``.
``replacement_due(*, recall_date, params=None, jurisdiction=())``
    MGT.4.CONSEQ: the day by which the unit should have posted a replacement
    (``recall_replacement_days`` calendar days after the recall).
``talk_due_since(*, today, params=None, jurisdiction=())``
    GUA.3.TALK: talks held on or after this day count as recent (``talk_max_interval_months``
    back from ``today``, corresponding day).
``talk_findings(*, name, last_talk, today, params=None, jurisdiction=())``
    No talk since ``talk_due_since`` ⇒ one warning naming the cadre, the last talk and the
    interval; otherwise ``[]``.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from .assessment import threshold as sjsp_threshold
from .dates import anniversary, date_label, month_label
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

_MONTHS_PER_QUARTER = 3
_QUARTERS = 4

# MGT.10 — 八必须、八严禁, each pair by its own code
PROHIBITIONS: tuple[tuple[str, str, str], ...] = (
    ("align", "必须自觉看齐", "严禁妄加议论"),
    ("reside", "必须驻村入户", "严禁挂名走读"),
    ("diligent", "必须踏实干事", "严禁欺骗群众"),
    ("rules", "必须按章办事", "严禁优亲厚友"),
    ("virtue", "必须崇德向善", "严禁参与赌博"),
    ("thrift", "必须尚俭戒奢", "严禁酗酒滋事"),
    ("integrity", "必须廉洁自律", "严禁收受财物"),
    ("decency", "必须洁身自爱", "严禁伤风败俗"),
)
PROHIBITION_OTHER = "other"
PROHIBITION_LABELS: dict[str, str] = {
    **{code: f"{must}、{forbid}" for code, must, forbid in PROHIBITIONS},
    PROHIBITION_OTHER: "其他违纪违法行为",
}

OUTCOME_LABELS: dict[str, str] = {
    "criticism": "批评教育",
    "admonition": "诫勉谈话",
    "sanction": "党纪政务处分",
    "org_handling": "组织处理",
    "legal": "依法追究责任",
    "other": "其他处理",
}
OUTCOMES: tuple[str, ...] = tuple(OUTCOME_LABELS)

# MGT.4.CAUSE — in the order of the text
RECALL_CAUSE_LABELS: dict[str, str] = {
    "discipline": "违纪违法受到处理",
    "absent": "无正当理由长期不在岗",
    "performance": "能力素质不高、作风不实、民主评议满意度较低",
    "incompetent": "不能胜任本职工作",
    "other": "因其他不良原因,相关主管部门认为不适宜继续留任",
}
RECALL_CAUSES: tuple[str, ...] = tuple(RECALL_CAUSE_LABELS)

CONCLUSION_LABELS: dict[str, str] = {
    "continue": "继续驻村",
    "talk": "提醒谈话",
    "recall": "召回",
}
CONCLUSIONS: tuple[str, ...] = tuple(CONCLUSION_LABELS)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of ``quarter`` (1–4) of ``year``; ``ValueError`` otherwise."""
    if not 1 <= quarter <= _QUARTERS:
        raise ValueError(f"季度应为1至4,而不是{quarter}")
    first = date(year, (quarter - 1) * _MONTHS_PER_QUARTER + 1, 1)
    if quarter == _QUARTERS:
        return first, date(year, 12, 31)
    nxt = date(year, quarter * _MONTHS_PER_QUARTER + 1, 1)
    return first, nxt - timedelta(days=1)


def quarter_months(year: int, quarter: int) -> tuple[date, ...]:
    first, _ = quarter_bounds(year, quarter)
    return tuple(first.replace(month=first.month + i) for i in range(_MONTHS_PER_QUARTER))


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度"


@dataclass(frozen=True)
class DisciplineFact:
    """A discipline record (MGT.10) that stands (not superseded), as the review sees it."""

    record_id: int
    occurred_on: date
    outcome: str
    prohibition: str


@dataclass(frozen=True)
class QuarterFacts:
    """What the system holds about one cadre for one quarter."""

    name: str
    absent_months: tuple[date, ...] = ()  # first days of months below working days, no reason
    discipline: tuple[DisciplineFact, ...] = ()
    satisfaction: Fraction | None = None  # MGT.8.SJSP, None until an evaluation exists
    incompetent: tuple[str, ...] = ()  # MGT.5.GRADE: "2025年度" … finalised 不称职 in the quarter
    extra: dict[str, Any] = field(default_factory=dict, hash=False)


def recall_suggestions(
    facts: QuarterFacts,
    *,
    on: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """MGT.4.CAUSE: the causes the facts point to, with their evidence (see module doc)."""
    params = params or get_parameters()
    found: list[Finding] = []
    if facts.discipline:
        evidence = [
            f"{date_label(d.occurred_on)}{PROHIBITION_LABELS.get(d.prohibition, d.prohibition)}"
            f"({OUTCOME_LABELS.get(d.outcome, d.outcome)})"
            for d in facts.discipline
        ]
        found.append(
            _suggest(
                "discipline",
                f"{facts.name} 本季度有{len(facts.discipline)}条违纪违法处理记录:"
                + ";".join(evidence),
                {
                    "records": [d.record_id for d in facts.discipline],
                    "count": len(facts.discipline),
                },
            )
        )
    minimum = params.int_value("recall_absent_months_min", on=on, jurisdiction=jurisdiction)
    if len(facts.absent_months) >= minimum:
        months = "、".join(month_label(m) for m in facts.absent_months)
        found.append(
            _suggest(
                "absent",
                f"{facts.name} 本季度有{len(facts.absent_months)}个月({months})出勤达不到"
                f"正常工作日且无正常理由,达到“长期不在岗”的{minimum}个月",
                {
                    "months": [m.isoformat() for m in facts.absent_months],
                    "count": len(facts.absent_months),
                    "limit": minimum,
                },
            )
        )
    limit = sjsp_threshold(params=params, on=on, jurisdiction=jurisdiction)
    if facts.satisfaction is not None and limit is not None:
        threshold = limit
        if facts.satisfaction < threshold:
            found.append(
                _suggest(
                    "performance",
                    f"{facts.name} 民主评议满意度{_percent(facts.satisfaction)},"
                    f"低于{_percent(threshold)}",
                    {"satisfaction": str(facts.satisfaction), "limit": str(threshold)},
                )
            )
    if facts.incompetent:
        found.append(
            _suggest(
                "incompetent",
                f"{facts.name} {'、'.join(facts.incompetent)}考核等次为“不称职”",
                {"assessments": list(facts.incompetent)},
            )
        )
    return found


def _suggest(cause: str, text: str, data: dict[str, Any]) -> Finding:
    return Finding(
        "MGT.4.CAUSE",
        "warning",
        f"{text};符合召回情形“{RECALL_CAUSE_LABELS[cause]}”,请县级驻村工作领导协调机构研判"
        f"(MGT.4.CAUSE)",
        {"cause": cause, "cause_label": RECALL_CAUSE_LABELS[cause], **data},
    )


def _percent(value: Fraction) -> str:
    return f"{float(value):.1%}"


def promotion_ban_until(
    *, recall_date: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> date:
    """MGT.4.CONSEQ: the last day (inclusive) of the promotion ban after a recall."""
    params = params or get_parameters()
    years = params.int_value(
        "recall_promotion_ban_years", on=recall_date, jurisdiction=jurisdiction
    )
    return anniversary(recall_date, years)


def promotion_ban_findings(
    *, name: str, on: date, ban_until: date | None, recall_date: date | None = None
) -> list[Finding]:
    """MGT.4.CONSEQ: a recalled cadre is not promoted or used until the ban ends."""
    if ban_until is None or on > ban_until:
        return []
    since = f"于{date_label(recall_date)}被召回撤换," if recall_date else "被召回撤换,"
    return [
        Finding(
            "MGT.4.CONSEQ",
            "error",
            f"{name} {since}已计入个人干部管理档案,至{date_label(ban_until)}(含)不得提拔使用"
            f"和晋升职级,{date_label(on)}不能选派(MGT.4.CONSEQ)",
            {
                "name": name,
                "on": on.isoformat(),
                "ban_until": ban_until.isoformat(),
                "recall_date": recall_date.isoformat() if recall_date else None,
            },
        )
    ]


def replacement_due(
    *, recall_date: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> date:
    """MGT.4.CONSEQ: the reminder deadline for the unit's replacement."""
    params = params or get_parameters()
    days = params.int_value("recall_replacement_days", on=recall_date, jurisdiction=jurisdiction)
    return recall_date + timedelta(days=days)


def _months_back(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    # the corresponding day, or the month's last day (31 May − 3 months → 28/29 February)
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def talk_due_since(
    *, today: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> date:
    """GUA.3.TALK: a talk on or after this day is recent enough."""
    params = params or get_parameters()
    months = params.int_value("talk_max_interval_months", on=today, jurisdiction=jurisdiction)
    return _months_back(today, months)


def talk_findings(
    *,
    name: str,
    last_talk: date | None,
    today: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """GUA.3.TALK: no talk within ``talk_max_interval_months`` ⇒ one warning."""
    params = params or get_parameters()
    months = params.int_value("talk_max_interval_months", on=today, jurisdiction=jurisdiction)
    since = talk_due_since(today=today, params=params, jurisdiction=jurisdiction)
    if last_talk is not None and last_talk >= since:
        return []
    if last_talk is None:
        text = f"{name} 尚无谈心谈话记录,自{date_label(since)}以来{months}个月内未谈话"
    else:
        text = f"{name} 最近一次谈心谈话在{date_label(last_talk)},已超过{months}个月未谈话"
    return [
        Finding(
            "GUA.3.TALK",
            "warning",
            f"{text};“要经常与第一书记和工作队员谈心谈话”,至少每{months}个月一次(GUA.3.TALK)",
            {
                "name": name,
                "last_talk": last_talk.isoformat() if last_talk else None,
                "since": since.isoformat(),
                "limit_months": months,
            },
        )
    ]
