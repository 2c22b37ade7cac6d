"""Pure-Python policy of zhucun: clauses, findings, parameters and the working-day calendar.

No Django here: the package is importable and testable without settings or a database.
"""

from .calendar import WorkCalendar
from .clauses import CLAUSE_IDS, CLAUSES, Clause, clause_title, is_clause
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
from .units import Value

__all__ = [
    "CLAUSES",
    "CLAUSE_IDS",
    "CalendarUnknownError",
    "Clause",
    "Finding",
    "InvalidOverride",
    "Override",
    "Parameter",
    "ParameterError",
    "ParameterFileError",
    "ParameterUnset",
    "ParameterValue",
    "Parameters",
    "PolicyError",
    "Severity",
    "UnknownParameter",
    "Value",
    "WorkCalendar",
    "clause_title",
    "errors",
    "get_parameters",
    "has_errors",
    "is_clause",
    "load_parameters",
    "parse_parameters",
]
