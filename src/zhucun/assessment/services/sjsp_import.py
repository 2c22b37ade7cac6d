"""MGT.8.SJSP: a township's 三讲三评 vote sheet (.xlsx or .csv) — the template with the team
prefilled, and its import through the project's one bounded reader.

Layout (two header rows, then one row per cadre)::

    干部编号 | 姓名 | 村(社区)干部          | 党员                  | 群众
             |      | 好 | 较好 | 一般 | 差 | 好 | 较好 | 一般 | 差 | 好 | 较好 | 一般 | 差

A cadre is identified by 干部编号 (the system's number, printed in the template) *and* 姓名,
which must agree: the two together cannot pick the wrong person of a team of at most five, and
neither discloses anything. The last four digits of the ID number, which townships often use,
are not used: a township is shown only the last two (registry.disclosure), and a template
handed round the village would print two more. A group whose four cells are all empty is left
as it was; in a group with some counts an empty cell is 0. Every row is checked first, errors
name the row and the column in Chinese, and nothing is written unless all pass."""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhucun.accounts.models import User
from zhucun.core.errors import ValidationFailed
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.policy.assessment import VOTE_LABELS, VOTER_GROUP_LABELS, VOTER_GROUPS, VOTES
from zhucun.policy.review import quarter_label
from zhucun.registry import validation
from zhucun.registry.imports.reader import (
    HEADER_SEARCH_ROWS,
    FileProblem,
    inspect,
    is_blank,
    iter_rows,
    norm_header,
    norm_value,
)

from ..models import SjspEvent, SjspTally
from .sjsp import count_value, event_for_writing, event_team, sjsp_tallies_record

KIND = "sjsp"
ID_HEADER = "干部编号"
NAME_HEADER = "姓名"
SHEET = "三讲三评票数"
FAILED = "导入未通过校验,没有写入任何数据"


def template_title(event: SjspEvent) -> str:
    village = event.village
    return (
        f"{village.township.name}{village.jurisdiction.name}"
        f"{quarter_label(event.year, event.quarter)}“三讲三评”票数登记表"
    )


