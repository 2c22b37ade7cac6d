"""Importing cadres, by the rules of services/cadres.py. A cadre is known by the ID number:
a registered number updates that cadre (with the columns present in the file), which is
what offices expect when they resubmit a roster. Spouse links are made mutual; an empty
spouse cell leaves an existing link alone (links are undone on the cadre's page)."""

from __future__ import annotations

from typing import Any

from zhucun.accounts.models import UserRole

from .. import scopes, validation
from ..models import Cadre
from ..services.cadres import spouse_not_found
from .base import ORG_ROLES, Handler, Row, chunked_in, dup_message

_MERGE = ("id_number", "birth_date", "party_status", "full_member_since", "work_start_date")
_NOT_MODEL = {"id_number", "unit_name", "spouse_id_number"}


class CadresHandler(Handler):
    kind = "cadres"
    roles = ORG_ROLES | {UserRole.UNIT}
    role_error = "只有组织部门和派出单位可以导入干部"

    def load(self) -> None:
        self.units = dict(scopes.units_visible(self.actor).values_list("name", "pk"))
        # ID number → (row, pk of the registered cadre or None)
        self.seen: dict[str, tuple[int, int | None]] = {}
        self.claims: dict[str, tuple[str, int]] = {}  # ID number → (spouse's, row)
        self.links: dict[str, str] = {}

    def check(self, batch: list[Row]) -> None:
        numbers = [r.values["id_number"] for r in batch if r.ok("id_number")]
        existing = {
            c["id_number"]: c
            for c in Cadre.objects.filter(id_number__in=numbers).values("pk", *_MERGE)
        }
        editable = set(
            scopes.cadres_editable(self.actor)
            .filter(id_number__in=numbers)
            .values_list("id_number", flat=True)
        )
        for row in batch:
            self._check_unit(row)
            if not row.ok("id_number"):
                continue
            number = row.values["id_number"]
            if number in self.seen:
                self.error(row.num, "id_number", dup_message(self.seen[number][0], "身份证号"))
                continue
            ex = existing.get(number)
            if ex is not None and number not in editable:
                self.error(row.num, "id_number", "该身份证号已登记,但该干部不在您的管辖范围内")
                continue
            self.seen[number] = (row.num, ex["pk"] if ex else None)
            merged = {f: ex[f] for f in _MERGE} if ex else dict(self.defaults)
            merged.update(row.values)
            errors = validation.cadre_cross_checks(merged)
            self.errors(row.num, {f: e for f, e in errors.items() if f not in row.bad})
            spouse = row.values.get("spouse_id_number") if row.ok("spouse_id_number") else ""
            if spouse and "spouse_id_number" not in errors:
                self.claims[number] = (spouse, row.num)

    def _check_unit(self, row: Row) -> None:
        if not row.ok("unit_name"):
            return
        name = row.values["unit_name"]
        unit_id = self.units.get(name)
        if unit_id is None:
            self.error(row.num, "unit_name", f"派出单位“{name}”不存在或不在您的管辖范围内")
        elif self.actor.role == UserRole.UNIT and unit_id != self.actor.unit_id:
            self.error(row.num, "unit_name", "只能登记本单位的干部")

    def finish_check(self) -> None:
        """Spouse links of the whole file: every claimed spouse is registered (in the system
        or in the file), and after the import each person has at most one spouse."""
        partner: dict[str, tuple[str, int]] = {}
        for number, (spouse, num) in self.claims.items():
            for a, b in ((number, spouse), (spouse, number)):
                if a in partner and partner[a][0] != b:
                    self.error(num, "spouse_id_number", f"与第{partner[a][1]}行填写的配偶关系矛盾")
                    break
            else:
                partner[number], partner[spouse] = (spouse, num), (number, num)
        # spouses are looked up inside the actor's scope: one it cannot see answers like an
        # unregistered number, and no link is made to it (issue 9)
        db = self._lookup(
            sorted({s for s, _n in self.claims.values()} | set(self.claims)), in_scope=True
        )
        by_pk = {c["pk"]: n for n, c in db.items()}
        for number, (spouse, num) in self.claims.items():
            if spouse not in self.seen and spouse not in db:
                self.error(
                    num, "spouse_id_number", f"{spouse_not_found(spouse)};可在本文件中一并登记"
                )
                continue
            other = db.get(spouse)
            if other is None or other["spouse_id"] is None:
                continue
            current = by_pk.get(other["spouse_id"]) or self._number_of(other["spouse_id"])
            released = current in partner and partner[current][0] != spouse
            if current != number and not released and spouse not in self.claims:
                self.error(num, "spouse_id_number", f"{other['name']}已登记了其他配偶")
        self.links = {a: b for a, (b, _n) in partner.items()}

    def _lookup(self, numbers: list[str], *, in_scope: bool = False) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        qs = scopes.cadres_visible(self.actor) if in_scope else Cadre.objects.all()
        for chunk in chunked_in(numbers):
            for c in qs.filter(id_number__in=chunk).values("pk", "id_number", "name", "spouse_id"):
                found[c["id_number"]] = c
        return found

    def _number_of(self, pk: int) -> str:
        return Cadre.objects.filter(pk=pk).values_list("id_number", flat=True).first() or ""

    def _model_values(self, values: dict[str, Any]) -> dict[str, Any]:
        out = {f: v for f, v in values.items() if f not in _NOT_MODEL}
        if "unit_name" in values:
            out["unit_id"] = self.units[values["unit_name"]]
        return out

    def write(self, batch: list[Row], phase: int) -> None:
        new = [r for r in batch if self.seen[r.values["id_number"]][1] is None]
        cadres = [
            Cadre(id_number=r.values["id_number"], **self._model_values(self.full(r))) for r in new
        ]
        Cadre.objects.bulk_create(cadres, batch_size=1000)
        self.created_ids.extend(c.pk for c in cadres)
        self.report.created += len(cadres)
        old = [r for r in batch if self.seen[r.values["id_number"]][1] is not None]
        objs = Cadre.objects.in_bulk([self.seen[r.values["id_number"]][1] for r in old])
        changed_objs, fields = [], set()
        for row in old:
            cadre = objs[self.seen[row.values["id_number"]][1]]
            changed = False
            for f, value in self._model_values(row.values).items():
                if getattr(cadre, f) != value:
                    setattr(cadre, f, value)
                    fields.add(f)
                    changed = True
            if changed:
                changed_objs.append(cadre)
            self.counted(cadre.pk, changed)
        if changed_objs:
            Cadre.objects.bulk_update(changed_objs, sorted(fields), batch_size=500)

    def finish_write(self) -> None:
        """Mutual spouse links, as ``_link_spouse`` makes them: the new partners point at
        each other; a former spouse left behind is unlinked."""
        if not self.links:
            return
        db = self._lookup(sorted(self.links))
        pk = {n: c["pk"] for n, c in db.items()}
        spouse_of = {c["pk"]: c["spouse_id"] for c in db.values()}
        linked = {pk[a]: pk[b] for a, b in self.links.items()}
        changes = {a: b for a, b in linked.items() if spouse_of[a] != b}
        left_behind = {
            old for a in changes if (old := spouse_of[a]) is not None and old not in linked
        }
        Cadre.objects.filter(pk__in=left_behind, spouse_id__in=list(changes)).update(spouse=None)
        Cadre.objects.bulk_update(
            [Cadre(pk=a, spouse_id=b) for a, b in changes.items()], ["spouse"], batch_size=500
        )
        self.spouse_links = len(changes)

    def audit_extra(self) -> dict[str, Any]:
        return {"spouse_links": getattr(self, "spouse_links", 0)}
