"""The sheet of initial passwords handed out after opening accounts in bulk."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from .models import User

HEADERS = ["用户名", "姓名", "角色", "驻村", "初始密码"]


# files_out: the lead switches this to zhucun.core.files_out at merge (one writer for every
# xlsx/CSV the system writes); kept as this one small function so that is easy.
def initial_passwords_xlsx(rows: Sequence[tuple[User, str, str]]) -> bytes:
    """``rows``: (user, village name, one-time password) → .xlsx bytes (write-only)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("初始密码")
    ws.append(HEADERS)
    for user, village, password in rows:
        ws.append([user.username, user.display_name, user.get_role_display(), village, password])
    ws.append([])
    ws.append(["首次登录后须立即修改密码;本表发放后请妥善销毁。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
