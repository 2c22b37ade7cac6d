"""Importing the jurisdiction tree and villages, by the rules of services/jurisdictions.py
(level order and code prefixes via ``_check_parent``, path = parent.path + code + "/",
village.township = parent, check-in point complete)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhucun.accounts.models import UserRole

from .. import scopes
from ..models import LEVEL_ORDER, Jurisdiction, Level, Village
from ..services.jurisdictions import _check_parent, _village_checks
from ..validation import VILLAGE_FIELDS
from .base import Handler, Row, batched, chunked_in, dup_message
from .columns import TOWNSHIP_CODE


@dataclass
class _Node:
    num: int
    name: str | None
    level: str | None
    parent_code: str
    existing: dict[str, Any] | None = None


class JurisdictionsHandler(Handler):
    """Jurisdictions reference each other (a parent may come later in the file), so the
    tree is checked and written as a whole after the streaming pass; its rows are few
    (a province has some tens of thousands of nodes). A node of level 村(社区) also gets
    its village record, as ``village_create`` does."""

    kind = "jurisdictions"
    role_error = "只有州、县(市)组织部门可以导入行政区划"
    write_phases = 0

    def load(self) -> None:
        self.nodes: dict[str, _Node] = {}

    def check(self, batch: list[Row]) -> None:
        for row in batch:
            if not row.ok("code"):
                continue
            code = row.values["code"]
            if code in self.nodes:
                self.error(row.num, "code", dup_message(self.nodes[code].num, "区划代码"))
                continue
            self.nodes[code] = _Node(
                row.num,
                row.values.get("name") if row.ok("name") else None,
                row.values.get("level") if row.ok("level") else None,
                row.values.get("parent_code", ""),
            )

    def finish_check(self) -> None:
        codes = set(self.nodes) | {n.parent_code for n in self.nodes.values() if n.parent_code}
        self.db: dict[str, dict[str, Any]] = {}
        editable: set[str] = set()
        for chunk in chunked_in(sorted(codes)):
            for j in Jurisdiction.objects.filter(code__in=chunk).values(
                "id", "code", "name", "level", "path", "parent__code"
            ):
                self.db[j["code"]] = j
            editable.update(
                scopes.jurisdictions_editable(self.actor)
                .filter(code__in=chunk)
                .values_list("code", flat=True)
            )
        for code, node in self.nodes.items():
            ex = self.db.get(code)
            if ex is not None:
                self._check_existing(code, node, ex, editable)
            elif node.level is not None and node.name is not None:
                self._check_new(code, node, editable)

    def _check_existing(
        self, code: str, node: _Node, ex: dict[str, Any], editable: set[str]
    ) -> None:
        if code not in editable:
            self.error(node.num, "code", f"区划代码{code}已存在,且不在您的管辖范围内")
            return
        if node.level is not None and node.level != ex["level"]:
            self.error(
                node.num,
                "level",
                f"系统中{ex['name']}的层级为{Level(ex['level']).label},不能通过导入修改层级",
            )
        elif "parent_code" in self.present and node.parent_code != (ex["parent__code"] or ""):
            self.error(
                node.num,
                "parent_code",
                f"系统中{ex['name']}的上级区划为{ex['parent__code'] or '无'},不能通过导入移动区划",
            )
        else:
            node.existing = ex

    def _check_new(self, code: str, node: _Node, editable: set[str]) -> None:
        parent: Jurisdiction | None = None
        pc = node.parent_code
        if not pc:
            if self.actor.role != UserRole.ADMIN:
                self.error(node.num, "parent_code", "只有系统管理员可以创建顶级区划")
                return
        elif pc in self.db:
            if pc not in editable:
                self.error(node.num, "parent_code", f"上级区划{pc}不存在或不在您的管辖范围内")
                return
            p = self.db[pc]
            parent = Jurisdiction(code=pc, name=p["name"], level=p["level"])
        elif pc in self.nodes:
            p_node = self.nodes[pc]
            if p_node.level is None:
                return  # that row has its own error
            parent = Jurisdiction(code=pc, name=p_node.name or pc, level=p_node.level)
        else:
            self.error(node.num, "parent_code", f"上级区划{pc}不存在或不在您的管辖范围内")
            return
        self.errors(node.num, _check_parent(code=code, level=node.level or "", parent=parent))

    def finish_write(self) -> None:
        placed = {c: (j["id"], j["path"]) for c, j in self.db.items()}
        new = [(c, n) for c, n in self.nodes.items() if n.existing is None]
        by_level = [[cn for cn in new if cn[1].level == level] for level in LEVEL_ORDER]
        for batch in (b for group in by_level for b in batched(group, 1000)):
            objs = []
            for code, node in batch:
                parent_id, parent_path = placed.get(node.parent_code, (None, "/"))
                objs.append(
                    Jurisdiction(
                        code=code,
                        name=node.name,
                        level=node.level,
                        parent_id=parent_id,
                        path=parent_path + code + "/",
                    )
                )
            Jurisdiction.objects.bulk_create(objs)
            villages = []
            for j in objs:
                placed[j.code] = (j.pk, j.path)
                self.created_ids.append(j.pk)
                if j.level == Level.VILLAGE:
                    villages.append(Village(jurisdiction_id=j.pk, township_id=j.parent_id))
            Village.objects.bulk_create(villages)
        self.report.created = len(new)
        renamed = []
        for node in self.nodes.values():
            ex = node.existing
            if ex is None:
                continue
            changed = node.name is not None and node.name != ex["name"]
            if changed:
                renamed.append(Jurisdiction(pk=ex["id"], name=node.name))
            self.counted(ex["id"], changed)
        Jurisdiction.objects.bulk_update(renamed, ["name"], batch_size=1000)


class VillagesHandler(Handler):
    """Villages stream: each row references a township already in the system."""

    kind = "villages"
    role_error = "只有州、县(市)组织部门可以导入村(社区)"
    field_alias = {"level": TOWNSHIP_CODE, "parent_code": TOWNSHIP_CODE}
    flag_fields = tuple(VILLAGE_FIELDS)

    def load(self) -> None:
        self.parents = {
            j.code: j
            for j in scopes.jurisdictions_editable(self.actor)
            .filter(level__in=[Level.COUNTY, Level.TOWNSHIP])
            .only("id", "code", "name", "level", "path")
        }
        self.seen: dict[str, tuple[int, int | None]] = {}

    def _existing(self, codes: list[str]) -> tuple[dict[str, dict[str, Any]], dict[str, Village]]:
        db = {
            j["code"]: j
            for j in Jurisdiction.objects.filter(code__in=codes).values(
                "code", "id", "name", "parent__code", "village"
            )
        }
        editable = {
            v.jurisdiction.code: v
            for v in scopes.villages_editable(self.actor)
            .filter(jurisdiction__code__in=codes)
            .select_related("jurisdiction")
        }
        return db, editable

    def check(self, batch: list[Row]) -> None:
        db, editable = self._existing([r.values["code"] for r in batch if r.ok("code")])
        for row in batch:
            if not row.ok("code"):
                continue
            code = row.values["code"]
            if code in self.seen:
                self.error(row.num, "code", dup_message(self.seen[code][0], "区划代码"))
                continue
            ex = db.get(code)
            if ex is None:
                self.seen[code] = (row.num, None)
                self._check_new(row)
            elif ex["village"] is None:
                self.error(row.num, "code", f"区划代码{code}已存在,但不是村(社区)")
            elif code not in editable:
                self.error(row.num, "code", f"村(社区){code}已存在,且不在您的管辖范围内")
            else:
                self.seen[code] = (row.num, ex["village"])
                if row.ok(TOWNSHIP_CODE) and row.values[TOWNSHIP_CODE] != ex["parent__code"]:
                    self.error(
                        row.num,
                        TOWNSHIP_CODE,
                        f"该村(社区)在系统中属于{ex['parent__code']},不能通过导入更改所属乡镇",
                    )
                village = editable[code]
                merged = {f: getattr(village, f) for f in self.flag_fields}
                merged.update({f: row.values[f] for f in self.flag_fields if row.ok(f)})
                self.errors(row.num, _village_checks(Village(**merged)))

    def _check_new(self, row: Row) -> None:
        if row.ok(TOWNSHIP_CODE):
            tc = row.values[TOWNSHIP_CODE]
            parent = self.parents.get(tc)
            if parent is None:
                self.error(row.num, TOWNSHIP_CODE, f"乡镇(街道){tc}不存在或不在您的管辖范围内")
            else:
                code = row.values["code"]
                self.errors(row.num, _check_parent(code=code, level=Level.VILLAGE, parent=parent))
        flags = {f: v for f, v in self.full(row).items() if f in self.flag_fields}
        if all(row.ok(f) for f in self.flag_fields if f in self.present):
            self.errors(row.num, _village_checks(Village(**flags)))

    def write(self, batch: list[Row], phase: int) -> None:
        new = [r for r in batch if self.seen[r.values["code"]][1] is None]
        nodes = []
        for row in new:
            parent = self.parents[row.values[TOWNSHIP_CODE]]
            code = row.values["code"]
            nodes.append(
                Jurisdiction(
                    code=code,
                    name=row.values["name"],
                    level=Level.VILLAGE,
                    parent=parent,
                    path=parent.path + code + "/",
                )
            )
        Jurisdiction.objects.bulk_create(nodes)
        villages = [
            Village(
                jurisdiction=j,
                township_id=j.parent_id,
                **{f: v for f, v in self.full(row).items() if f in self.flag_fields},
            )
            for j, row in zip(nodes, new, strict=True)
        ]
        Village.objects.bulk_create(villages)
        self.created_ids.extend(v.pk for v in villages)
        self.report.created += len(villages)
        self._update([r for r in batch if self.seen[r.values["code"]][1] is not None])

    def _update(self, rows: list[Row]) -> None:
        pks = [self.seen[r.values["code"]][1] for r in rows]
        existing = Village.objects.select_related("jurisdiction").in_bulk(pks)
        fields = [f for f in self.flag_fields if f in self.present]
        changed_villages, renamed = [], []
        for row, pk in zip(rows, pks, strict=True):
            village = existing[pk]
            changed = False
            for f in fields:
                if getattr(village, f) != row.values[f]:
                    setattr(village, f, row.values[f])
                    changed = True
            if changed:
                changed_villages.append(village)
            j = village.jurisdiction
            if "name" in row.values and j.name != row.values["name"]:
                j.name = row.values["name"]
                renamed.append(j)
                changed = True
            self.counted(village.pk, changed)
        if fields and changed_villages:
            Village.objects.bulk_update(changed_villages, fields, batch_size=500)
        Jurisdiction.objects.bulk_update(renamed, ["name"], batch_size=500)
