"""Count the 18-digit ID numbers (GB 11643) consistent with what a page shows of a cadre.

An ID number is area (6) + birth date YYYYMMDD (8) + sequence (3; the last digit odd for men,
even for women) + check digit (ISO 7064 MOD 11-2). Given the masked number as shown ('*' for a
hidden digit), the birth as shown (a full date, or a year), the gender as shown and the area
codes an attacker would try, count every number that agrees with all of it — exactly, by
enumeration (the sequence digits are summed per residue class so it stays fast).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
# 德宏州 and its five counties (芒市, 瑞丽市, 梁河县, 盈江县, 陇川县)
DEHONG_AREAS = ("533100", "533103", "533102", "533122", "533123", "533124")


def _matches(pattern: str, text: str, offset: int) -> bool:
    return all(
        p in ("*", c) for p, c in zip(pattern[offset : offset + len(text)], text, strict=True)
    )


def birth_dates(shown: str) -> list[dt.date]:
    """Every birth date consistent with the birth as shown: ``1980-11-30``, ``19801130``,
    ``1980.11`` (year and month) or ``1980年`` / ``1980`` (year only)."""
    shown = shown.strip()
    if m := re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", shown):
        return [dt.date(int(m[1]), int(m[2]), int(m[3]))]
    if m := re.fullmatch(r"(\d{4})\.(\d{2})", shown):
        first = dt.date(int(m[1]), int(m[2]), 1)
        return [
            first + dt.timedelta(days=i)
            for i in range(31)
            if (first + dt.timedelta(i)).month == first.month
        ]
    if m := re.fullmatch(r"(\d{4})年?", shown):
        first = dt.date(int(m[1]), 1, 1)
        return [
            first + dt.timedelta(days=i)
            for i in range(366)
            if (first + dt.timedelta(i)).year == first.year
        ]
    raise ValueError(f"unknown birth display {shown!r}")


def count_candidates(masked: str, *, birth: str, gender: str | None, areas: Iterable[str]) -> int:
    """How many valid ID numbers agree with ``masked`` (18 chars, '*' hidden), ``birth`` as
    shown, ``gender`` as shown (男/女, or None when not shown) and one of ``areas``."""
    assert len(masked) == 18, masked
    parities = {"男": (1,), "女": (0,), None: (0, 1)}[gender]
    # sequence 000–999 by residue of its weighted sum, only those agreeing with the pattern
    hist = [0] * 11
    for seq in range(1000):
        s = f"{seq:03d}"
        if int(s[2]) % 2 in parities and _matches(masked, s, 14):
            hist[sum(int(d) * w for d, w in zip(s, WEIGHTS[14:], strict=True)) % 11] += 1
    total = 0
    for area in set(areas):
        if not _matches(masked, area, 0):
            continue
        for day in birth_dates(birth):
            body = f"{area}{day:%Y%m%d}"
            if not _matches(masked, body, 0):
                continue
            head = sum(int(d) * w for d, w in zip(body, WEIGHTS[:14], strict=True))
            for r, n in enumerate(hist):
                if n and masked[17] in ("*", CHECK[(head + r) % 11]):
                    total += n
    return total
