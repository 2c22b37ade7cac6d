"""Column sorting for the list pages: ``?sort=key`` (ascending) or ``?sort=-key`` (descending).

Each list names its sortable columns in a whitelist that maps a short key to the database
ordering (``{"name": "cadre__name", "arrival": ("arrival_date", "cadre__name")}``); a key not
in the whitelist is ignored (the list's default order), never an error. The order is applied
by the database (``ORDER BY``) before pagination; the primary key breaks ties so that a page
boundary never shows a row twice or skips one. Empty values sort last in both directions.

The header links come from the ``sort_th`` template tag (``web/templatetags/web.py``), which
keeps every filter of the current query and drops the page number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Expression, F, IntegerField, OrderBy, Value, When
from django.http import HttpRequest

SORT_PARAM = "sort"

Column = str | Expression
Ordering = Column | tuple[Column, ...]


def in_order(field: str, codes: Iterable[str]) -> Case:
    """An ordering by ``field`` in the order of ``codes`` (a workflow's states, levels from
    the top), not by the codes' spelling; other values after them."""
    whens = [When(**{field: code}, then=Value(i)) for i, code in enumerate(codes)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


@dataclass(frozen=True)
class Sort:
    """The order a list is shown in: ``key`` of the whitelist, its direction and the database
    fields behind it. ``param`` is what the query string says (``""`` for the default)."""

    key: str
    descending: bool
    fields: tuple[Column, ...]
    default: str

    @property
    def param(self) -> str:
        value = f"-{self.key}" if self.descending else self.key
        return "" if value == self.default else value

    def ordering(self) -> list[OrderBy]:
        """ORDER BY expressions: each field (a leading ``-`` reverses it within the key's
        ascending order), NULLs last, then the primary key."""
        out: list[OrderBy] = []
        names = set()
        for item in self.fields:
            if isinstance(item, str):
                reverse, column = item.startswith("-"), F(item.lstrip("-"))
                names.add(item.lstrip("-"))
            else:
                reverse, column = False, item
            down = reverse != self.descending
            out.append(column.desc(nulls_last=True) if down else column.asc(nulls_last=True))
        if not names & {"pk", "id"}:
            out.append(F("pk").desc() if self.descending else F("pk").asc())
        return out

    def apply(self, queryset: Any) -> Any:
        return queryset.order_by(*self.ordering())


def _split(value: str) -> tuple[str, bool]:
    value = value.strip()
    return (value[1:], True) if value.startswith("-") else (value, False)


def sort_param(request: HttpRequest, allowed: Mapping[str, Ordering], default: str) -> Sort:
    """The sort the request asks for (``?sort=``) among ``allowed``; ``default`` (a key of
    ``allowed``, ``-`` for descending) when absent or unknown."""
    default_key, default_desc = _split(default)
    if default_key not in allowed:
        raise ValueError(f"default sort {default!r} is not among the allowed keys")
    key, desc = _split(request.GET.get(SORT_PARAM, ""))
    if key not in allowed:
        key, desc = default_key, default_desc
    spec = allowed[key]
    fields = tuple(spec) if isinstance(spec, tuple) else (spec,)
    return Sort(key=key, descending=desc, fields=fields, default=default)
