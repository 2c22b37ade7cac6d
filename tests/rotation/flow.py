"""Drive a rotation application of the world's team member (线美玲, 芒市人民医院, 弄坎村)
through its steps with the real services."""

from __future__ import annotations

import datetime as dt

from zhucun.rotation import services as rs
from zhucun.rotation.models import RotationApplication

from .conftest import HANDOVER, PDF, PNG


def applied(w) -> RotationApplication:
    return rs.rotation_apply(
        actor=w.users["team_member"],
        posting_id=w.postings["tm_a"].pk,
        cause="health",
        statement="腰椎间盘突出,需长期治疗",
    )


def upload(w, app, kind, role="unit", name=None, data=PDF):
    ext = ".png" if data is PNG else ".pdf"
    return rs.attachment_upload(
        actor=w.users[role],
        application_id=app.pk,
        kind=kind,
        name=name or f"{kind}{ext}",
        data=data,
    )


def sealed(w) -> RotationApplication:
    app = applied(w)
    upload(w, app, "evidence", role="team_member")
    return rs.rotation_seal(
        actor=w.users["township"], application_id=app.pk, opinion="同意", sealed_by="刀乡长"
    )


def decided(w, **over) -> RotationApplication:
    app = sealed(w)
    kw = dict(
        actor=w.users["unit"],
        application_id=app.pk,
        meeting_name="院党委会",
        meeting_date=dt.date(2025, 5, 10),
        minutes_number="院纪〔2025〕7号",
        replacement_id=w.cadres["spare"].pk,
        handover_date=HANDOVER,
        replacement_planned_end=dt.date(2027, 6, 1),
    )
    kw.update(over)
    return rs.rotation_decide(**kw)


def with_documents(w, app) -> RotationApplication:
    upload(w, app, "medical_report")
    upload(w, app, "commitment_letter", data=PNG)
    return app


def form_filled(w) -> RotationApplication:
    app = with_documents(w, decided(w))
    return rs.rotation_submit(
        actor=w.users["unit"], application_id=app.pk, unit_opinion="同意调整", form_handler="王干事"
    )
