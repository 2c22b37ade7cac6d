"""``Finding``: what a rule says about a case — the clause it applies, how grave, and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from .clauses import CLAUSE_IDS

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)


@dataclass(frozen=True)
class Finding:
    """One result of a rule.

    ``error`` blocks the action; ``warning`` needs a recorded reason to proceed; ``info`` is
    shown only.  ``message`` is Chinese and names the person, the figure and the limit;
    ``data`` holds the figures behind it (JSON-friendly values are preferred).
    """

    clause: str
    severity: Severity
    message: str
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.clause not in CLAUSE_IDS:
            raise ValueError(f"未知条款编号 {self.clause!r} / unknown clause id")
        if self.severity not in SEVERITIES:
            raise ValueError(f"未知严重程度 {self.severity!r} / unknown severity")
        object.__setattr__(self, "data", dict(self.data))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "severity": self.severity,
            "message": self.message,
            "data": dict(self.data),
        }


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings of severity ``error``, in order."""
    return [f for f in findings if f.severity == "error"]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings of severity ``warning``, in order."""
    return [f for f in findings if f.severity == "warning"]


def has_errors(findings: Iterable[Finding]) -> bool:
    """True if any finding blocks the action."""
    return any(f.severity == "error" for f in findings)
