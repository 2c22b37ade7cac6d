"""A year's holiday schedule typed as lines or loaded from a file (CSV: 日期, 休/班, 名称), as
the State Council notice lists it: the weekday holidays (休) and the weekend 调休 workdays (班).
Parsed here once for the page, the upload and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

LINE = re.compile(r"^(\S+)\s+(\S+)(?:\s+(.*))?$")
KIND_WORDS = {"休": False, "班": True}
MAX_NAME = 32
MAX_FILE_BYTES = 64 * 1024  # a year is at most 366 lines: a larger file is not a schedule
Entry = tuple[dt.date, bool, str]


def parse_entry(n: int, day_text: str, kind: str, name: str) -> tuple[Entry | None, str]:
    """One line's fields → (entry, "") or (None, the Chinese reason naming line ``n``)."""
    try:
        day = dt.date.fromisoformat(day_text.strip().replace("/", "-"))
    except ValueError:
        return None, f"第{n}行:日期“{day_text}”无效,应为 YYYY-MM-DD"
    kind = kind.strip()
    if kind not in KIND_WORDS:
        return None, f"第{n}行:第二项“{kind}”应为“休”(放假)或“班”(调休上班)"
    name = name.strip()
    if len(name) > MAX_NAME:
        return None, f"第{n}行:名称过长(最多{MAX_NAME}个字)"
    return (day, KIND_WORDS[kind], name), ""


def parse_lines(text: str) -> tuple[list[Entry], list[str]]:
    """Lines "YYYY-MM-DD 休 元旦" / "YYYY-MM-DD 班 春节调休" → entries and per-line errors."""
    entries: list[Entry] = []
    errors: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            errors.append(f"第{n}行“{line}”:应为“日期 休/班 名称”,如“2027-01-01 休 元旦”")
            continue
        entry, error = parse_entry(n, m.group(1), m.group(2), m.group(3) or "")
        if entry is None:
            errors.append(error)
        else:
            entries.append(entry)
    return entries, errors


def parse_file(data: bytes) -> tuple[list[Entry], list[str]]:
    """A CSV (UTF-8, with or without BOM, or GBK as Excel saves it in China) of rows
    日期, 休/班, 名称; a header row and empty rows are skipped."""
    if len(data) > MAX_FILE_BYTES:
        return [], [f"文件过大(超过{MAX_FILE_BYTES // 1024} KB),节假日安排每年不超过366行"]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        return [], ["文件编码无法识别,请另存为 UTF-8 或 GBK 编码的 CSV"]
    entries: list[Entry] = []
    errors: list[str] = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if n == 1 and cells[0] in ("日期", "date"):
            continue
        if len(cells) < 2:
            errors.append(f"第{n}行:应有“日期, 休/班, 名称”三列")
            continue
        entry, error = parse_entry(n, cells[0], cells[1], cells[2] if len(cells) > 2 else "")
        if entry is None:
            errors.append(error)
        else:
            entries.append(entry)
    return entries, errors
