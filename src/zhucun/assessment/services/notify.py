"""The notices the assessment services send inside their transaction: a rectification's
measures and due date to the cadre who rectifies (MGT.8.SJSP), a finalised result to the
cadre's unit, which signs for it (MGT.5.FEEDBACK)."""

from __future__ import annotations

from zhucun.accounts.models import UserRole
from zhucun.core.links import page_url
from zhucun.notices.services import notice_send, users_of_cadre, users_of_unit
from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS
from zhucun.policy.dates import date_label
from zhucun.policy.review import quarter_label

from ..models import Assessment, Rectification


def rectification_assigned(r: Rectification) -> None:
    """MGT.8.SJSP: the cadre learns the measures and the due date; a first secretary reads
    the rectification list (other team members have no page for it: the notice says all)."""
    assert r.due is not None
    title = (
        f"{quarter_label(r.event.year, r.event.quarter)}三讲三评整改:"
        f"请于{date_label(r.due)}前完成整改"
    )
    users = list(users_of_cadre(r.cadre_id))
    readers = [u for u in users if u.role == UserRole.FIRST_SECRETARY]
    others = [u for u in users if u.role != UserRole.FIRST_SECRETARY]
    common = {"kind": "sjsp_rectification", "title": title, "body": r.plan, "clause": "MGT.8.SJSP"}
    notice_send(users=readers, url=page_url("web:sjsp_rectifications"), **common)
    notice_send(users=others, **common)


def result_fed_back(a: Assessment) -> None:
    """MGT.5.FEEDBACK: the finalised result reaches the accounts of the cadre's unit."""
    if not a.cadre.unit_id:
        return
    which = f"{a.year}年度考核" if a.kind == "annual" else f"{a.year}年{KIND_LABELS[a.kind]}"
    notice_send(
        users=users_of_unit(a.cadre.unit_id),
        kind="assessment_result",
        title=f"{a.cadre.name} {which}结果:{GRADE_LABELS[a.grade]},请签收",
        url=page_url("web:assessment_results") + "?unreceived=1",
        clause="MGT.5.FEEDBACK",
    )
