"""Fast writes for the bulk of the demo (village groups, cadres, postings).

Going through ``registry.services`` one object at a time costs about 20 s of CPU for the demo's
~3,000 objects, which on a busy machine pushed ``zhucun demo`` towards a minute. So these three
kinds are written with ``bulk_create`` inside the loader's single transaction, but every row is
still cleaned by the same field cleaners and cross-checks the services use
(``registry.validation``), the services' own relational checks are repeated (parent and code
prefix, unit exists, one active posting per cadre, mutual spouse link), and every object gets its
own audit event through ``audit.services.event_record``, exactly as the services record it.
"""

from __future__ import annotations

from typing import Any

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import ValidationFailed
from zhucun.registry import validation
from zhucun.registry.models import (
    Cadre,
    DispatchingUnit,
    Jurisdiction,
    Level,
    Posting,
    PostingStatus,
    Village,
)

BATCH = 500


def _clean(spec: validation.FieldSpec, data: dict[str, Any], what: str) -> dict[str, Any]:
    cleaned, errors = validation.clean(spec, data)
    if errors:
        raise ValidationFailed(errors, message=f"演示数据有误({what})")
    return cleaned


def village_groups(actor: User, groups: list[tuple[str, str, str]]) -> None:
    """(code, name, village code) → 村(居)民小组 under the villages already created."""
    parents = {
        j.code: j
        for j in Jurisdiction.objects.filter(level=Level.VILLAGE, code__in={g[2] for g in groups})
    }
    rows = []
    for code, name, parent_code in groups:
        c = _clean(
            validation.JURISDICTION_FIELDS,
            {"code": code, "name": name, "level": Level.VILLAGE_GROUP, "parent_code": parent_code},
            name,
        )
        parent = parents[c["parent_code"]]
        if len(c["code"]) != 15 or not c["code"].startswith(parent.code):
            raise ValidationFailed({"code": f"村民小组代码{code}应为上级{parent.code}加3位"})
        rows.append(
            Jurisdiction(
                code=c["code"],
                name=c["name"],
                level=c["level"],
                parent=parent,
                path=f"{parent.path}{c['code']}/",
            )
        )
    for j in Jurisdiction.objects.bulk_create(rows, batch_size=BATCH):
        event_record(actor=actor, action="jurisdiction.create", obj=j, after=model_snapshot(j))


def cadres(actor: User, rows: list[dict[str, Any]]) -> dict[str, Cadre]:
    """Cadre data as ``cadre_create`` takes it → created cadres by ID number."""
    units = {u.name: u for u in DispatchingUnit.objects.all()}
    objs: list[Cadre] = []
    spouses: list[tuple[str, str]] = []
    for data in rows:
        c = _clean(validation.CADRE_FIELDS, data, data.get("name", ""))
        errors = validation.cadre_cross_checks(c)
        if c["unit_name"] not in units:
            errors["unit_name"] = f"派出单位“{c['unit_name']}”不存在"
        if errors:
            raise ValidationFailed(errors, message=f"演示数据有误({c['name']})")
        if spouse := c.pop("spouse_id_number"):
            spouses.append((c["id_number"], spouse))
        c["unit"] = units[c.pop("unit_name")]
        objs.append(Cadre(**c))
    created = {c.id_number: c for c in Cadre.objects.bulk_create(objs, batch_size=BATCH)}
    linked = []
    for number, spouse_number in spouses:  # spouse links are mutual, as in cadre_create
        one, other = created[number], created[spouse_number]
        if other.spouse_id not in (None, one.pk) or one.spouse_id not in (None, other.pk):
            raise ValidationFailed({"spouse_id_number": f"{other.name}已登记了其他配偶"})
        one.spouse, other.spouse = other, one
        linked += [one, other]
    Cadre.objects.bulk_update(linked, ["spouse"], batch_size=BATCH)
    for cadre in created.values():
        event_record(actor=actor, action="cadre.create", obj=cadre, after=model_snapshot(cadre))
    return created


def postings(actor: User, rows: list[dict[str, Any]], by_id: dict[str, Cadre]) -> None:
    """Posting data as ``posting_create`` takes it (ID number, village code, role, dates)."""
    villages = {v.jurisdiction.code: v for v in Village.objects.select_related("jurisdiction")}
    active: set[str] = set()
    objs = []
    for data in rows:
        c = _clean(validation.POSTING_FIELDS, data, data.get("id_number", ""))
        number, code = c.pop("id_number"), c.pop("village_code")
        errors = {}
        if number not in by_id:
            errors["id_number"] = "该身份证号的干部尚未登记"
        if code not in villages:
            errors["village_code"] = "村(社区)不存在"
        if c["planned_end"] and c["planned_end"] <= c["arrival_date"]:
            errors["planned_end"] = "计划期满日期应晚于到岗日期"
        if c["status"] == PostingStatus.ACTIVE and number in active:
            errors["id_number"] = "已有在岗的驻村任职(SEL.COND.MUST3 脱产驻村,一人一岗)"
        if errors:
            raise ValidationFailed(errors, message=f"演示数据有误(任职 {number})")
        if c["status"] == PostingStatus.ACTIVE:
            active.add(number)
        objs.append(Posting(cadre=by_id[number], village=villages[code], **c))
    for posting in Posting.objects.bulk_create(objs, batch_size=BATCH):
        event_record(
            actor=actor, action="posting.create", obj=posting, after=model_snapshot(posting)
        )
