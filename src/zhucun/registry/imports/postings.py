"""Importing postings, by the rules of services/postings.py: the cadre is registered, the
village is one the user may edit, the dates agree, and each cadre holds at most one active
posting (SEL.COND.MUST3) once the whole file is applied. A posting is known by (cadre,
village, arrival date); an existing one is updated (role, planned/actual end, status)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import scopes, validation
from ..models import Posting, PostingStatus
from ..services.postings import CADRE_NOT_FOUND
from .base import Handler, Row, dup_message

Key = tuple[int, int, dt.date]
_UPDATABLE = ("role", "planned_end", "actual_end", "status")
# phase 0 ends postings, phase 1 (re)activates, phase 2 creates: the one-active-posting
# constraint holds after every statement
_PHASE_UPDATE_INACTIVE, _PHASE_UPDATE_ACTIVE, _PHASE_CREATE = 0, 1, 2


class PostingsHandler(Handler):
    kind = "postings"
    role_error = "只有州、县(市)组织部门可以导入驻村任职"
    write_phases = 3

    def load(self) -> None:
        self.villages = dict(
            scopes.villages_editable(self.actor).values_list("jurisdiction__code", "pk")
        )
        self.cadres: dict[str, tuple[int, str]] = {}  # ID number → (pk, name)
        self.seen: dict[Key, tuple[int, int | None]] = {}
        # per cadre: rows that leave a posting active, and DB postings the file touches
        self.active_rows: dict[int, list[int]] = {}
        self.touched: dict[int, set[int]] = {}
        self.db_active: dict[int, set[int]] = {}

    def postable(self) -> Any:
        """The cadres the actor may post (the selection app's handler widens it)."""
        return scopes.cadres_postable(self.actor)

    def _key(self, row: Row) -> Key | None:
        cadre = self.cadres.get(row.values.get("id_number", ""))
        village = self.villages.get(row.values.get("village_code", ""))
        if cadre is None or village is None or not row.ok("arrival_date"):
            return None
        return cadre[0], village, row.values["arrival_date"]

    def check(self, batch: list[Row]) -> None:
        numbers = {r.values["id_number"] for r in batch if r.ok("id_number")}
        # inside the actor's scope (scopes.cadres_postable): another county's cadre answers
        # like an unregistered number — no name, no posting (issue 9)
        in_scope = self.postable().filter(id_number__in=numbers)
        for pk, number, name in in_scope.values_list("pk", "id_number", "name"):
            self.cadres[number] = (pk, name)
        cadre_pks = [self.cadres[n][0] for n in numbers if n in self.cadres]
        existing: dict[Key, tuple[int, str]] = {}
        for p in Posting.objects.filter(cadre_id__in=cadre_pks).values(
            "pk", "cadre_id", "village_id", "arrival_date", "status"
        ):
            existing[(p["cadre_id"], p["village_id"], p["arrival_date"])] = (p["pk"], p["status"])
            if p["status"] == PostingStatus.ACTIVE:
                self.db_active.setdefault(p["cadre_id"], set()).add(p["pk"])
        for row in batch:
            self._check_row(row, existing)

    def _check_row(self, row: Row, existing: dict[Key, tuple[int, str]]) -> None:
        if row.ok("id_number") and row.values["id_number"] not in self.cadres:
            self.error(row.num, "id_number", CADRE_NOT_FOUND)
        if row.ok("village_code") and row.values["village_code"] not in self.villages:
            self.error(row.num, "village_code", "村(社区)不存在或不在您的管辖范围内")
        errors = validation.posting_cross_checks(self.full(row))
        self.errors(row.num, {f: e for f, e in errors.items() if f not in row.bad})
        key = self._key(row)
        if key is None:
            return
        if key in self.seen:
            self.error(
                row.num, "arrival_date", dup_message(self.seen[key][0], "干部、村和到岗日期")
            )
            return
        pk = existing.get(key, (None, ""))[0]
        self.seen[key] = (row.num, pk)
        if pk is not None:
            self.touched.setdefault(key[0], set()).add(pk)
        if "status" not in self.present:
            status = existing[key][1] if pk is not None else self.defaults["status"]
        else:
            status = row.values["status"] if row.ok("status") else None
        if status == PostingStatus.ACTIVE:
            self.active_rows.setdefault(key[0], []).append(row.num)

    def finish_check(self) -> None:
        """One active posting per cadre after the whole file is applied."""
        names = {pk: name for pk, name in self.cadres.values()}
        for cadre, rows in self.active_rows.items():
            kept = self.db_active.get(cadre, set()) - self.touched.get(cadre, set())
            for num in rows[1:] if not kept else rows:
                reason = (
                    f"{names[cadre]}已有在岗的驻村任职(SEL.COND.MUST3 脱产驻村,一人一岗)"
                    if kept
                    else f"与第{rows[0]}行同为在岗任职(SEL.COND.MUST3 脱产驻村,一人一岗)"
                )
                self.error(num, "id_number", reason)

    def write(self, batch: list[Row], phase: int) -> None:
        keyed = [(r, k) for r in batch if (k := self._key(r)) is not None]
        if phase == _PHASE_CREATE:
            new = [
                Posting(cadre_id=k[0], village_id=k[1], **self._values(self.full(r)))
                for r, k in keyed
                if self.seen[k][1] is None
            ]
            Posting.objects.bulk_create(new)
            self.created_ids.extend(p.pk for p in new)
            self.report.created += len(new)
            return
        old = {pk: r for r, k in keyed if (pk := self.seen[k][1]) is not None}
        objs = Posting.objects.in_bulk(list(old))
        changed_objs = []
        for pk, row in old.items():
            posting = objs[pk]
            values = self._values(row.values)
            becomes_active = values.get("status", posting.status) == PostingStatus.ACTIVE
            if becomes_active != (phase == _PHASE_UPDATE_ACTIVE):
                continue
            changed = False
            for f, value in values.items():
                if getattr(posting, f) != value:
                    setattr(posting, f, value)
                    changed = True
            if changed:
                changed_objs.append(posting)
            self.counted(pk, changed)
        Posting.objects.bulk_update(changed_objs, list(_UPDATABLE), batch_size=500)

    @staticmethod
    def _values(values: dict[str, Any]) -> dict[str, Any]:
        return {f: v for f, v in values.items() if f in _UPDATABLE or f == "arrival_date"}
