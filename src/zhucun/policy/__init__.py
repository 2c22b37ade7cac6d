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

MGT.1 / MGT.3 rules (日考勤制度, 月排名制度):

* ``geo`` — ``Datum``, ``wgs84_to_gcj02``, ``gcj02_to_wgs84`` (exact inverse), ``to_wgs84``,
  ``distance_m`` (haversine), ``in_china``;
* ``checkin`` — ``CheckinJudgement``, ``judge_checkin`` (MGT.1.CHECKIN, MGT.1.LIVE) and
  ``checkin_day``;
* ``fraud`` — ``CheckinFact``, ``fraud_signals`` and ``coordinate_key`` (MGT.1.FRAUD);
* ``leave`` — ``LEAVE_KINDS``, ``leave_approver``, ``approver_findings``, ``counts_as_duty``,
  ``overlap_findings`` (MGT.1.LEAVE, MGT.1.DAYS);
* ``rest`` — ``check_rest``, ``quarter_of``, ``rest_limit`` (MGT.1.REST);
* ``attendance`` — ``attendance_rate``, ``RankRow``, ``rank_township``, ``ranking_published``
  (MGT.3.RANK), ``needs_interview``, ``interview_findings`` (MGT.3.TALK) and
  ``duty_days_findings`` (MGT.1.DAYS).
"""

from .attendance import (
    RankRow,
    attendance_rate,
    duty_days_findings,
    interview_findings,
    needs_interview,
    rank_township,
    ranking_published,
)
from .calendar import WorkCalendar
from .checkin import CheckinJudgement, CheckinStatus, checkin_day, judge_checkin
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
from .fraud import CheckinFact, coordinate_key, fraud_signals
from .geo import Datum, distance_m, gcj02_to_wgs84, in_china, to_wgs84, wgs84_to_gcj02
from .leave import (
    LEAVE_KINDS,
    approver_findings,
    counts_as_duty,
    leave_approver,
    overlap_findings,
)
from .loader import get_parameters, load_parameters, parse_parameters
from .needs import NEED_LABELS, NEEDS, parse_needs
from .parameters import Override, Parameter, Parameters, ParameterValue
from .ranking import RankedCandidate, rank_for_village
from .rest import check_rest, quarter_of, rest_limit
from .selection import (
    Candidate,
    PartyStatus,
    Role,
    attestation_findings,
    priority_key,
    rank_candidates,
    screen_candidate,
)
from .teams import (
    CompositionAllowance,
    TeamMember,
    check_team,
    spouse_findings,
    team_in_place_on,
)
from .term import regular_term_end, term_findings
from .units import Value

__all__ = [
    "CLAUSES",
    "CLAUSE_IDS",
    "CalendarUnknownError",
    "Candidate",
    "CheckinFact",
    "CheckinJudgement",
    "CheckinStatus",
    "Clause",
    "Datum",
    "DeadlineKind",
    "Finding",
    "InvalidOverride",
    "LEAVE_KINDS",
    "Override",
    "Parameter",
    "ParameterError",
    "ParameterFileError",
    "ParameterUnset",
    "ParameterValue",
    "Parameters",
    "PartyStatus",
    "PolicyError",
    "NEEDS",
    "NEED_LABELS",
    "RankRow",
    "RankedCandidate",
    "parse_needs",
    "rank_for_village",
    "Role",
    "Severity",
    "TeamMember",
    "CompositionAllowance",
    "team_in_place_on",
    "regular_term_end",
    "term_findings",
    "UnknownParameter",
    "Value",
    "WorkCalendar",
    "anniversary",
    "appointment_due",
    "approver_findings",
    "attendance_rate",
    "attestation_findings",
    "check_rest",
    "check_team",
    "checkin_day",
    "clause_title",
    "coordinate_key",
    "counts_as_duty",
    "deadline_findings",
    "distance_m",
    "duty_days_findings",
    "errors",
    "fraud_signals",
    "full_years",
    "gcj02_to_wgs84",
    "get_parameters",
    "has_errors",
    "in_china",
    "interview_findings",
    "is_clause",
    "judge_checkin",
    "leave_approver",
    "load_parameters",
    "needs_interview",
    "overlap_findings",
    "parse_parameters",
    "party_transfer_due",
    "priority_key",
    "quarter_of",
    "rank_candidates",
    "rank_township",
    "ranking_published",
    "rest_limit",
    "screen_candidate",
    "spouse_findings",
    "to_wgs84",
    "wgs84_to_gcj02",
]
