"""MGT.TERM — the term of a posting (任期).

"第一书记和工作队员任期一般不少于2年" — settled reading (CLAUSES.md): a planned end earlier than
the arrival + ``term_min_years`` (the corresponding day, 民法典 第201–202条) is a **warning**
that needs a written reason; ending a posting before its term needs a rotation application
(MGT.9) or a recall (MGT.4).

Public API
----------
``regular_term_end(*, arrival, params=None, jurisdiction=())``
    arrival + ``term_min_years`` years, on the corresponding day (29 February → 28 February).
``term_findings(*, name, arrival, planned_end, params=None, jurisdiction=())``
    ``planned_end`` before the regular end ⇒ one warning naming the person, the planned end,
    the regular end and the limit; ``planned_end`` not after ``arrival`` ⇒ one error;
    ``None`` (the regular end will be used) or later ⇒ ``[]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .dates import anniversary
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

_CLAUSE = "MGT.TERM"


def regular_term_end(
    *, arrival: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> date:
    """The regular end of a term that starts on ``arrival``."""
    params = params or get_parameters()
    years = params.int_value("term_min_years", on=arrival, jurisdiction=jurisdiction)
    return anniversary(arrival, years)


def term_findings(
    *,
    name: str,
    arrival: date,
    planned_end: date | None,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """The MGT.TERM finding about a planned end (see module doc)."""
    if planned_end is None:
        return []
    params = params or get_parameters()
    years = params.int_value("term_min_years", on=arrival, jurisdiction=jurisdiction)
    regular = anniversary(arrival, years)
    data = {
        "name": name,
        "arrival": arrival.isoformat(),
        "planned_end": planned_end.isoformat(),
        "regular_end": regular.isoformat(),
        "term_min_years": years,
    }
    if planned_end <= arrival:
        return [
            Finding(
                _CLAUSE,
                "error",
                f"{name} 的计划期满日期{planned_end.isoformat()}不晚于到岗日期"
                f"{arrival.isoformat()}({_CLAUSE})",
                data,
            )
        ]
    if planned_end >= regular:
        return []
    return [
        Finding(
            _CLAUSE,
            "warning",
            f"{name} 计划于{planned_end.isoformat()}期满,早于到岗{arrival.isoformat()}起"
            f"“任期一般不少于{years}年”的{regular.isoformat()},须写明理由({_CLAUSE})",
            data,
        )
    ]
