"""Attendance (MGT.1, MGT.3): check-ins, reviews and fraud signals; the work diary; leave,
rotation rest and special periods; the month close, its rows, summaries and interviews.

Facts are append-only: a check-in is never changed except for its derived ``counts`` flag,
which follows the latest township review; signals are resolved, never deleted."""

from .checkins import (
    CheckIn,
    CheckInKey,
    CheckInReview,
    CheckInStatus,
    FraudSignal,
    ReviewDecision,
)
from .diary import DUTY_CODES, DiaryEntry, DiaryPhoto
from .leave import ApproverLevel, LeaveKind, LeaveRequest, LeaveState, SpecialPeriod
from .month import (
    Interview,
    MonthClose,
    MonthlyAttendance,
    MonthlySummary,
    SummaryState,
)

__all__ = [
    "DUTY_CODES",
    "ApproverLevel",
    "CheckIn",
    "CheckInKey",
    "CheckInReview",
    "CheckInStatus",
    "DiaryEntry",
    "DiaryPhoto",
    "FraudSignal",
    "Interview",
    "LeaveKind",
    "LeaveRequest",
    "LeaveState",
    "MonthClose",
    "MonthlyAttendance",
    "MonthlySummary",
    "ReviewDecision",
    "SpecialPeriod",
    "SummaryState",
]
