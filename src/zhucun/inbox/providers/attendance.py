"""考勤 (MGT.1, MGT.3): leave and rest to approve, check-ins and fraud signals to review,
the month to close, summaries to sign, interviews to hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import selectors
from zhucun.attendance.models import SummaryState
from zhucun.core.links import page_url
from zhucun.policy.dates import month_label, previous_month

from ..items import TodoItem
from ..registry import provider

R = UserRole


@provider(R.FIRST_SECRETARY, R.TOWNSHIP)
def leave_to_approve(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.1.LEAVE: the FS approves team members' leave, the township the FS's and the rest."""
    n = selectors.leave_approval_queue(user=user).count()
    url = page_url(
        "web:team_approvals" if user.role == R.FIRST_SECRETARY else "web:township_approvals"
    )
    yield TodoItem("leave_approve", "待审批的请假和轮休", n, url, "MGT.1.LEAVE")


@provider(R.FIRST_SECRETARY, R.TOWNSHIP)
def fraud_signals(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.1.FRAUD: suspicious check-ins are flagged to the township and the FS."""
    n = selectors.fraud_signal_list(user=user).count()
    url = page_url("web:township_exceptions") + "#signals"
    if user.role == R.FIRST_SECRETARY:
        url = page_url("web:team_today") + "#signals"
    yield TodoItem("fraud_signals", "待核实的异常签到提示", n, url, "MGT.1.FRAUD")


@provider(R.TOWNSHIP)
def checkin_exceptions(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.1.CHECKIN: check-ins outside the fence or late wait for the township's review."""
    n = selectors.checkin_list(user=user, exceptions_only=True).count()
    yield TodoItem(
        "checkin_review",
        "待审核的异常签到",
        n,
        page_url("web:township_exceptions"),
        "MGT.1.CHECKIN",
    )


@provider(R.TOWNSHIP)
def month_to_close(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.3.RANK: the last full month is closed by the township before it ranks."""
    month = previous_month(today)
    if not selectors.month_close_list(user=user, month=month).exists():
        url = page_url("web:township_month") + f"?month={month:%Y-%m}"
        yield TodoItem("month_close", f"{month_label(month)}考勤待结算", 1, url, "MGT.3.RANK")


@provider(R.TOWNSHIP, R.VILLAGE_SECRETARY)
def summaries_to_sign(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.3.SUMMARY: the village secretary signs the team's summary, the township receives it."""
    state = SummaryState.PREPARED if user.role == R.VILLAGE_SECRETARY else SummaryState.SUBMITTED
    n = selectors.summary_list(user=user, state=state).count()
    url = page_url(
        "web:team_summary" if user.role == R.VILLAGE_SECRETARY else "web:township_summaries"
    )
    yield TodoItem("summary_sign", "待签署的月度考勤汇总", n, url, "MGT.3.SUMMARY")


@provider(R.COUNTY, R.PREFECTURE)
def interviews_to_hold(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.3.TALK: cadres below the month's working days without reason are interviewed."""
    month = previous_month(today)
    counts = selectors.interview_list_managed(user=user, month=month).aggregate(
        n=Count("pk", filter=Q(interviewed=False))
    )
    url = page_url("web:interviews") + f"?month={month:%Y-%m}"
    yield TodoItem("interview_hold", "待约谈的驻村干部", counts["n"], url, "MGT.3.TALK")
