"""MGT.5 (年考核制度), MGT.8.SJSP (三讲三评) and GUA.3.PRIORITY (考核结果运用).

"第一书记和工作队员实行一年一考核,年底考核和驻村期满考核均由所在县(市)党委组织部门牵头……
考核过程中要深入听取村(社区)干部、党员、群众意见,准确了解现实表现。年度考核结果作为干部
年度考核等次,“优秀”等次名额不占所在地和派出单位“优秀”名额,由县级驻村工作领导协调机构反馈
派出单位,作为评先评优、提拔使用、晋升职级、评定职称的重要依据。"
"每季度开展……“三讲三评”活动,第一书记和工作队员评价结果纳入年度考核和驻村期满考核内容。"

Public API
----------
``VOTES`` / ``VOTE_LABELS``
    The four votes of 三讲三评: 好 / 较好 / 一般 / 差 (codes good, fairly_good, average, poor).
``VOTER_GROUPS`` / ``VOTER_GROUP_LABELS``
    Who votes and whose opinion an assessment hears (MGT.5.INPUT): 村(社区)干部, 党员, 群众.
``GRADES`` / ``GRADE_LABELS``
    The four grades: 优秀 / 称职 / 基本称职 / 不称职.
``Tally(good, fairly_good, average, poor)``
    Votes of one voter group for one cadre; ``Tally.total``; ``Tally.sum(tallies)``.
``satisfaction(tally)``
    MGT.8.SJSP settled reading: (好 + 较好) / all votes as an exact ``Fraction``; ``None`` when
    nobody voted.
``sjsp_findings(*, name, tally, params=None, on, jurisdiction=())``
    Satisfaction below ``sjsp_satisfaction_threshold`` ⇒ one error (a rectification plan is
    required), exactly at it ⇒ nothing (「不低于」 includes the number); the threshold unset
    (the source fixes none) ⇒ one info saying the jurisdiction must set it; no votes ⇒ [].
``excellent_quota(*, assessed, params=None, on, jurisdiction=())``
    MGT.5.GRADE: the number of 优秀 the resident cadres' own quota allows — ⌊assessed ×
    ``excellent_quota_ratio``⌋ — never counted against the unit's or the place's quota.
    ``None`` when the ratio is unset.
``quota_findings(*, name, used, quota, decision)``
    A further 优秀 beyond the quota ⇒ error unless a decision is recorded (then info).
``opinion_findings(*, name, groups)``
    MGT.5.INPUT: finalising needs at least one opinion of each of the three groups ⇒ one error
    naming the missing groups.
``duty_days_minimum(*, params=None, on, jurisdiction=())``
    MGT.1.DAYS if the jurisdiction has set it, else ``None`` (the source lost the number).
``priority_findings(*, name, year, grade)``
    GUA.3.PRIORITY: an 优秀 ⇒ one info for wherever the cadre is considered for promotion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from .errors import ParameterUnset
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

VOTE_LABELS: dict[str, str] = {
    "good": "好",
    "fairly_good": "较好",
    "average": "一般",
    "poor": "差",
}
VOTES: tuple[str, ...] = tuple(VOTE_LABELS)
SATISFIED: tuple[str, ...] = ("good", "fairly_good")  # MGT.8.SJSP settled reading

VOTER_GROUP_LABELS: dict[str, str] = {
    "village_cadres": "村(社区)干部",
    "party_members": "党员",
    "villagers": "群众",
}
VOTER_GROUPS: tuple[str, ...] = tuple(VOTER_GROUP_LABELS)

GRADE_LABELS: dict[str, str] = {
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
}
GRADES: tuple[str, ...] = tuple(GRADE_LABELS)
EXCELLENT = "excellent"
INCOMPETENT = "incompetent"

KIND_LABELS: dict[str, str] = {"annual": "年度考核", "term_end": "驻村期满考核"}
KINDS: tuple[str, ...] = tuple(KIND_LABELS)


@dataclass(frozen=True)
class Tally:
    """Votes of one voter group (or several, summed) for one cadre."""

    good: int = 0
    fairly_good: int = 0
    average: int = 0
    poor: int = 0

    def __post_init__(self) -> None:
        for vote in VOTES:
            value = getattr(self, vote)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"“{VOTE_LABELS[vote]}”票数应为非负整数,而不是{value!r}")

    @property
    def total(self) -> int:
        return self.good + self.fairly_good + self.average + self.poor

    @property
    def satisfied(self) -> int:
        return sum(getattr(self, v) for v in SATISFIED)

    @staticmethod
    def sum(tallies: Iterable[Tally]) -> Tally:
        items = list(tallies)
        return Tally(**{v: sum(getattr(t, v) for t in items) for v in VOTES})


def satisfaction(tally: Tally) -> Fraction | None:
    """(好 + 较好) / all votes, exact; ``None`` when nobody voted."""
    if tally.total == 0:
        return None
    return Fraction(tally.satisfied, tally.total)


def percent(value: Fraction) -> str:
    """A satisfaction as people read it: 89.7%."""
    return f"{float(value):.1%}"


def threshold(
    *, params: Parameters | None = None, on: date, jurisdiction: str | Sequence[str] = ()
) -> Fraction | None:
    """``sjsp_satisfaction_threshold`` in force, or ``None`` while the jurisdiction has not
    set it (the source fixes none)."""
    params = params or get_parameters()
    try:
        return params.fraction_value(
            "sjsp_satisfaction_threshold", on=on, jurisdiction=jurisdiction
        )
    except ParameterUnset:
        return None


def sjsp_findings(
    *,
    name: str,
    tally: Tally,
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """MGT.8.SJSP: below the threshold requires rectification (see module doc)."""
    value = satisfaction(tally)
    if value is None:
        return []
    limit = threshold(params=params, on=on, jurisdiction=jurisdiction)
    data = {
        "name": name,
        "satisfaction": str(value),
        "satisfied": tally.satisfied,
        "total": tally.total,
        "limit": str(limit) if limit is not None else None,
    }
    if limit is None:
        return [
            Finding(
                "MGT.8.SJSP",
                "info",
                f"{name} “三讲三评”满意度{percent(value)}({tally.satisfied}/{tally.total});"
                f"本辖区尚未设置须整改的满意度标准(原文未规定,须由本辖区设置)(MGT.8.SJSP)",
                data,
            )
        ]
    if value >= limit:
        return []
    return [
        Finding(
            "MGT.8.SJSP",
            "error",
            f"{name} “三讲三评”满意度{percent(value)}(好、较好{tally.satisfied}票/共{tally.total}票),"
            f"低于本辖区{percent(limit)}的标准,须制定整改措施并限期整改(MGT.8.SJSP)",
            data,
        )
    ]


def excellent_quota(
    *,
    assessed: int,
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
) -> int | None:
    """MGT.5.GRADE: ⌊assessed × excellent_quota_ratio⌋, or ``None`` while the ratio is unset."""
    if assessed < 0:
        raise ValueError("参加考核人数不能为负数")
    params = params or get_parameters()
    try:
        ratio = params.fraction_value("excellent_quota_ratio", on=on, jurisdiction=jurisdiction)
    except ParameterUnset:
        return None
    return int(assessed * ratio)  # ⌊ ⌋: 「…以内」, a share is never rounded up


def quota_findings(*, name: str, used: int, quota: int | None, decision: str) -> list[Finding]:
    """MGT.5.GRADE: one more 优秀 when ``used`` are already given against ``quota``."""
    data = {"name": name, "used": used, "quota": quota}
    if quota is None:
        return [
            Finding(
                "MGT.5.GRADE",
                "error",
                f"本辖区尚未设置驻村干部“优秀”等次比例,不能评定{name}为优秀;"
                f"“优秀”名额单列,不占所在地和派出单位名额,须先由本辖区设置比例(MGT.5.GRADE)",
                data,
            )
        ]
    if used < quota:
        return []
    if decision.strip():
        return [
            Finding(
                "MGT.5.GRADE",
                "info",
                f"驻村干部“优秀”名额{quota}名已用{used}名,{name}评为优秀超出名额,"
                f"已记录决定:{decision.strip()}(MGT.5.GRADE)",
                data,
            )
        ]
    return [
        Finding(
            "MGT.5.GRADE",
            "error",
            f"驻村干部“优秀”名额{quota}名已用{used}名,{name}评为优秀将超出名额;"
            f"确需超出的,须记录研究决定(MGT.5.GRADE)",
            data,
        )
    ]


def opinion_findings(*, name: str, groups: Iterable[str]) -> list[Finding]:
    """MGT.5.INPUT: an opinion of each of the three voter groups before finalising."""
    have = set(groups)
    missing = [g for g in VOTER_GROUPS if g not in have]
    if not missing:
        return []
    labels = "、".join(VOTER_GROUP_LABELS[g] for g in missing)
    return [
        Finding(
            "MGT.5.INPUT",
            "error",
            f"{name} 的考核尚未听取{labels}的意见,“考核过程中要深入听取村(社区)干部、党员、"
            f"群众意见”,每类至少一条后才能确定等次(MGT.5.INPUT)",
            {"name": name, "missing": missing},
        )
    ]


def duty_days_minimum(
    *, params: Parameters | None = None, on: date, jurisdiction: str | Sequence[str] = ()
) -> int | None:
    """MGT.1.DAYS (每年在岗时间不少于…天) if set by the jurisdiction, else ``None``."""
    params = params or get_parameters()
    try:
        return params.int_value("min_days_on_duty_per_year", on=on, jurisdiction=jurisdiction)
    except ParameterUnset:
        return None


def priority_findings(*, name: str, year: int, grade: str) -> list[Finding]:
    """GUA.3.PRIORITY: an 优秀 result is surfaced wherever the cadre is considered."""
    if grade != EXCELLENT:
        return []
    return [
        Finding(
            "GUA.3.PRIORITY",
            "info",
            f"{name} 驻村{year}年度考核为“优秀”:在提拔任用、职级晋升、公务员遴选、职称评聘"
            f"表彰奖励时,同等条件下应当优先考虑(GUA.3.PRIORITY)",
            {"name": name, "year": year, "grade": grade},
        )
    ]
