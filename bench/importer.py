"""干部名册导入: a generated 50,000-row cadre .xlsx (``registry.imports.samples.
write_cadre_xlsx``) imported into the prefecture-scale database through the real command
(``zhucun import cadres FILE --user …``: validate every row, then write everything in one
transaction) — wall time and peak RSS of the importing process — against reading the same file
with ``openpyxl.load_workbook(read_only=True)`` and iterating every value (a plain Python
process without Django).

The import runs inside an outer transaction that is rolled back, so reruns import the same
50,000 new cadres into the same database; the deferred foreign-key checks that COMMIT would
run are forced inside the timed part (only the commit's WAL flush is left out)."""

from __future__ import annotations

import hashlib
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from .common import (
    Context,
    Result,
    Timer,
    argv_value,
    driver_main,
    pg_connect,
    ratio,
    run_driver,
    scale_label,
)

NAME = "importer"
ROWS = 50_000
QUICK_ROWS = 5_000
SCALE = "prefecture"
SAMPLE_SEED = 1
VACUUMED = ("registry_cadre", "audit_event", "audit_chainhead")


def run(ctx: Context) -> list[Result]:
    scale = ctx.scale_for(SCALE)
    url = ctx.database_url(scale)
    rows = QUICK_ROWS if ctx.quick else ROWS
    who = run_driver(NAME, "prepare", database_url=url)
    digest = hashlib.sha1(who["unit"].encode()).hexdigest()[:8]
    path = ctx.workdir / f"cadres-{rows}-seed{SAMPLE_SEED}-{digest}.xlsx"
    if not path.exists():
        made = run_driver(
            NAME,
            "write",
            "--rows",
            str(rows),
            "--unit",
            who["unit"],
            "--out",
            str(path),
            database_url=url,
        )
        print(f"  生成 {path.name}:{made['seconds']:.1f} 秒")
    size_mb = path.stat().st_size / 2**20
    print(f"  {rows:,} 行干部名册 {size_mb:.1f} MB;以 {who['username']}({who['role']})身份导入")
    with pg_connect(url.rsplit("/", 1)[1], autocommit=True) as conn:
        for table in VACUUMED:  # dead rows of earlier rolled-back imports
            conn.execute(f"VACUUM ANALYZE {table}")
    base = run_driver(NAME, "openpyxl", "--file", str(path))
    imp = run_driver(
        NAME, "import", "--file", str(path), "--user", who["username"], database_url=url
    )
    ctx.details[NAME] = {
        "file": path.name,
        "size_mb": round(size_mb, 2),
        "rows": rows,
        "user": who,
        "openpyxl": base,
        "import": imp,
    }
    label = f"导入{rows:,}行干部名册(.xlsx,{scale_label(scale)})"
    ok = imp.get("ok", False)
    note = (
        f"导入:新增 {imp.get('created', 0):,},更新 {imp.get('updated', 0):,}"
        if ok
        else f"导入失败:{imp.get('summary') or imp.get('error', '')[:200]}"
    )
    t_ratio = ratio(imp["seconds"], base["seconds"])
    m_ratio = ratio(imp["peak_rss_mb"], base["peak_rss_mb"])
    return [
        Result(
            label,
            "耗时(秒)",
            imp["seconds"],
            base["seconds"],
            t_ratio,
            "参考(比值 = 导入/openpyxl 只读遍历)",
            None if ok else False,
            f"{note};导入 = 校验 + 写库(含审计事件),事务回滚;基准 = openpyxl read_only 遍历全部单元格",
        ),
        Result(
            label,
            "峰值内存(MB)",
            imp["peak_rss_mb"],
            base["peak_rss_mb"],
            m_ratio,
            "参考(比值 = 导入/openpyxl 只读遍历)",
            None if ok else False,
            f"ru_maxrss;导入进程含 Django 启动(空载 {imp.get('startup_rss_mb', 0):.0f} MB),"
            "基准进程只有 openpyxl",
        ),
    ]


# ---- drivers ---------------------------------------------------------------------------------


def driver_prepare(args: list[str]) -> dict[str, Any]:
    """An importing user (the prefecture's organisation department) and a dispatching unit
    it may use."""
    from zhucun.accounts.models import User, UserRole
    from zhucun.registry import scopes

    user = (
        User.objects.filter(role=UserRole.PREFECTURE, is_active=True, jurisdiction__isnull=False)
        .order_by("pk")
        .first()
    )
    if user is None:
        user = User.objects.filter(role=UserRole.ADMIN, is_active=True).order_by("pk").first()
    if user is None:
        raise SystemExit("库中没有州级或管理员用户,无法导入")
    unit = scopes.units_visible(user).order_by("pk").values_list("name", flat=True).first()
    if unit is None:
        raise SystemExit(f"{user.username} 看不到任何派出单位")
    return {"username": user.username, "role": user.role, "unit": unit}


def driver_write(args: list[str]) -> dict[str, Any]:
    from zhucun.registry.imports.samples import write_cadre_xlsx

    out = Path(argv_value(args, "--out") or "cadres.xlsx")
    tmp = out.with_suffix(".partial.xlsx")
    with Timer() as t:
        write_cadre_xlsx(
            tmp,
            int(argv_value(args, "--rows", str(ROWS)) or ROWS),
            unit_name=argv_value(args, "--unit") or "",
            seed=SAMPLE_SEED,
        )
    tmp.replace(out)
    return {"seconds": t.seconds}


def driver_openpyxl(args: list[str]) -> dict[str, Any]:
    """The library's own floor: open read-only, touch every value."""
    from openpyxl import load_workbook

    path = argv_value(args, "--file") or ""
    with Timer() as t:
        wb = load_workbook(path, read_only=True)
        cells = rows = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                rows += 1
                cells += sum(1 for v in row if v is not None)
        wb.close()
    return {"seconds": t.seconds, "rows": rows, "cells": cells}


def driver_import(args: list[str]) -> dict[str, Any]:
    """``zhucun import cadres FILE --user NAME`` (call_command), rolled back afterwards."""
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from .common import peak_rss_mb

    connection.ensure_connection()
    startup = peak_rss_mb()
    out, err = io.StringIO(), io.StringIO()
    ok, summary = True, ""
    with Timer() as t, transaction.atomic():
        try:
            with redirect_stdout(out), redirect_stderr(err):
                call_command(
                    "import",
                    "cadres",
                    argv_value(args, "--file"),
                    user=argv_value(args, "--user"),
                    stdout=out,
                    stderr=err,
                )
        except CommandError as exc:
            ok, summary = False, str(exc)
        if connection.vendor == "postgresql":  # the deferred FK checks COMMIT would run
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)
    text = out.getvalue().strip()
    created = updated = 0

    if m := re.search(r"新增\s*(\d+)", text):
        created = int(m.group(1))
    if m := re.search(r"更新\s*(\d+)", text):
        updated = int(m.group(1))
    return {
        "seconds": t.seconds,
        "ok": ok,
        "summary": summary or text[-300:],
        "errors": err.getvalue()[-1500:],
        "created": created,
        "updated": updated,
        "startup_rss_mb": round(startup, 1),
    }


if __name__ == "__main__":
    driver_main(
        {
            "prepare": driver_prepare,
            "write": driver_write,
            "openpyxl": driver_openpyxl,
            "import": driver_import,
        },
        plain=("openpyxl",),
    )
