"""Reads of rotation applications for other apps."""

from __future__ import annotations

from .models import RotationApplication, State


def rotation_granted_for(*, posting_id: int) -> RotationApplication | None:
    """The granted rotation application of a posting, if any: what lets its posting end before
    its regular end (MGT.TERM: an earlier end needs MGT.9 or MGT.4). For the tenure app's
    ``posting_close(cause="rotation", reference=...)``."""
    return (
        RotationApplication.objects.filter(posting_id=posting_id, state=State.GRANTED)
        .order_by("-reviewed_on", "-id")
        .first()
    )
