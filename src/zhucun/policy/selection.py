"""SEL — screening one candidate (人选条件、人选来源) and ranking candidates.

Public API
----------
``Candidate``
    What the dispatching unit declares about a nominee (frozen dataclass).
``screen_candidate(candidate, *, role, on, params=None, jurisdiction=())``
    The computed rules, as findings (``Finding``) in catalogue order:

    * SEL.COND.NO2 — ``health_fit`` false ⇒ error.
    * SEL.COND.NO3 — primary/secondary teacher or hospital medical staff ⇒ error (see
      *Occupation* below); a free text that only hints at it (「教师」「医生」 without the
      school level or the hospital) ⇒ info asking the unit to set ``occupation_code``.
    * SEL.COND.NO4 — ``family_hardship`` ⇒ error.
    * MGT.4.CONSEQ — a recalled cadre under the promotion ban (``promotion_ban_until`` on or
      after ``on``) ⇒ error (``review.promotion_ban_findings``).
    * SEL.SRC.AGE — age in full years (周岁) on ``on`` above ``max_age_years`` ⇒ error.
      "不超过45周岁" holds until the day before the 46th birthday; a 29 February birthday falls
      on 28 February in common years (see ``zhucun.policy.dates``).  With ``age_exception``
      (adjusted out of a leading post for age) and not ``retired`` ⇒ info noting the exception;
      ``age_exception`` but ``retired`` ⇒ error (the exception requires 尚未退休).
    * SEL.SRC.FS_PARTY — first secretary and team leader: full CPC member, party age counted
      from ``full_member_since`` ≥ ``fs_min_party_years`` full years on ``on``; probationary or
      no member, or no date of full membership ⇒ error.
    * SEL.SRC.FS_WORK — first secretary and team leader: the ``fs_min_work_years``-th
      anniversary of ``work_start_date`` is on or before ``on``; otherwise error.
    * SEL.SRC.XD — a 选调生 as first secretary or team leader ⇒ warning (needs a reason).
    * SEL.SRC.POOL — the dispatching unit (``unit_kind``, ``unit_level``; "" = not recorded):
      a 州、县(市) organ, SOE or institution ⇒ nothing; a province-level unit ⇒ info (the text
      funds province-level units' cadres, GUA.2.UNIT_FUND); another kind or level ⇒ warning
      (「一般从…中选派」: an exception needs a reason).  Then rural experience or agricultural
      specialty ⇒ info (a priority, never a bar).
    * SEL.SRC.FS_PRIORITY — first secretary and team leader: organ cadre, 科技特派员 or
      "万名人才兴万村" talent ⇒ info.

    The team leader is treated like the first secretary throughout: the policy names one slot,
    "第一书记(工作队长)", and bars 选调生 from both.
``attestation_findings(*, basic, no1, five, reviewer, name="")``
    SEL.COND.BASIC, SEL.COND.NO1 and SEL.METHOD.FIVE are judgements, not computations: the
    reviewer attests them.  Each missing attestation is an error; with no reviewer named,
    nothing counts as attested.
``priority_key(candidate, *, role)`` and ``rank_candidates(candidates, *, role)``
    The order of preference (SEL.SRC.POOL, SEL.SRC.FS_PRIORITY, SEL.SRC.XD); see
    :func:`priority_key`.  Ranking does not screen: screen first, rank the eligible.
    ``ranking.rank_for_village`` screens, ranks for one village's needs (SEL.METHOD.NEED) and
    gives the reasons.

Occupation (SEL.COND.NO3)
-------------------------
``occupation_code`` is authoritative when set: ``"primary_secondary_teacher"`` or
``"hospital_medical"`` (``""`` = neither / not classified).  When it is ``""``, the free text
``occupation`` is read as a fallback: a school level (小学、中学、初中、高中) together with
教师/老师/教员 is a teacher (「小学教师」「中学教师」); 护士/护师, or 医院 together with
医生/医师/大夫/医护, is hospital medical staff (「护士」「医生(医院)」).  The finding's
``data["occupation_source"]`` says whether the code or the text decided.

Every limit comes from the parameters (``max_age_years``, ``fs_min_party_years``,
``fs_min_work_years``), looked up on ``on`` for ``jurisdiction``; ``ParameterUnset`` propagates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from .dates import anniversary, full_years
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters
from .review import promotion_ban_findings

Role = Literal["first_secretary", "team_leader", "team_member"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_NAMES: Mapping[str, str] = {
    "first_secretary": "第一书记",
    "team_leader": "工作队长",
    "team_member": "工作队员",
}
# The first secretary's slot, "第一书记(工作队长)": both roles meet the FS conditions.
FS_ROLES: frozenset[str] = frozenset({"first_secretary", "team_leader"})

PartyStatus = Literal["none", "probationary", "full"]
PARTY_STATUSES: tuple[PartyStatus, ...] = get_args(PartyStatus)

TEACHER = "primary_secondary_teacher"
HOSPITAL_MEDICAL = "hospital_medical"
OCCUPATION_CODES: Mapping[str, str] = {
    "": "",
    TEACHER: "中小学教师",
    HOSPITAL_MEDICAL: "医院医护人员",
}

_SCHOOL_LEVELS = ("小学", "中学", "初中", "高中")
_TEACHER_WORDS = ("教师", "老师", "教员")
_NURSE_WORDS = ("护士", "护师")
_DOCTOR_WORDS = ("医生", "医师", "大夫", "医护")
_HOSPITAL = "医院"
_VAGUE_MEDICAL_WORDS = (*_DOCTOR_WORDS, "卫生院", "医疗")
# Teachers that are plainly not of a primary or secondary school.
_OTHER_SCHOOLS = ("大学", "高校", "学院", "党校", "幼儿园", "职业", "职校", "技校")

FIVE_CHECKPOINTS: Mapping[str, str] = {
    "political": "政治关",
    "conduct": "品行关",
    "ability": "能力关",
    "style": "作风关",
    "integrity": "廉洁关",
}


@dataclass(frozen=True)
class Candidate:
    """A nominee as the dispatching unit declares them (dates are ``datetime.date``)."""

    name: str
    birth_date: date
    party_status: PartyStatus
    full_member_since: date | None  # 转为正式党员之日; party age counts from it
    work_start_date: date  # 参加工作时间
    occupation: str  # free text, e.g. "小学教师"
    occupation_code: str  # "", "primary_secondary_teacher" or "hospital_medical"
    health_fit: bool  # 身体条件适宜驻村 (SEL.COND.NO2)
    family_hardship: bool  # 家庭存在特殊困难 (SEL.COND.NO4)
    is_xuandiao: bool  # 选调生 (SEL.SRC.XD)
    retired: bool
    age_exception: bool  # 因年龄原因从领导岗位上调整下来 (SEL.SRC.AGE)
    rural_experience: bool  # 有农村工作经验 (SEL.SRC.POOL)
    agri_specialty: bool  # 有涉农方面专业技术特长 (SEL.SRC.POOL)
    tech_commissioner: bool  # 科技特派员 (SEL.SRC.FS_PRIORITY)
    talent_program: bool  # "万名人才兴万村"服务基层人才 (SEL.SRC.FS_PRIORITY)
    is_organ_cadre: bool = False  # 机关(优秀年轻)干部 (SEL.SRC.FS_PRIORITY)
    cadre_id: int | None = None
    # the dispatching unit (SEL.SRC.POOL); "" = not recorded, nothing is said about it
    unit_kind: str = ""  # "organ" 机关, "soe" 国有企业, "institution" 事业单位, or another kind
    unit_level: str = ""  # "province", "prefecture", "county", or another level
    # MGT.4.CONSEQ: the last day (inclusive) of a promotion ban after a recall, and the recall
    # day, from the cadre's 干部管理档案 (None: no ban recorded)
    promotion_ban_until: date | None = None
    recalled_on: date | None = None

    def __post_init__(self) -> None:
        if self.party_status not in PARTY_STATUSES:
            raise ValueError(
                f"党员状态 {self.party_status!r} 无效(应为 none / probationary / full)"
            )
        if self.occupation_code not in OCCUPATION_CODES:
            raise ValueError(
                f"职业类别 {self.occupation_code!r} 无效(应为 {sorted(OCCUPATION_CODES)})"
            )


def check_role(role: str) -> Role:
    """``role`` itself if it is one of ``ROLES``; ``ValueError`` otherwise."""
    for known in ROLES:
        if role == known:
            return known
    raise ValueError(f"未知的驻村职务 {role!r}(应为 {', '.join(ROLES)})")


def barred_occupation(candidate: Candidate) -> tuple[str, str]:
    """(code, source) of a SEL.COND.NO3 occupation: source is ``"code"`` or ``"text"``.

    ``("", "")`` when the candidate is neither a primary/secondary teacher nor hospital medical
    staff as far as the code, or failing it the free text, tells.
    """
    if candidate.occupation_code:
        return candidate.occupation_code, "code"
    text = "".join(candidate.occupation.split())
    if _has_any(text, _SCHOOL_LEVELS) and _has_any(text, _TEACHER_WORDS):
        return TEACHER, "text"
    if _has_any(text, _NURSE_WORDS) or (_HOSPITAL in text and _has_any(text, _DOCTOR_WORDS)):
        return HOSPITAL_MEDICAL, "text"
    return "", ""


def _has_any(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


def _vague_occupation(candidate: Candidate) -> str:
    """What the free text hints at when it does not decide (teacher / medical), else ""."""
    if candidate.occupation_code:
        return ""
    text = "".join(candidate.occupation.split())
    if _has_any(text, _TEACHER_WORDS) and not _has_any(text, _OTHER_SCHOOLS):
        return "教师"
    if _has_any(text, _VAGUE_MEDICAL_WORDS):
        return "医务人员"
    return ""


def screen_candidate(
    candidate: Candidate,
    *,
    role: str,
    on: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """The SEL findings about ``candidate`` for ``role`` on the dispatch/appointment date ``on``.

    Errors block the nomination, warnings need a recorded reason, infos are shown only.
    ``ValueError`` for an unknown role.
    """
    role = check_role(role)
    params = params or get_parameters()
    findings: list[Finding] = []
    findings += _health(candidate)
    findings += _occupation(candidate)
    findings += _hardship(candidate)
    findings += _age(candidate, on=on, params=params, jurisdiction=jurisdiction)
    findings += promotion_ban_findings(
        name=candidate.name,
        on=on,
        ban_until=candidate.promotion_ban_until,
        recall_date=candidate.recalled_on,
    )
    if role in FS_ROLES:
        findings += _party(candidate, role=role, on=on, params=params, jurisdiction=jurisdiction)
        findings += _work(candidate, role=role, on=on, params=params, jurisdiction=jurisdiction)
        findings += _xuandiao(candidate, role=role)
    findings += _pool_unit(candidate)
    findings += _pool(candidate)
    if role in FS_ROLES:
        findings += _fs_priority(candidate, role=role)
    return findings


def _base(candidate: Candidate) -> dict[str, Any]:
    return {"name": candidate.name, "cadre_id": candidate.cadre_id}


def _health(candidate: Candidate) -> list[Finding]:
    if candidate.health_fit:
        return []
    return [
        Finding(
            "SEL.COND.NO2",
            "error",
            f"{candidate.name} 身体条件不适宜驻村工作,按“因身体原因不适宜驻村工作的不选派”"
            "不得选派(SEL.COND.NO2)",
            {**_base(candidate), "health_fit": False},
        )
    ]


def _occupation(candidate: Candidate) -> list[Finding]:
    code, source = barred_occupation(candidate)
    occupation = candidate.occupation or OCCUPATION_CODES[code]
    if code:
        return [
            Finding(
                "SEL.COND.NO3",
                "error",
                f"{candidate.name} 为{OCCUPATION_CODES[code]}(职业:{occupation}),"
                "按“中小学教师、医院医护人员不选派”不得选派(SEL.COND.NO3)",
                {
                    **_base(candidate),
                    "occupation": candidate.occupation,
                    "occupation_code": code,
                    "occupation_source": source,
                },
            )
        ]
    hint = _vague_occupation(candidate)
    if not hint:
        return []
    return [
        Finding(
            "SEL.COND.NO3",
            "info",
            f"{candidate.name} 的职业“{candidate.occupation}”涉及{hint},未注明是否为中小学教师"
            "或医院医护人员,请派出单位核实并填写职业类别(SEL.COND.NO3)",
            {**_base(candidate), "occupation": candidate.occupation, "occupation_code": ""},
        )
    ]


def _hardship(candidate: Candidate) -> list[Finding]:
    if not candidate.family_hardship:
        return []
    return [
        Finding(
            "SEL.COND.NO4",
            "error",
            f"{candidate.name} 家庭存在特殊困难,按“家庭存在特殊困难的不选派”不得选派(SEL.COND.NO4)",
            {**_base(candidate), "family_hardship": True},
        )
    ]


def _age(
    candidate: Candidate, *, on: date, params: Parameters, jurisdiction: str | Sequence[str]
) -> list[Finding]:
    limit = params.int_value("max_age_years", on=on, jurisdiction=jurisdiction)
    age = full_years(candidate.birth_date, on)
    if age <= limit:
        return []
    over_on = anniversary(candidate.birth_date, limit + 1)
    data = {
        **_base(candidate),
        "age": age,
        "limit": limit,
        "birth_date": candidate.birth_date.isoformat(),
        "on": on.isoformat(),
        "limit_exceeded_on": over_on.isoformat(),
        "age_exception": candidate.age_exception,
        "retired": candidate.retired,
    }
    head = (
        f"{candidate.name} 于{over_on.isoformat()} 年满{limit + 1}周岁,"
        f"超过“年龄一般不超过{limit}周岁”的限制"
    )
    if not candidate.age_exception:
        return [Finding("SEL.SRC.AGE", "error", f"{head}(SEL.SRC.AGE)", data)]
    if candidate.retired:
        return [
            Finding(
                "SEL.SRC.AGE",
                "error",
                f"{head};年龄例外仅适用于因年龄原因从领导岗位上调整下来、尚未退休的干部,"
                f"{candidate.name} 已退休,不适用(SEL.SRC.AGE)",
                data,
            )
        ]
    return [
        Finding(
            "SEL.SRC.AGE",
            "info",
            f"{head};已记录为因年龄原因从领导岗位上调整下来、尚未退休的干部,按例外可以选派"
            "(须日常表现好、身体状况佳)(SEL.SRC.AGE)",
            data,
        )
    ]


def _party(
    candidate: Candidate,
    *,
    role: Role,
    on: date,
    params: Parameters,
    jurisdiction: str | Sequence[str],
) -> list[Finding]:
    minimum = params.int_value("fs_min_party_years", on=on, jurisdiction=jurisdiction)
    rule = f"{ROLE_NAMES[role]}必须是中共正式党员,具有{minimum}年以上党龄"
    data: dict[str, Any] = {
        **_base(candidate),
        "role": role,
        "party_status": candidate.party_status,
        "limit": minimum,
        "on": on.isoformat(),
    }
    since = candidate.full_member_since
    if candidate.party_status == "none":
        problem = "不是中共党员"
    elif candidate.party_status == "probationary":
        problem = "是中共预备党员,尚未转为正式党员"
    elif since is None:
        problem = "未记录转为正式党员的日期,无法核算党龄"
    else:
        years = full_years(since, on)
        due = anniversary(since, minimum)
        data |= {
            "full_member_since": since.isoformat(),
            "party_years": years,
            "limit_reached_on": due.isoformat(),
        }
        if years >= minimum:
            return []
        if since > on:
            problem = f"于{since.isoformat()}转为正式党员,在{on.isoformat()}尚未转正"
        else:
            problem = (
                f"于{since.isoformat()}转为正式党员,至{on.isoformat()}党龄{years}年"
                f"(满{minimum}年之日为{due.isoformat()})"
            )
    return [
        Finding(
            "SEL.SRC.FS_PARTY",
            "error",
            f"{candidate.name} {problem},不符合“{rule}”的要求(SEL.SRC.FS_PARTY)",
            data,
        )
    ]


def _work(
    candidate: Candidate,
    *,
    role: Role,
    on: date,
    params: Parameters,
    jurisdiction: str | Sequence[str],
) -> list[Finding]:
    minimum = params.int_value("fs_min_work_years", on=on, jurisdiction=jurisdiction)
    start = candidate.work_start_date
    years = full_years(start, on)
    if years >= minimum:
        return []
    due = anniversary(start, minimum)
    return [
        Finding(
            "SEL.SRC.FS_WORK",
            "error",
            f"{candidate.name} 于{start.isoformat()}参加工作,至{on.isoformat()}工作经历"
            f"不满{minimum}年(满{minimum}年之日为{due.isoformat()}),不符合"
            f"“{ROLE_NAMES[role]}必须具有{minimum}年以上工作经历”的要求(SEL.SRC.FS_WORK)",
            {
                **_base(candidate),
                "role": role,
                "work_start_date": start.isoformat(),
                "work_years": years,
                "limit": minimum,
                "limit_reached_on": due.isoformat(),
                "on": on.isoformat(),
            },
        )
    ]


def xuandiao_finding(name: str, *, role: str, cadre_id: int | None = None) -> Finding:
    """SEL.SRC.XD: a 选调生 in the first secretary's or team leader's post (a warning)."""
    return Finding(
        "SEL.SRC.XD",
        "warning",
        f"{name} 是选调生,选调生在村工作期间纳入驻村工作队员管理,一般不任命为第一书记和"
        f"工作队长;任命为{ROLE_NAMES[role]}须记录理由(SEL.SRC.XD)",
        {"name": name, "cadre_id": cadre_id, "role": role, "is_xuandiao": True},
    )


def _xuandiao(candidate: Candidate, *, role: Role) -> list[Finding]:
    if not candidate.is_xuandiao:
        return []
    return [xuandiao_finding(candidate.name, role=role, cadre_id=candidate.cadre_id)]


# SEL.SRC.POOL: 「驻村工作队员一般从州、县(市)机关优秀年轻干部,国有企业、事业单位优秀人员中
# 选派」.  The named kinds; the named levels of the prefecture (州、县(市)); a province-level
# unit, which the same text funds (GUA.2.UNIT_FUND: 「各级派出单位按照省级2万元、州级1万元、县级
# 0.5万元标准」) and which dispatches under the provincial notice (云办发〔2021〕17号).
UNIT_KINDS: Mapping[str, str] = {"organ": "机关", "soe": "国有企业", "institution": "事业单位"}
POOL_LEVELS: Mapping[str, str] = {"prefecture": "州级", "county": "县级"}
PROVINCE_LEVEL = "province"


def _pool_unit(candidate: Candidate) -> list[Finding]:
    """SEL.SRC.POOL on the dispatching unit (see ``unit_kind``/``unit_level``).

    * kind and level not recorded (``""``) ⇒ nothing (not known, nothing to say);
    * a 州、县(市) organ, SOE or institution ⇒ nothing (the named pool);
    * a province-level unit of a named kind ⇒ info: the Dehong text lists the prefecture's
      own pool, and funds province-level units' cadres (GUA.2.UNIT_FUND), so they dispatch too;
    * any other kind or level ⇒ warning: 「一般从…中选派」 admits exceptions, with a reason.
    """
    kind, level = candidate.unit_kind, candidate.unit_level
    if not kind and not level:
        return []
    data = {**_base(candidate), "unit_kind": kind, "unit_level": level}
    kind_ok = not kind or kind in UNIT_KINDS
    level_ok = not level or level in POOL_LEVELS or level == PROVINCE_LEVEL
    if kind_ok and level_ok:
        if level != PROVINCE_LEVEL:
            return []
        return [
            Finding(
                "SEL.SRC.POOL",
                "info",
                f"{candidate.name} 的派出单位为省级{UNIT_KINDS.get(kind, '单位')};本意见所列人选来源"
                "为州、县(市)机关和国有企业、事业单位,省级单位按省级部署选派"
                "(工作经费见GUA.2.UNIT_FUND),可以选派(SEL.SRC.POOL)",
                data,
            )
        ]
    what = "、".join(
        part
        for part, ok in ((f"单位性质“{kind}”", kind_ok), (f"单位层级“{level}”", level_ok))
        if not ok
    )
    return [
        Finding(
            "SEL.SRC.POOL",
            "warning",
            f"{candidate.name} 的派出单位{what}不在“一般从州、县(市)机关优秀年轻干部,国有企业、"
            "事业单位优秀人员中选派”所列范围内;确需选派须记录理由(SEL.SRC.POOL)",
            data,
        )
    ]


def _pool(candidate: Candidate) -> list[Finding]:
    merits = [
        label
        for flag, label in (
            (candidate.rural_experience, "有农村工作经验"),
            (candidate.agri_specialty, "有涉农方面专业技术特长"),
        )
        if flag
    ]
    if not merits:
        return []
    return [
        Finding(
            "SEL.SRC.POOL",
            "info",
            f"{candidate.name} {'、'.join(merits)},按“有农村工作经验或涉农方面专业技术特长的"
            "优先”优先选派(SEL.SRC.POOL)",
            {
                **_base(candidate),
                "rural_experience": candidate.rural_experience,
                "agri_specialty": candidate.agri_specialty,
            },
        )
    ]


def _fs_priority(candidate: Candidate, *, role: Role) -> list[Finding]:
    merits = [
        label
        for flag, label in (
            (candidate.is_organ_cadre, "机关优秀年轻干部"),
            (candidate.tech_commissioner, "科技特派员"),
            (candidate.talent_program, "“万名人才兴万村”服务基层人才"),
        )
        if flag
    ]
    if not merits:
        return []
    return [
        Finding(
            "SEL.SRC.FS_PRIORITY",
            "info",
            f"{candidate.name} 属{'、'.join(merits)},按规定优先任命为{ROLE_NAMES[role]}"
            "(SEL.SRC.FS_PRIORITY)",
            {
                **_base(candidate),
                "role": role,
                "is_organ_cadre": candidate.is_organ_cadre,
                "tech_commissioner": candidate.tech_commissioner,
                "talent_program": candidate.talent_program,
            },
        )
    ]


def attestation_findings(
    *,
    basic: bool,
    no1: bool,
    five: Mapping[str, bool] | None,
    reviewer: str,
    name: str = "",
) -> list[Finding]:
    """Errors for each judgement the reviewer has not attested.

    ``basic`` — SEL.COND.BASIC (政治素质好、工作能力强、事业心强、具备正常履职的身体条件);
    ``no1`` — SEL.COND.NO1 (not 素质不高、能力不强); ``five`` — SEL.METHOD.FIVE, the five
    checkpoints keyed ``political`` 政治关, ``conduct`` 品行关, ``ability`` 能力关, ``style``
    作风关, ``integrity`` 廉洁关 (a missing key or ``None`` is not attested; one error lists every
    missing checkpoint).  A blank ``reviewer`` attests nothing.  ``name`` names the candidate in
    the messages.  ``ValueError`` for an unknown checkpoint key.
    """
    five = dict(five or {})
    unknown = sorted(set(five) - set(FIVE_CHECKPOINTS))
    if unknown:
        raise ValueError(f"未知的审核关口 {unknown}(应为 {', '.join(FIVE_CHECKPOINTS)})")
    who = reviewer.strip()
    subject = f"{name} 的" if name else ""
    by = f"审核人:{who}" if who else "未填写审核人,视为未确认"
    base = {"name": name, "reviewer": who}
    findings: list[Finding] = []
    if not (basic and who):
        findings.append(
            Finding(
                "SEL.COND.BASIC",
                "error",
                f"{subject}人选基本条件(政治素质好、工作能力强、事业心强、具备正常履职的"
                f"身体条件)未经审核确认({by})(SEL.COND.BASIC)",
                base,
            )
        )
    if not (no1 and who):
        findings.append(
            Finding(
                "SEL.COND.NO1",
                "error",
                f"{subject}“素质不高、能力不强的不选派”未经审核确认({by})(SEL.COND.NO1)",
                base,
            )
        )
    missing = [key for key in FIVE_CHECKPOINTS if not (five.get(key) and who)]
    if missing:
        labels = "、".join(FIVE_CHECKPOINTS[key] for key in missing)
        findings.append(
            Finding(
                "SEL.METHOD.FIVE",
                "error",
                f"{subject}{labels}未经审核确认({by}),须“严把人选政治关、品行关、能力关、"
                "作风关、廉洁关”(SEL.METHOD.FIVE)",
                {**base, "missing": missing},
            )
        )
    return findings


def priority_key(candidate: Candidate, *, role: str) -> tuple[int, int, int]:
    """A sort key, smaller first: the order of preference among eligible candidates.

    * team member: ``(0, 0, p)`` — ``p`` is 0 with rural experience or agricultural
      specialty (SEL.SRC.POOL, either suffices), else 1.
    * first secretary / team leader: ``(x, f, p)`` — ``x`` is 1 for a 选调生 (SEL.SRC.XD:
      一般不任命), else 0; ``f`` is 0 for an organ cadre, 科技特派员 or "万名人才兴万村" talent
      (SEL.SRC.FS_PRIORITY, any one suffices), else 1; then ``p`` as above.  The specific FS
      preference comes before the general one of SEL.SRC.POOL.

    Ties keep their input order in :func:`rank_candidates`.  ``ValueError`` for an unknown role.
    """
    role = check_role(role)
    pool = 0 if candidate.rural_experience or candidate.agri_specialty else 1
    if role not in FS_ROLES:
        return (0, 0, pool)
    preferred = candidate.is_organ_cadre or candidate.tech_commissioner
    preferred = preferred or candidate.talent_program
    return (int(candidate.is_xuandiao), 0 if preferred else 1, pool)


def rank_candidates(candidates: Iterable[Candidate], *, role: str) -> list[Candidate]:
    """``candidates`` sorted by :func:`priority_key` (stable: ties keep their order)."""
    role = check_role(role)
    return sorted(candidates, key=lambda c: priority_key(c, role=role))
