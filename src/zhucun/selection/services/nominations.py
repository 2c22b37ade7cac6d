"""The nomination workflow (SEL.METHOD.FLOW): each step one service, by its own role in its
own scope, asking policy, refusing on errors, demanding a written reason for each warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.limits import max_length
from zhucun.notices.services import notice_send, users_of_unit
from zhucun.params.selectors import parameters_current
from zhucun.policy import Finding, attestation_findings, regular_term_end, screen_candidate
from zhucun.policy.dates import date_label
from zhucun.registry import scopes
from zhucun.registry.models import Cadre, Role, UnitLevel
from zhucun.registry.services import posting_create

from ..adapters import candidate_from_cadre, findings_json
from ..models import Nomination, NominationSource, NominationState, NominationStep
from ..selectors import cadres_postable
from ..workflow import TRANSITIONS
from .posting_checks import posting_findings, require_findings


def _screen(nomination: Nomination, on: dt.date) -> list[Finding]:
    return screen_candidate(
        candidate_from_cadre(nomination.cadre),
        role=nomination.role,
        on=on,
        params=parameters_current(),
        jurisdiction=nomination.village.jurisdiction.code if nomination.village_id else (),
    )


_require = require_findings


def _load(actor: User, nomination_id: int, action: str) -> Nomination:
    n = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("cadre__unit", "unit__jurisdiction", "village__jurisdiction")
        .filter(pk=nomination_id)
        .first()
    )
    if n is None or not nomination_visible(actor, n):
        raise NotFound("提名不存在或不在您的管辖范围内")
    t = TRANSITIONS[action]
    if actor.role not in t.roles:
        raise Forbidden(
            f"“{t.label}”须由{'派出单位' if t.roles == TRANSITIONS['propose'].roles else '同级驻村工作领导协调机构'}办理(SEL.METHOD.FLOW)"
        )
    if n.state not in t.sources:
        raise ValidationFailed({"state": f"当前状态“{n.get_state_display()}”不能{t.label}"})
    if action in ("review", "post") or (
        action == "reject" and actor.role in (UserRole.COUNTY, UserRole.PREFECTURE)
    ):
        _check_same_level_body(actor, n)
    return n


def _check_same_level_body(actor: User, n: Nomination) -> None:
    """SEL.METHOD.FLOW: 同级驻村工作领导协调机构 — county units are reviewed by their county,
    prefecture and province units by the prefecture."""
    if actor.role == UserRole.ADMIN:
        return
    if n.unit.level == UnitLevel.COUNTY:
        ok = (
            actor.role == UserRole.COUNTY
            and n.unit.jurisdiction is not None
            and n.unit.jurisdiction.path.startswith(actor.jurisdiction.path)
        )
    else:
        ok = actor.role == UserRole.PREFECTURE
    if not ok:
        raise Forbidden(
            f"{n.unit.name}({n.unit.get_level_display()}单位)的人选应由同级驻村工作领导协调机构审核(SEL.METHOD.FLOW)"
        )


def nomination_visible(actor: User, n: Nomination) -> bool:
    from ..selectors import nominations_visible

    return nominations_visible(actor).filter(pk=n.pk).exists()


def _step(
    n: Nomination, *, actor: User, action: str, from_state: str, note: str, findings: list[Finding]
) -> None:
    limit = max_length(NominationStep, "note")
    if len(note) > limit:  # the same limit as the form, the API schema and the model
        raise ValidationFailed({"note": f"说明不能超过{limit}个字(现为{len(note)}个字)"})
    too_long = [c for c, text in n.warning_reasons.items() if len(str(text)) > limit]
    if too_long:
        raise ValidationFailed({"reasons": f"理由({'、'.join(too_long)})不能超过{limit}个字"})
    if n.note and len(n.note) > max_length(Nomination, "note"):
        raise ValidationFailed({"note": f"备注不能超过{max_length(Nomination, 'note')}个字"})
    NominationStep.objects.create(
        nomination=n,
        action=action,
        from_state=from_state,
        to_state=n.state,
        actor=actor,
        actor_name=str(actor),
        note=note,
        findings=findings_json(findings),
    )
    event_record(
        actor=actor,
        action=f"nomination.{action}",
        obj=n,
        before={"state": from_state},
        after={
            "state": n.state,
            "findings": findings_json(findings),
            "warning_reasons": n.warning_reasons,
        },
        note=note,
    )


def _notify_unit(n: Nomination, *, action: str, title: str, body: str = "") -> None:
    """SEL.METHOD.FLOW: the body's step reaches the unit that waits for it (inside the step's
    transaction: the notice commits with the decision)."""
    notice_send(
        users=users_of_unit(n.unit_id),
        kind=f"nomination_{action}",
        title=title,
        body=body,
        url=f"/nominations/{n.pk}/",
        clause="SEL.METHOD.FLOW",
    )


@transaction.atomic
def nomination_create(
    *,
    actor: User,
    cadre_id: int,
    role: str,
    source: str,
    dispatch_date: dt.date,
    village_id: int | None = None,
    note: str = "",
) -> Nomination:
    """A unit records an individual application or an organisational recommendation."""
    if actor.role not in (UserRole.UNIT, UserRole.ADMIN):
        raise Forbidden("提名由派出单位录入(SEL.METHOD.FLOW)")
    errors: dict[str, str] = {}
    cadre = scopes.cadres_editable(actor).select_related("unit").filter(pk=cadre_id).first()
    if cadre is None:
        raise NotFound("干部不存在或不属于本单位")
    if role not in Role.values:
        errors["role"] = "拟任职务应为第一书记、工作队长或工作队员"
    if source not in NominationSource.values:
        errors["source"] = "产生方式应为个人报名或组织推荐"
    village = None
    if village_id is not None:
        # inside the unit's scope (scopes.villages_nominable): a village it may not name
        # answers exactly like one that does not exist (issue 9)
        village = (
            scopes.villages_nominable(actor)
            .filter(pk=village_id)
            .select_related("jurisdiction")
            .first()
        )
        if village is None:
            errors["village_id"] = "拟派驻村不存在或不在您的管辖范围内"
    if Nomination.objects.filter(
        cadre=cadre,
        state__in=list(
            TRANSITIONS["withdraw"].sources | {NominationState.FILED, NominationState.DECIDED}
        ),
    ).exists():
        errors["cadre_id"] = f"{cadre.name}已有进行中的提名"
    if cadre.postings.filter(status="active").exists():
        errors["cadre_id"] = f"{cadre.name}正在驻村(SEL.COND.MUST3 一人一岗)"
    if errors:
        raise ValidationFailed(errors)
    state = (
        NominationState.APPLIED
        if source == NominationSource.APPLICATION
        else NominationState.RECOMMENDED
    )
    n = Nomination.objects.create(
        cadre=cadre,
        unit=cadre.unit,
        role=role,
        village=village,
        source=source,
        state=state,
        dispatch_date=dispatch_date,
        note=note,
    )
    findings = _screen(n, dispatch_date)
    n.findings = findings_json(findings)
    n.save(update_fields=["findings"])
    _step(n, actor=actor, action="create", from_state="", note=note, findings=findings)
    return n


@transaction.atomic
def nomination_propose(
    *,
    actor: User,
    nomination_id: int,
    basic_attested: bool,
    no1_attested: bool,
    attested_by: str,
    reasons: Mapping[str, str] | None = None,
    note: str = "",
) -> Nomination:
    """派出单位组织人事部门提出人选: screening plus the attested judgements (SEL.COND.BASIC, NO1)."""
    n = _load(actor, nomination_id, "propose")
    if len(attested_by.strip()) > 32:
        raise ValidationFailed({"attested_by": "审查人姓名不能超过32个字符"})
    reasons = dict(reasons or {})
    attested = attestation_findings(
        basic=basic_attested, no1=no1_attested, five=None, reviewer=attested_by, name=n.cadre.name
    )
    # The five checkpoints belong to the review step, not to the unit's proposal.
    findings = _screen(n, n.dispatch_date) + [f for f in attested if f.clause != "SEL.METHOD.FIVE"]
    _require(findings, reasons)
    prev = n.state
    n.basic_attested, n.no1_attested, n.attested_by = (
        basic_attested,
        no1_attested,
        attested_by.strip(),
    )
    n.state = NominationState.PROPOSED
    n.findings = findings_json(findings)
    n.warning_reasons = {**n.warning_reasons, **reasons}
    n.save()
    _step(n, actor=actor, action="propose", from_state=prev, note=note, findings=findings)
    return n


@transaction.atomic
def nomination_review(
    *,
    actor: User,
    nomination_id: int,
    checkpoints: Mapping[str, bool],
    reviewer_name: str,
    reasons: Mapping[str, str] | None = None,
    note: str = "",
) -> Nomination:
    """同级驻村工作领导协调机构审核备案, with the five checkpoints (SEL.METHOD.FIVE)."""
    n = _load(actor, nomination_id, "review")
    unknown = sorted(set(checkpoints) - {"political", "conduct", "ability", "style", "integrity"})
    if unknown:
        raise ValidationFailed({"checkpoints": f"未知的审核关口:{'、'.join(unknown)}"})
    if len(reviewer_name.strip()) > 32:
        raise ValidationFailed({"reviewer_name": "审核人姓名不能超过32个字符"})
    reasons = {**n.warning_reasons, **(reasons or {})}
    findings = _screen(n, n.dispatch_date) + attestation_findings(
        basic=n.basic_attested,
        no1=n.no1_attested,
        five=checkpoints,
        reviewer=reviewer_name,
        name=n.cadre.name,
    )
    _require(findings, reasons)
    prev = n.state
    n.checkpoints, n.reviewer_name = dict(checkpoints), reviewer_name.strip()
    n.state = NominationState.FILED
    n.findings = findings_json(findings)
    n.warning_reasons = reasons
    n.save()
    _step(n, actor=actor, action="review", from_state=prev, note=note, findings=findings)
    _notify_unit(
        n,
        action="review",
        title=f"{n.cadre.name}(拟任{n.get_role_display()})已审核备案,请党委(党组)研究确定",
        body=note,
    )
    return n


@transaction.atomic
def nomination_decide(
    *, actor: User, nomination_id: int, reasons: Mapping[str, str] | None = None, note: str = ""
) -> Nomination:
    """派出单位党委(党组)研究确定."""
    n = _load(actor, nomination_id, "decide")
    reasons = {**n.warning_reasons, **(reasons or {})}
    findings = _screen(n, n.dispatch_date)
    _require(findings, reasons)
    prev = n.state
    n.state = NominationState.DECIDED
    n.findings = findings_json(findings)
    n.warning_reasons = reasons
    n.save()
    _step(n, actor=actor, action="decide", from_state=prev, note=note, findings=findings)
    return n


@transaction.atomic
def nomination_post(
    *,
    actor: User,
    nomination_id: int,
    village_id: int,
    arrival_date: dt.date,
    planned_end: dt.date | None = None,
    reasons: Mapping[str, str] | None = None,
    note: str = "",
) -> Nomination:
    """派驻到村: re-screen on the arrival date and re-check the whole team with the newcomer."""
    n = _load(actor, nomination_id, "post")
    village = (
        scopes.villages_editable(actor).select_related("jurisdiction").filter(pk=village_id).first()
    )
    if village is None:
        raise ValidationFailed({"village_id": "村(社区)不存在或不在您的管辖范围内"})
    # Lock the village's team so that concurrent postings see each other (≤5 people, CAT3).
    type(village).objects.select_for_update().get(pk=village.pk)
    n.village = village
    reasons = {**n.warning_reasons, **(reasons or {})}
    cadre: Cadre = n.cadre
    if planned_end is None:
        planned_end = regular_term_end(
            arrival=arrival_date,
            params=parameters_current(),
            jurisdiction=village.jurisdiction.code,
        )
    findings, shown = posting_findings(
        cadre=cadre, role=n.role, village=village, arrival=arrival_date, planned_end=planned_end
    )
    _require(findings, reasons)
    posting = posting_create(
        actor=actor,
        cadres=cadres_postable(actor),
        data={
            "id_number": cadre.id_number,
            "village_code": village.jurisdiction.code,
            "role": n.role,
            "arrival_date": arrival_date,
            "planned_end": planned_end,
        },
    )
    prev = n.state
    n.state = NominationState.POSTED
    n.posting = posting
    n.findings = findings_json(shown)
    n.warning_reasons = reasons
    n.save()
    _step(n, actor=actor, action="post", from_state=prev, note=note, findings=shown)
    _notify_unit(
        n,
        action="post",
        title=f"{cadre.name}已派驻到{village.jurisdiction.name}任{n.get_role_display()},"
        f"{date_label(arrival_date)}到岗",
        body=note,
    )
    return n


@transaction.atomic
def nomination_reject(*, actor: User, nomination_id: int, note: str) -> Nomination:
    n = _load(actor, nomination_id, "reject")
    if not note.strip():
        raise ValidationFailed({"note": "请填写不予通过的理由"})
    prev = n.state
    n.state = NominationState.REJECTED
    n.save()
    _step(n, actor=actor, action="reject", from_state=prev, note=note, findings=[])
    if actor.role != UserRole.UNIT:  # the unit's own refusal needs no notice to itself
        _notify_unit(n, action="reject", title=f"{n.cadre.name}的选派人选未予通过", body=note)
    return n


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination_id: int, note: str = "") -> Nomination:
    n = _load(actor, nomination_id, "withdraw")
    prev = n.state
    n.state = NominationState.WITHDRAWN
    n.save()
    _step(n, actor=actor, action="withdraw", from_state=prev, note=note, findings=[])
    return n
