"""Reads of rotation applications for other apps."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhucun.accounts.models import User

from .models import RotationApplication, State
from .scope import applications_visible


def rotation_granted_for(*, posting_id: int) -> RotationApplication | None:
    """The granted rotation application of a posting, if any: what lets its posting end before
    its regular end (MGT.TERM: an earlier end needs MGT.9 or MGT.4). For the tenure app's
    ``posting_close(cause="rotation", reference=...)``."""
    return (
        RotationApplication.objects.filter(posting_id=posting_id, state=State.GRANTED)
        .order_by("-reviewed_on", "-id")
        .first()
    )


def application_list(
    *,
    user: User,
    state: str = "",
    cause: str = "",
    q: str = "",
    county: str = "",
    township: str = "",
) -> QuerySet[RotationApplication]:
    """The applications ``user`` sees (MGT.9.APPLY), newest change first. ``q``: the
    applicant's or the replacement's name; ``county``/``township``: the posting's village."""
    qs: Any = applications_visible(user)
    if state:
        qs = qs.filter(state=state)
    if cause:
        qs = qs.filter(cause=cause)
    if q:
        qs = qs.filter(Q(cadre__name__contains=q) | Q(replacement__name__contains=q))
    if county:
        qs = qs.filter(posting__village__township__parent__code=county)
    if township:
        qs = qs.filter(posting__village__township__code=township)
    return qs.order_by("-updated_at", "-id")
