"""Small helpers for reading the rendered pages."""

from __future__ import annotations

import re

ROLES = [
    "admin",
    "prefecture",
    "county",
    "township",
    "unit",
    "first_secretary",
    "team_member",
    "village_secretary",
]


def html(response) -> str:
    return response.content.decode("utf-8")


def table_pks(response, table_id: str) -> set[int]:
    """The ``data-pk`` of each row of the table with ``table_id``."""
    text = html(response)
    start = text.index(f'id="{table_id}"')
    end = text.index("</table>", start)
    return {int(pk) for pk in re.findall(r'data-pk="(\d+)"', text[start:end])}


def login(client, world, role: str):
    client.force_login(world.users[role])
    return world.users[role]
