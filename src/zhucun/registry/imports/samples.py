"""Generated sample files for tests and benchmarks (valid, reproducible cadre rosters)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from os import PathLike
from typing import Any

from .. import validation

# 盈江县, 陇川县, 梁河县: areas the test world does not use, so generated IDs never clash
SAMPLE_AREAS = ("533123", "533124", "533122")
_SURNAMES = "李王张刘杨赵陈孙周吴郑线岳排早孟尹段思金番"
_GIVEN = "文华美玲国强小兵建明丽芳志勇海燕德昌春兰云龙晓东"
_ETHNICITIES = ("汉族", "傣族", "景颇族", "傈僳族", "德昂族", "阿昌族")


def id_number_with_check(body17: str) -> str:
    """Completes 17 digits with the GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(body17, validation._ID_WEIGHTS, strict=True))
    return body17 + validation._ID_CHECK[total % 11]


def cadre_rows(rows: int, *, unit_name: str, seed: int = 0) -> Iterator[list[Any]]:
    """``rows`` valid cadre records with unique ID numbers, in the column order of
    ``validation.CADRE_FIELDS`` (dates as ``date`` objects, flags as 是/否)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    start = dt.date(1976, 1, 1).toordinal()
    span = dt.date(2000, 12, 31).toordinal() - start
    while len(seen) < rows:
        birth = dt.date.fromordinal(start + rng.randrange(span))
        serial = rng.randrange(1000)
        number = id_number_with_check(f"{rng.choice(SAMPLE_AREAS)}{birth:%Y%m%d}{serial:03d}")
        if number in seen:
            continue
        seen.add(number)
        full = rng.random() < 0.7
        work_start = birth.replace(year=birth.year + 22, day=1)
        record = {
            "name": rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2)))),
            "gender": "男" if serial % 2 else "女",
            "ethnicity": rng.choice(_ETHNICITIES),
            "id_number": number,
            "phone": f"139{rng.randrange(10**8):08d}",
            "birth_date": birth,
            "education": rng.choice(("大学本科", "大学专科", "硕士研究生")),
            "unit_name": unit_name,
            "post": rng.choice(("科员", "副科长", "干事", "")),
            "party_status": "正式党员" if full else "非党员",
            "full_member_since": work_start.replace(year=work_start.year + 1) if full else None,
            "work_start_date": work_start,
            "occupation": "公务员",
            "occupation_code": "",
            "health_fit": "是",
            "family_hardship": "否",
            "spouse_id_number": "",
            "is_xuandiao": "否",
            "tech_commissioner": rng.choice(("是", "否")),
            "talent_program": "否",
            "rural_experience": rng.choice(("是", "否")),
            "agri_specialty": "否",
            "retired": "否",
            "age_exception": "否",
            "age_exception_note": "",
        }
        yield [record[f] for f in validation.CADRE_FIELDS]


def cadre_headers() -> list[str]:
    return [label for label, _cleaner in validation.CADRE_FIELDS.values()]


def write_cadre_xlsx(
    path: str | PathLike[str], rows: int, *, unit_name: str, seed: int = 0
) -> None:
    """Writes a cadre import file of ``rows`` valid rows (streaming, constant memory).
    ``unit_name`` must be a dispatching unit the importing user may use."""
    from zhucun.core.files_out import Book

    book = Book()
    sheet = book.sheet("驻村干部")
    sheet.append(cadre_headers())
    for row in cadre_rows(rows, unit_name=unit_name, seed=seed):
        sheet.append(row)
    book.save(path)
