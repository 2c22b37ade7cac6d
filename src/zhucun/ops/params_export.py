"""The parameter values jurisdictions set and the holiday years administrators entered, as
JSON for people reading a backup (the dump holds them too). Read through the backup's
snapshot cursor, in plain SQL."""

from __future__ import annotations

import json
from typing import Any

from zhucun.accounts.models import User
from zhucun.params.models import HolidayEntry, HolidayYear, ParameterValue
from zhucun.registry.models import Jurisdiction


def _value(raw: Any) -> Any:
    """JSON columns come back as text on SQLite and as Python values on PostgreSQL."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def parameters_export(cursor: Any) -> dict[str, Any]:
    pv, j, u = ParameterValue._meta, Jurisdiction._meta, User._meta
    cursor.execute(
        f"SELECT p.id, p.name, j.code, j.name, p.effective, p.value, p.note, u.username, "
        f"p.created_at FROM {pv.db_table} p "
        f"JOIN {j.db_table} j ON j.id = p.{pv.get_field('jurisdiction').column} "
        f"JOIN {u.db_table} u ON u.id = p.{pv.get_field('created_by').column} "
        f"ORDER BY p.name, j.code, p.effective, p.id"
    )
    values = [
        {
            "id": row[0],
            "parameter": row[1],
            "jurisdiction_code": row[2],
            "jurisdiction": row[3],
            "effective": _text(row[4]),
            "value": _value(row[5]),
            "note": row[6],
            "set_by": row[7],
            "set_at": _text(row[8]),
        }
        for row in cursor.fetchall()
    ]
    hy, he = HolidayYear._meta, HolidayEntry._meta
    cursor.execute(f"SELECT id, year, source FROM {hy.db_table} ORDER BY year")
    years = {row[0]: {"year": row[1], "source": row[2], "days": []} for row in cursor.fetchall()}
    cursor.execute(
        f"SELECT {he.get_field('year').column}, day, is_workday, name FROM {he.db_table} "
        "ORDER BY day"
    )
    for year_id, day, is_workday, name in cursor.fetchall():
        if year_id in years:
            years[year_id]["days"].append(
                {"day": _text(day), "workday": bool(is_workday), "name": name}
            )
    return {
        "说明": "各辖区设置的参数取值与录入的节假日安排(数据库备份中也有)",
        "parameter_values": values,
        "holiday_years": list(years.values()),
    }
