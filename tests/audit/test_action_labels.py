"""Every audit action the code records has a Chinese verb (issue 10 point 7): the audit page,
the admin's home and any export show zhucun.audit.labels, never the stored name."""

from __future__ import annotations

import re
from pathlib import Path

from zhucun.audit.labels import ACTION_LABELS, action_label, object_label
from zhucun.registry.imports.engine import HANDLERS
from zhucun.rotation.workflow import TRANSITIONS as ROTATION_STEPS
from zhucun.selection.deadlines import KINDS as MILESTONE_KINDS
from zhucun.selection.workflow import TRANSITIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "zhucun"
# action="x.y", action=... "x.y" if ... else "x.y", and stored names compared elsewhere
LITERAL = re.compile(r'"([a-z_]+\.[a-z_]+)"')
DYNAMIC = re.compile(r'action=f"([a-z_]+)\.\{')


def _recorded() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "event_record" not in text and "EventSpec" not in text:
            continue
        for line in text.splitlines():
            if "action" in line:
                names.update(LITERAL.findall(line))
        for head in DYNAMIC.findall(text):
            names.add(f"{head}.*")
    return names


def test_every_recorded_action_has_a_chinese_label():
    recorded = _recorded()
    expanded = {
        "nomination.*": {f"nomination.{a}" for a in ["create", *TRANSITIONS]},
        "posting.*": {f"posting.{k}" for k in MILESTONE_KINDS},
        "import.*": {f"import.{k}" for k in HANDLERS},
        "rotation.*": {f"rotation.{a}" for a in ["apply", *ROTATION_STEPS]},
    }
    wanted: set[str] = set()
    for name in recorded:
        if name.endswith(".*"):
            assert name in expanded, f"dynamic action {name}: list its values in this test"
            wanted |= expanded[name]
        elif not name.startswith(("zhucun.", "registry.", "attendance.check", "attendance.diary")):
            wanted.add(name)
    assert len(wanted) > 40  # the scan really found the actions
    missing = sorted(wanted - set(ACTION_LABELS))
    assert not missing, f"actions without a Chinese label: {missing}"
    for label in ACTION_LABELS.values():
        assert label and not label.isascii()


def test_unknown_names_never_show():
    assert action_label("nomination.propose") == "提出人选"
    assert action_label("something.new") == "其他操作"
    assert object_label("registry.cadre") == "干部"
    assert object_label("attendance.monthlyattendance") == "月度出勤"  # the model's own name
    assert object_label("nowhere.model") == "其他对象"
