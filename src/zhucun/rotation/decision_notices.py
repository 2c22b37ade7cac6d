"""The notices a rotation decision sends (MGT.9.APPLY): to the cadre who applied and, when the
organisation department decides what the unit sent it, to the unit. Called inside the step's
transaction, so that the notice commits with the decision."""

from __future__ import annotations

from django.urls import reverse

from zhucun.notices.services import notice_send, users_of_cadre, users_of_unit

from .models import RotationApplication


def notify_decision(
    application: RotationApplication, *, action: str, title: str, body: str, unit: bool
) -> None:
    url = reverse("web:rotation_detail", args=[application.pk])
    kind, clause = f"rotation_{action}", "MGT.9.APPLY"
    notice_send(
        users=users_of_cadre(application.cadre_id),
        kind=kind,
        title=f"您的{title}",
        body=body,
        url=url,
        clause=clause,
    )
    if unit:
        notice_send(
            users=users_of_unit(application.cadre.unit_id),
            kind=kind,
            title=f"{application.cadre.name}的{title}",
            body=body,
            url=url,
            clause=clause,
        )
