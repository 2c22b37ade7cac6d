"""The notices a rotation decision sends (MGT.9.APPLY): to the cadre who applied and, when the
organisation department decides what the unit sent it, to the unit. Called inside the step's
transaction, so that the notice commits with the decision. The link is the page's path: the
app sits below the web (an API-only deployment has no web URL names to reverse)."""

from __future__ import annotations

from zhucun.notices.services import notice_send, users_of_cadre, users_of_unit

from .models import RotationApplication


def notify_decision(
    application: RotationApplication, *, action: str, title: str, body: str, unit: bool
) -> None:
    url = f"/rotation/{application.pk}/"
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
