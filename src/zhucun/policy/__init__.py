"""Pure-Python policy of zhucun: clauses, findings, parameters and the working-day calendar.

No Django here: the package is importable and testable without settings or a database.

SEL rules (选派要求), each returning findings (``Finding``) that cite their clause:

* ``selection`` — ``Candidate``, ``screen_candidate`` (SEL.COND.NO2–NO4, SEL.SRC.*),
  ``attestation_findings`` (SEL.COND.BASIC, SEL.COND.NO1, SEL.METHOD.FIVE), ``priority_key``
  and ``rank_candidates`` (SEL.SRC.POOL, SEL.SRC.FS_PRIORITY);
* ``teams`` — ``TeamMember``, ``check_team`` (SEL.SCOPE.*, SEL.COND.NO5, SEL.COND.MUST3,
  SEL.SRC.XD) and ``spouse_findings`` (SEL.COND.NO5 across villages);
* ``deadlines`` — ``appointment_due`` (SEL.METHOD.APPOINT10), ``party_transfer_due``
  (SEL.METHOD.TRANSFER15) and ``deadline_findings``; ``CalendarUnknownError`` propagates;
* ``dates`` — ``full_years`` and ``anniversary`` (周岁, 党龄, 工作年限; 29 February → 28 February).
"""

from .calendar import WorkCalendar
from .clauses import CLAUSE_IDS, CLAUSES, Clause, clause_title, is_clause
from .dates import anniversary, full_years
from .deadlines import DeadlineKind, appointment_due, deadline_findings, party_transfer_due
from .errors import (
    CalendarUnknownError,
    InvalidOverride,
    ParameterError,
    ParameterFileError,
    ParameterUnset,
    PolicyError,
    UnknownParameter,
)
from .findings import Finding, Severity, errors, has_errors
from .loader import get_parameters, load_parameters, parse_parameters
from .parameters import Override, Parameter, Parameters, ParameterValue
from .selection import (
    Candidate,
    PartyStatus,
    Role,
    attestation_findings,
    priority_key,
    rank_candidates,
    screen_candidate,
)
from .teams import TeamMember, check_team, spouse_findings
from .units import Value

__all__ = [
    "CLAUSES",
    "CLAUSE_IDS",
    "CalendarUnknownError",
    "Candidate",
    "Clause",
    "DeadlineKind",
    "Finding",
    "InvalidOverride",
    "Override",
    "Parameter",
    "ParameterError",
    "ParameterFileError",
    "ParameterUnset",
    "ParameterValue",
    "Parameters",
    "PartyStatus",
    "PolicyError",
    "Role",
    "Severity",
    "TeamMember",
    "UnknownParameter",
    "Value",
    "WorkCalendar",
    "anniversary",
    "appointment_due",
    "attestation_findings",
    "check_team",
    "clause_title",
    "deadline_findings",
    "errors",
    "full_years",
    "get_parameters",
    "has_errors",
    "is_clause",
    "load_parameters",
    "parse_parameters",
    "party_transfer_due",
    "priority_key",
    "rank_candidates",
    "screen_candidate",
    "spouse_findings",
]
