"""SEL.METHOD.NEED — ranking a unit's candidates for one village, with reasons.

The source: 「县级党委和政府要强化需求导向,因村(社区)精准组队」 (SEL.METHOD.NEED), read with
「有农村工作经验或涉农方面专业技术特长的优先」 (SEL.SRC.POOL) and 「(第一书记)优先从符合条件的
机关优秀年轻干部、科技特派员和“万名人才兴万村”服务基层人才中任命」 (SEL.SRC.FS_PRIORITY).

Public API
----------
``rank_for_village(candidates, *, role, needs, on, params=None, jurisdiction=())``
    Every candidate, each once, as a ``RankedCandidate`` (rank from 1) with its screening
    findings (``screen_candidate`` on ``on``) and its reasons (``Finding``s of severity
    ``info``, each citing SEL.SRC.POOL, SEL.SRC.FS_PRIORITY, SEL.SRC.XD, SEL.METHOD.NEED or
    the clause that failed screening).  A ranking, never a refusal: nobody is dropped; one who
    fails screening is ranked after everyone who passes and is marked (``eligible`` false).

    The order (smaller first, ties keep their input order) is
    ``(failed screening, *priority_key(candidate, role=role), -number of needs met)``:
    the written priorities first — 选调生 last for the first secretary's slot (SEL.SRC.XD),
    the FS preference (SEL.SRC.FS_PRIORITY), rural experience or agricultural specialty
    (SEL.SRC.POOL) — then, among equals, the candidate whose recorded strengths meet more of
    the village's needs (SEL.METHOD.NEED; the catalogue is ``needs.NEEDS``).  With no needs
    recorded the order is that of ``rank_candidates`` among those who pass screening.

    ``needs`` are codes or labels of ``needs.NEEDS``; ``ValueError`` for an unknown need or
    role; ``ParameterUnset`` propagates from screening.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .findings import Finding
from .needs import NEED_LABELS, STRENGTHS, needs_met, parse_needs
from .parameters import Parameters
from .selection import (
    FS_ROLES,
    ROLE_NAMES,
    Candidate,
    Role,
    check_role,
    priority_key,
    screen_candidate,
)


@dataclass(frozen=True)
class RankedCandidate:
    rank: int  # 1 = first choice
    candidate: Candidate
    key: tuple[int, ...]
    needs_met: tuple[str, ...]  # need codes met, in catalogue order
    reasons: tuple[Finding, ...]  # all ``info``: why this place
    screening: tuple[Finding, ...]  # screen_candidate's findings for the role on the date

    @property
    def eligible(self) -> bool:
        """No screening error: the candidate may be nominated (warnings need a reason)."""
        return not any(f.severity == "error" for f in self.screening)

    @property
    def needs_reason(self) -> bool:
        return any(f.severity == "warning" for f in self.screening)


def strengths_of(candidate: Candidate) -> tuple[str, ...]:
    """The candidate's recorded strengths (``needs.STRENGTHS`` codes) that are true."""
    return tuple(code for code in STRENGTHS if getattr(candidate, code, False) is True)


def rank_for_village(
    candidates: Iterable[Candidate],
    *,
    role: str,
    needs: str | Iterable[str] | None,
    on: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[RankedCandidate]:
    """See the module docstring."""
    checked = check_role(role)
    codes = parse_needs(needs)
    rows = []
    for candidate in candidates:
        screening = screen_candidate(
            candidate, role=checked, on=on, params=params, jurisdiction=jurisdiction
        )
        failed = any(f.severity == "error" for f in screening)
        met = needs_met(strengths_of(candidate), codes)
        key = (int(failed), *priority_key(candidate, role=checked), -len(met))
        reasons = _reasons(candidate, checked, screening, met, codes)
        rows.append((key, candidate, tuple(met), reasons, tuple(screening)))
    rows.sort(key=lambda row: row[0])  # stable: ties keep their input order
    return [
        RankedCandidate(i, candidate, key, met, reasons, screening)
        for i, (key, candidate, met, reasons, screening) in enumerate(rows, start=1)
    ]


def _info(clause: str, message: str, candidate: Candidate, **data: object) -> Finding:
    return Finding(
        clause,
        "info",
        message,
        {"name": candidate.name, "cadre_id": candidate.cadre_id, **data},
    )


def _reasons(
    candidate: Candidate,
    role: Role,
    screening: list[Finding],
    met: dict[str, tuple[str, ...]],
    needs: tuple[str, ...],
) -> tuple[Finding, ...]:
    reasons: list[Finding] = []
    failed = [f for f in screening if f.severity == "error"]
    if failed:
        clauses = "、".join(dict.fromkeys(f.clause for f in failed))
        reasons.append(
            _info(
                failed[0].clause,
                f"未通过资格审查({clauses}),排在符合条件的人选之后;见审查意见",
                candidate,
                failed=[f.clause for f in failed],
            )
        )
    if role in FS_ROLES:
        if candidate.is_xuandiao:
            reasons.append(
                _info(
                    "SEL.SRC.XD",
                    f"选调生一般不任命为第一书记和工作队长,拟任{ROLE_NAMES[role]}时排序靠后"
                    "(SEL.SRC.XD)",
                    candidate,
                )
            )
        fs = [
            STRENGTHS[code].label
            for code in ("is_organ_cadre", "tech_commissioner", "talent_program")
            if getattr(candidate, code)
        ]
        reasons.append(
            _info(
                "SEL.SRC.FS_PRIORITY",
                f"属{'、'.join(fs)},符合“优先从机关优秀年轻干部、科技特派员和‘万名人才兴万村’"
                f"服务基层人才中任命”(SEL.SRC.FS_PRIORITY)"
                if fs
                else "不属于机关优秀年轻干部、科技特派员或“万名人才兴万村”服务基层人才,"
                "不在第一书记优先任命之列(SEL.SRC.FS_PRIORITY)",
                candidate,
                preferred=bool(fs),
            )
        )
    pool = [
        STRENGTHS[code].label
        for code in ("rural_experience", "agri_specialty")
        if getattr(candidate, code)
    ]
    reasons.append(
        _info(
            "SEL.SRC.POOL",
            f"{'、'.join(pool)},符合“有农村工作经验或涉农方面专业技术特长的优先”(SEL.SRC.POOL)"
            if pool
            else "未记录农村工作经验或涉农方面专业技术特长,不在“…的优先”之列(SEL.SRC.POOL)",
            candidate,
            preferred=bool(pool),
        )
    )
    reasons.append(_need_reason(candidate, met, needs))
    return tuple(reasons)


def _need_reason(
    candidate: Candidate, met: dict[str, tuple[str, ...]], needs: tuple[str, ...]
) -> Finding:
    data = {"needs": list(needs), "needs_met": {k: list(v) for k, v in met.items()}}
    if not needs:
        return _info(
            "SEL.METHOD.NEED",
            "本村未记录需求,按人选来源和任职优先条件排序(SEL.METHOD.NEED)",
            candidate,
            **data,
        )
    if not met:
        wanted = "、".join(NEED_LABELS[c] for c in needs)
        return _info(
            "SEL.METHOD.NEED",
            f"所记特长与本村需求({wanted})均不对应(SEL.METHOD.NEED)",
            candidate,
            **data,
        )
    parts = [
        f"{'、'.join(STRENGTHS[s].label for s in by)},契合本村“{NEED_LABELS[code]}”需求"
        for code, by in met.items()
    ]
    return _info(
        "SEL.METHOD.NEED",
        f"{';'.join(parts)}(因村精准组队,SEL.METHOD.NEED)",
        candidate,
        **data,
    )
