"""The sheet of initial passwords handed out after opening accounts in bulk (through the one
writer, ``core.files_out``: names stay text)."""

from __future__ import annotations

from collections.abc import Sequence

from zhucun.accounts.models import User
from zhucun.core.files_out import Book

HEADERS = ["用户名", "姓名", "角色", "驻村", "初始密码"]
WIDTHS = [14, 12, 12, 18, 18]


def initial_passwords_xlsx(rows: Sequence[tuple[User, str, str]]) -> bytes:
    """``rows``: (user, village name, one-time password) → .xlsx bytes."""
    book = Book()
    sheet = book.sheet("初始密码")
    sheet.widths(WIDTHS)
    sheet.freeze("A3")
    sheet.print_setup(header_rows="2:2", landscape=False)
    sheet.title("驻村干部账号初始密码")
    sheet.header(HEADERS)
    for user, village, password in rows:
        sheet.append([user.username, user.display_name, user.get_role_display(), village, password])
    sheet.append([])
    sheet.append(["首次登录后须立即修改密码;本表发放后请妥善销毁。"])
    sheet.signature()
    return book.to_bytes()
