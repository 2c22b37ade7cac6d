"""Importing dispatching units, by the rules of services/units.py: a unit is known by its
name; county users register only units inside their county."""

from __future__ import annotations

from typing import Any

from zhucun.accounts.models import UserRole

from .. import scopes
from ..models import DispatchingUnit, Jurisdiction
from .base import Handler, Row, dup_message

_PLAIN = ("name", "level", "kind", "lat", "lng", "address")


class UnitsHandler(Handler):
    kind = "units"
    role_error = "只有州、县(市)组织部门可以导入派出单位"

    def load(self) -> None:
        self.seen: dict[str, tuple[int, int | None]] = {}
        self.places: dict[str, tuple[int, str]] = {}  # jurisdiction code → (id, path)
        self.county_path = (
            self.actor.jurisdiction.path
            if self.actor.role == UserRole.COUNTY and self.actor.jurisdiction_id
            else None
        )

    def _places(self, codes: set[str]) -> None:
        codes -= set(self.places)
        if not codes:
            return
        qs = (
            Jurisdiction.objects.all()
            if self.actor.role in (UserRole.ADMIN, UserRole.PREFECTURE)
            else scopes.jurisdictions_visible(self.actor)
        )
        for code, pk, path in qs.filter(code__in=codes).values_list("code", "id", "path"):
            self.places[code] = (pk, path)

    def check(self, batch: list[Row]) -> None:
        names = [r.values["name"] for r in batch if r.ok("name")]
        existing = dict(
            DispatchingUnit.objects.filter(name__in=names).values_list("name", "jurisdiction__path")
        )
        editable = dict(
            scopes.units_editable(self.actor).filter(name__in=names).values_list("name", "pk")
        )
        self._places({r.values["jurisdiction_code"] for r in batch if r.get("jurisdiction_code")})
        for row in batch:
            if not row.ok("name"):
                continue
            name = row.values["name"]
            if name in self.seen:
                self.error(row.num, "name", dup_message(self.seen[name][0], "单位名称"))
                continue
            if name in existing and name not in editable:
                self.error(row.num, "name", f"单位“{name}”已存在")
                continue
            pk = editable.get(name)
            self.seen[name] = (row.num, pk)
            if not row.ok("jurisdiction_code"):
                path = existing.get(name) if pk else None
                if "jurisdiction_code" in row.bad:
                    continue
            else:
                code = row.values["jurisdiction_code"]
                place = self.places.get(code) if code else None
                if code and place is None:
                    self.error(
                        row.num, "jurisdiction_code", f"区划{code}不存在或不在您的管辖范围内"
                    )
                    continue
                path = place[1] if place else None
            if self.county_path and not (path or "").startswith(self.county_path):
                self.error(row.num, "jurisdiction_code", "县级用户只能登记本县(市)内的单位")

    def _values(self, row: Row, base: dict[str, Any]) -> dict[str, Any]:
        values = {f: base[f] for f in _PLAIN if f in base}
        if "jurisdiction_code" in base:
            code = base["jurisdiction_code"]
            values["jurisdiction_id"] = self.places[code][0] if code else None
        return values

    def write(self, batch: list[Row], phase: int) -> None:
        new = [r for r in batch if self.seen[r.values["name"]][1] is None]
        units = [DispatchingUnit(**self._values(r, self.full(r))) for r in new]
        DispatchingUnit.objects.bulk_create(units)
        self.created_ids.extend(u.pk for u in units)
        self.report.created += len(units)
        old = [r for r in batch if self.seen[r.values["name"]][1] is not None]
        objs = DispatchingUnit.objects.in_bulk([self.seen[r.values["name"]][1] for r in old])
        changed_objs, fields = [], set()
        for row in old:
            unit = objs[self.seen[row.values["name"]][1]]
            changed = False
            for f, value in self._values(row, row.values).items():
                if getattr(unit, f) != value:
                    setattr(unit, f, value)
                    fields.add(f)
                    changed = True
            if changed:
                changed_objs.append(unit)
            self.counted(unit.pk, changed)
        if changed_objs:
            DispatchingUnit.objects.bulk_update(changed_objs, sorted(fields), batch_size=500)
