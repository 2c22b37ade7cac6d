"""The checks every path that posts a cadre runs — the nomination workflow's 派驻到村, the
postings API and the postings import alike (issue 10: no path may bypass them):

* screening on the arrival date (SEL.COND.NO2–NO4, SEL.SRC.* — ``screen_candidate``);
* the village's whole team with the newcomer in (SEL.SCOPE.*, SEL.COND.NO5/MUST3, SEL.SRC.XD;
  a team still short of people is shown, not blocking: teams are built one posting at a time);
* the planned end against the term (MGT.TERM: shorter is a warning needing a reason).

Errors block; each warning needs a written reason ({clause id: text})."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from zhucun.core.errors import ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy import Finding, TeamMember, screen_candidate, term_findings
from zhucun.registry.models import Cadre, Village

from ..adapters import candidate_from_cadre
from .team import team_findings

# Composition findings that only say a team is still short of people: a team is built one
# posting at a time, so they are shown at posting but do not block it (the coverage report
# keeps them visible until the team is complete).
INCOMPLETE_TEAM_CHECKS = frozenset({"min_first_secretaries", "min_team_members"})


def only_incomplete(f: Finding) -> bool:
    return f.clause == "SEL.SCOPE.COVER" or f.data.get("check") in INCOMPLETE_TEAM_CHECKS


def newcomer_of(cadre: Cadre, role: str) -> TeamMember:
    """The cadre as the member they will be in the village's team."""
    return TeamMember(
        cadre_id=cadre.pk,
        role=role,
        spouse_id=cadre.spouse_id,
        is_xuandiao=cadre.is_xuandiao,
        name=cadre.name,
    )


def posting_findings(
    *,
    cadre: Cadre,
    role: str,
    village: Village,
    arrival: dt.date,
    planned_end: dt.date | None,
    members: list[TeamMember] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """(the findings that decide, every finding to show) for posting ``cadre`` as ``role`` to
    ``village`` on ``arrival``. ``members``: the team without the newcomer, when the caller
    already knows it (an import applying many rows at once)."""
    params = parameters_current()
    code = village.jurisdiction.code
    screening = screen_candidate(
        candidate_from_cadre(cadre), role=role, on=arrival, params=params, jurisdiction=code
    )
    team = team_findings(
        village=village, on=arrival, extra=newcomer_of(cadre, role), members=members
    )
    term = term_findings(
        name=cadre.name, arrival=arrival, planned_end=planned_end, params=params, jurisdiction=code
    )
    deciding = screening + [f for f in team if not (f.is_error and only_incomplete(f))] + term
    return deciding, screening + team + term


def require_findings(findings: list[Finding], reasons: Mapping[str, str]) -> None:
    """Errors block; a warning without a written reason asks for one (``needs_reason``)."""
    errs = [f for f in findings if f.severity == "error"]
    if errs:
        raise ValidationFailed({f.clause: f.message for f in errs}, message="不符合选派条件")
    missing = {
        f.clause: f"{f.message} —— 如确需继续,请填写理由"
        for f in findings
        if f.severity == "warning" and not str(reasons.get(f.clause, "")).strip()
    }
    if missing:
        raise ValidationFailed(missing, message="存在须说明理由的提示事项", needs_reason=True)
