"""调整轮换 in the demo (MGT.9.APPLY, MGT.9.DOCS): one application at every step, driven through
the rotation services by the accounts whose step it is (the administrator for the cadre's
own steps, and where the demo has no account for that scope). The attachments are three small sample PDFs, marked as demo files.

* 个人已申请 — the demo village's team member (account ``duiyuan``), family hardship;
* 乡镇党委已签章, 派出单位已集体研究, 已填审批表(待组织部门审查), 组织部门审查同意 (the
  replacement posted today), 未通过 (the unit refused), 已撤回 — other team members.

A replacement is an unposted cadre of the same unit who passes screening and the team check
on the handover date; a posting without one is skipped. Deterministic with the database."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import ZhucunError
from zhucun.policy import PolicyError
from zhucun.registry.models import Posting, PostingStatus, UnitLevel
from zhucun.rotation import services as rs
from zhucun.rotation import storage
from zhucun.rotation.models import RotationApplication

from .accounts import DEMO_VILLAGE
from .timeline import Timeline

STEPS = ("applied", "sealed", "decided", "form_filled", "granted", "rejected", "withdrawn")
NEEDS_REPLACEMENT = {"decided", "form_filled", "granted"}
CAUSES = ("family_hardship", "health", "job_transfer")


def _pdf(title: str) -> bytes:
    text = f"(Demo sample - {title})"
    body = f"BT /F1 14 Tf 72 720 Td {text} Tj ET"
    return (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        "/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        f"4 0 obj<</Length {len(body)}>>stream\n{body}\nendstream endobj\n"
        "5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode("ascii")


FILES = {
    "evidence": ("演示-证明材料.pdf", _pdf("evidence")),
    "medical_report": ("演示-接替人员体检报告.pdf", _pdf("medical report")),
    "commitment_letter": ("演示-接替人员承诺书.pdf", _pdf("commitment letter")),
}


def _first(qs, admin: User) -> User:
    return qs.order_by("id").first() or admin


def _actors(p: Posting, admin: User) -> dict[str, User]:
    unit = p.cadre.unit
    body = User.objects.filter(role=UserRole.PREFECTURE)
    if unit.level == UnitLevel.COUNTY:
        body = User.objects.filter(role=UserRole.COUNTY, jurisdiction_id=unit.jurisdiction_id)
    return {
        # the administrator files the cadre's own steps on their behalf: the demo's audit
        # trail keeps its workflow actors to the office accounts (tests/demo test_audit_trail)
        "cadre": admin,
        "township": _first(
            User.objects.filter(role=UserRole.TOWNSHIP, jurisdiction_id=p.village.township_id),
            admin,
        ),
        "unit": _first(User.objects.filter(role=UserRole.UNIT, unit_id=unit.pk), admin),
        "body": _first(body, admin),
    }


def _candidates() -> list[Posting]:
    """Team members (never a first secretary: no team loses its leader), the demo village's
    first, then 遮放镇's (the demo township account), then the rest, by id."""
    qs = list(
        Posting.objects.filter(status=PostingStatus.ACTIVE, role="team_member")
        .select_related("cadre__unit", "village__jurisdiction")
        .order_by("id")
    )

    def key(p: Posting) -> tuple[int, int]:
        code = p.village.jurisdiction.code
        return (0 if code == DEMO_VILLAGE else 1 if code.startswith("533103102") else 2, p.pk)

    return sorted(qs, key=key)


def _upload(actor: User, app: RotationApplication, kind: str) -> None:
    name, data = FILES[kind]
    rs.attachment_upload(actor=actor, application_id=app.pk, kind=kind, name=name, data=data)


def _bring(p: Posting, step: str, n: int, tl: Timeline, admin: User, used: set[int]) -> bool:
    """One application of ``p`` brought to ``step``; False (nothing written) if it cannot be."""
    a = _actors(p, admin)
    today = tl.today
    try:
        with transaction.atomic():
            app = rs.rotation_apply(
                actor=a["cadre"],
                posting_id=p.pk,
                cause=CAUSES[n % len(CAUSES)],
                statement={
                    "family_hardship": "父亲年迈多病,母亲需照料,家中无其他人可照顾(演示数据)",
                    "health": "经医院诊断需长期治疗,不宜继续驻村(演示数据)",
                    "job_transfer": "已调任新的工作岗位,无法继续脱产驻村(演示数据)",
                }[CAUSES[n % len(CAUSES)]],
            )
            _upload(a["cadre"], app, "evidence")
            if step == "withdrawn":
                rs.rotation_withdraw(actor=a["cadre"], application_id=app.pk, note="家中情况好转")
            if step in ("applied", "withdrawn"):
                return True
            rs.rotation_seal(
                actor=a["township"],
                application_id=app.pk,
                opinion="情况属实,同意调整",
                sealed_by="党委办公室",
                sealed_on=today - dt.timedelta(days=12),
            )
            if step == "rejected":
                rs.rotation_reject(
                    actor=a["unit"], application_id=app.pk, note="本单位暂无合适接替人员,暂缓调整"
                )
                return True
            if step == "sealed":
                return True
            handover = today if step == "granted" else today + dt.timedelta(days=14)
            for c in (
                rs.replacements_available(app)
                .exclude(pk__in=used)
                .filter(nominations__isnull=True)[:8]
            ):
                try:
                    with transaction.atomic():
                        rs.rotation_decide(
                            actor=a["unit"],
                            application_id=app.pk,
                            meeting_name="党委(党组)会议",
                            meeting_date=today - dt.timedelta(days=7),
                            minutes_number=f"纪要〔{today.year}〕{n + 3}号",
                            replacement_id=c.pk,
                            handover_date=handover,
                            replacement_planned_end=handover.replace(year=handover.year + 2),
                        )
                    used.add(c.pk)
                    break
                except (ZhucunError, PolicyError):
                    continue
            else:
                raise LookupError("no replacement")
            if step == "decided":
                return True
            _upload(a["unit"], app, "medical_report")
            _upload(a["unit"], app, "commitment_letter")
            rs.rotation_submit(
                actor=a["unit"],
                application_id=app.pk,
                unit_opinion="经集体研究,同意调整,并选派接替人员",
                form_handler="组织人事科",
                form_date=today - dt.timedelta(days=5),
            )
            if step == "granted":
                rs.rotation_grant(
                    actor=a["body"],
                    application_id=app.pk,
                    opinion="经审查,同意调整轮换",
                    reviewer_name="干部科",
                    reviewed_on=today,
                )
            return True
    except (LookupError, ZhucunError, PolicyError):
        return False


def load(*, timeline: Timeline) -> int:
    """One application at every step (``STEPS``); returns how many were written. Does nothing
    when the demo has rotation applications already."""
    if RotationApplication.objects.exists():
        return 0
    for _kind, (_name, data) in FILES.items():
        storage.put(data)  # the sample files, kept once (named by their content)
    admin = User.objects.get(username="admin")
    pending = list(STEPS)
    used: set[int] = set()
    written = 0
    for p in _candidates()[:60]:
        if not pending:
            break
        if _bring(p, pending[0], written, timeline, admin, used):
            pending.pop(0)
            written += 1
    return written
