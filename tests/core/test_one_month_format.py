"""Issue 10: month names are formatted one way (2026年9月, never 2026年09月)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from zhucun.policy.dates import date_label, month_label

SRC = Path(__file__).resolve().parents[2] / "src" / "zhucun"


def test_month_and_day_labels() -> None:
    assert month_label(dt.date(2026, 9, 1)) == "2026年9月"
    assert month_label(dt.date(2026, 12, 31)) == "2026年12月"
    assert date_label(dt.date(2026, 9, 5)) == "2026年9月5日"


def test_no_module_writes_a_zero_padded_chinese_month() -> None:
    pattern = re.compile(r"%Y年%m月|\{[^}]*\.month:02[^}]*\}月")
    found = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []
