"""Sheets of check-ins "exported from another app", for the import tests (MGT.1.CHECKIN)."""

from __future__ import annotations

import csv
import io
from typing import Any

from zhucun.attendance import services as att
from zhucun.core.files_out import Book
from zhucun.registry.imports import ImportReport

from .conftest import A_POINT_GCJ

HEADER = ["姓名", "身份证号", "签到时间", "纬度", "经度", "坐标系", "定位精度(米)", "签到地址"]


def row(
    name: str = "线美玲",
    *,
    id_number: str = "",
    when: str = "2025-03-03 08:30",
    pos: tuple[float, float] = A_POINT_GCJ,
    datum: str = "GCJ-02",
    accuracy: Any = "15",
    address: str = "弄坎村村委会",
) -> list[Any]:
    lat, lng = pos
    return [name, id_number, when, f"{lat:.6f}", f"{lng:.6f}", datum, accuracy, address]


def csv_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Book()
    sheet = book.sheet("签到记录")
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    return book.to_bytes()


def run(
    user: Any, data: bytes, *, filename: str = "签到.csv", source: str = "云岭先锋"
) -> ImportReport:
    return att.checkins_import_file(
        actor=user, fileobj=io.BytesIO(data), filename=filename, source=source
    )