def sjsp_template(event: SjspEvent) -> bytes:
    """The sheet to fill in: the team of the event's quarter prefilled (number and name), the
    counts already entered shown as they are."""
    ncols = 2 + len(VOTER_GROUPS) * len(VOTES)
    have = {(t.cadre_id, t.group): t for t in SjspTally.objects.filter(event=event).order_by()}
    head = Style(
        border=BORDER,
        font=Font(bold=True),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    cell = Style(border=BORDER)
    with Book() as book:
        sh = book.sheet(SHEET)
        sh.widths([10, 12] + [7] * (ncols - 2))
        sh.merge(f"A1:{get_column_letter(ncols)}1")
        sh.merge("A2:A3")
        sh.merge("B2:B3")
        for g in range(len(VOTER_GROUPS)):
            start = 3 + g * len(VOTES)
            sh.merge(f"{get_column_letter(start)}2:{get_column_letter(start + len(VOTES) - 1)}2")
        sh.freeze("C4")
        sh.print_setup(header_rows="2:3")
        sh.title(template_title(event), Style(font=Font(bold=True, size=14)))
        groups: list[Any] = [ID_HEADER, NAME_HEADER]
        for g in VOTER_GROUPS:
            groups += [VOTER_GROUP_LABELS[g]] + [None] * (len(VOTES) - 1)
        sh.append(groups, head)
        sh.append(["", ""] + [VOTE_LABELS[v] for _g in VOTER_GROUPS for v in VOTES], head)
        for pk, name in event_team(event).values_list("pk", "name"):
            counts: list[Any] = []
            for g in VOTER_GROUPS:
                t = have.get((pk, g))
                counts += [getattr(t, v) if t else None for v in VOTES]
            sh.append([pk, name, *counts], cell)
        note = book.sheet("填写说明")
        note.append(["说明"])
        for line in (
            "每名驻村干部一行;干部编号和姓名由系统预填,请勿修改。",
            "按评价人类别(村(社区)干部、党员、群众)分别填写“好”“较好”“一般”“差”的票数(非负整数)。",
            "某一类别四格全部空白的,该类别不导入(保留原有票数);部分填写的,空格按0票计。",
            "满意度=(“好”+“较好”)票数÷全部票数,按三类评价人合计计算(MGT.8.SJSP)。",
        ):
            note.append([line])
        return book.to_bytes()


def _columns(group_row: list[Any], vote_row: list[Any]) -> tuple[dict[str, int], list[str]]:
    """Column index of 干部编号, 姓名 and each ``group.vote``; the missing columns' labels."""
    found: dict[str, int] = {}
    by_group = {norm_header(label): code for code, label in VOTER_GROUP_LABELS.items()}
    by_vote = {norm_header(label): code for code, label in VOTE_LABELS.items()}
    group: str | None = None
    for i in range(max(len(group_row), len(vote_row))):
        top = norm_header(group_row[i]) if i < len(group_row) else ""
        low = norm_header(vote_row[i]) if i < len(vote_row) else ""
        if top in (ID_HEADER, NAME_HEADER) or low in (ID_HEADER, NAME_HEADER):
            found.setdefault(top or low, i)
            group = None
            continue
        if top:
            group = by_group.get(top)  # a merged cell names the group over its four columns
        if group and low in by_vote:
            found.setdefault(f"{group}.{by_vote[low]}", i)
    missing = [h for h in (ID_HEADER, NAME_HEADER) if h not in found]
    missing += [
        f"{VOTER_GROUP_LABELS[g]}·{VOTE_LABELS[v]}"
        for g in VOTER_GROUPS
        for v in VOTES
        if f"{g}.{v}" not in found
    ]
    return found, missing


def _cell(values: list[Any], i: int) -> Any:
    return norm_value(values[i]) if i < len(values) else None


def read_sheet(data: bytes, filename: str, team: dict[int, str]) -> list[dict[str, Any]]:
    """The sheet's rows as ``sjsp_tallies_record`` takes them; ValidationFailed naming every
    wrong row and column in Chinese (FileProblem for a file that cannot be read at all)."""
    src = inspect(io.BytesIO(data), filename, kind=KIND)
    rows = iter_rows(src)
    group_row: list[Any] | None = None
    for n, values in rows:
        if any(norm_header(x) == NAME_HEADER for x in values):
            group_row = values
            break
        if n >= HEADER_SEARCH_ROWS:
            break
    if group_row is None:
        raise FileProblem(f"文件前{HEADER_SEARCH_ROWS}行中没有“姓名”表头,请下载模板对照填写")
    vote_row = next(rows, (0, []))[1]
    columns, missing = _columns(group_row, vote_row)
    if missing:
        raise ValidationFailed(
            {
                "file": "缺少列:"
                + "、".join(missing)
                + "(表头为两行:评价人类别/好、较好、一般、差,请下载模板对照)"
            },
            FAILED,
        )
    errors: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for n, values in rows:
        if all(is_blank(x) for x in values):
            continue
        at = f"第{n}行"
        raw_id, raw_name = _cell(values, columns[ID_HEADER]), _cell(values, columns[NAME_HEADER])
        try:
            name = validation.identity_text(raw_name, max_length=32)
        except validation.FieldError as exc:
            errors[f"row{n}.name"] = f"{at}“姓名”列:{exc}"
            continue
        cadre_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
        if cadre_id is None and isinstance(raw_id, str) and raw_id.strip().isdigit():
            cadre_id = int(raw_id.strip())
        if cadre_id is None or team.get(cadre_id) != name:
            errors[f"row{n}.cadre"] = (
                f"{at}:干部编号“{'' if raw_id is None else raw_id}”、姓名“{name}”与本村该季度的"
                "驻村工作队成员不符(请使用系统下载的模板,勿改动干部编号和姓名)"
            )
            continue
        if cadre_id in seen:
            errors[f"row{n}.cadre"] = f"{at}:{name}已在第{seen[cadre_id]}行填写"
            continue
        seen[cadre_id] = n
        for g in VOTER_GROUPS:
            cells = {v: _cell(values, columns[f"{g}.{v}"]) for v in VOTES}
            if all(is_blank(x) for x in cells.values()):
                continue
            counts: dict[str, int] = {}
            for v, x in cells.items():
                got = 0 if is_blank(x) else count_value(x)
                if isinstance(got, str):
                    errors[f"row{n}.{g}.{v}"] = (
                        f"{at}({name})“{VOTER_GROUP_LABELS[g]}·{VOTE_LABELS[v]}”列:{got}"
                    )
                else:
                    counts[v] = got
            if len(counts) == len(VOTES):
                out.append({"cadre_id": cadre_id, "group": g, **counts})
    if errors:
        raise ValidationFailed(errors, FAILED)
    if not out:
        raise ValidationFailed({"file": "文件中没有填写任何票数"}, FAILED)
    return out


@transaction.atomic
def sjsp_tallies_import(
    *, actor: User, event_id: int, data: bytes, filename: str
) -> list[SjspTally]:
    """MGT.8.SJSP: the counted votes of an event from the township's sheet (module doc). The
    role and scope are checked before a byte of the file is read."""
    event = event_for_writing(actor, event_id)
    team = dict(event_team(event).values_list("pk", "name"))
    try:
        rows = read_sheet(data, filename, team)
    except FileProblem as exc:  # LimitExceeded included: the reason says which limit
        raise ValidationFailed({"file": str(exc)}, FAILED) from None
    return sjsp_tallies_record(
        actor=actor, event_id=event.pk, rows=rows, source=f"导入文件:{(filename or '')[:100]}"
    )
