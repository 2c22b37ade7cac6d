"""What a typed query matches, as database filters: a cadre by name or ID number, a village by
name or division code, a unit by name. The lists' ``q`` filters and the one search box
(``search.py``) use the same rules, so the search's 「更多」 leads to the same rows.

An ID number is matched only as far as the user may read it (``disclosure.py``):

- a user who reads a cadre's number in full (``scopes.cadres_fully_readable``) finds that cadre
  by the whole number, its last digits (at least ``ID_TAIL_MIN``) or a masked form with any
  digits shown (``5331**********1234``);
- every other user finds a cadre only by what the pages show of the number: a masked form with
  at most the first ``ID_SHOWN_HEAD`` and the last ``ID_SHOWN_TAIL`` digits
  (``53**************7X``). A query that would compare a digit the user cannot see matches no
  number at all (and says why), so a search result never tells a hidden digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from zhucun.accounts.models import User

from . import scopes
from .disclosure import ID_SHOWN_HEAD, ID_SHOWN_TAIL

ID_LENGTH = 18
ID_TAIL_MIN = 4  # the fewest last digits a full-ID reader may search by
_FULL = re.compile(r"[0-9]{17}[0-9X]")
_TAIL = re.compile(r"[0-9]*[0-9X]")
_MASKED = re.compile(r"([0-9]*)\*+([0-9]*[0-9X]?)")

HIDDEN_DIGITS = (
    "您的角色只能看到身份证号的前{head}位和后{tail}位,只能按页面显示的形式查找"
    "(如“53**************7X”),不能按其他位数字查找"
)


@dataclass(frozen=True)
class IdQuery:
    """A query read as (part of) an ID number: the digits before and after the hidden part.
    ``head`` and ``tail`` both full for the whole number."""

    head: str
    tail: str

    @property
    def whole(self) -> bool:
        return len(self.head) == ID_LENGTH

    def q(self) -> Q:
        if self.whole:
            return Q(id_number=self.head)
        cond = Q()
        if self.head:
            cond &= Q(id_number__startswith=self.head)
        if self.tail:
            cond &= Q(id_number__endswith=self.tail)
        return cond

    @property
    def within_shown(self) -> bool:
        """Whether it compares only digits a masked page shows."""
        return (
            not self.whole and len(self.head) <= ID_SHOWN_HEAD and len(self.tail) <= ID_SHOWN_TAIL
        )


def normalise(raw: str) -> str:
    """The query trimmed, full-width digits, letters and ＊ as ASCII (NFKC): for codes and ID
    numbers (names are compared as typed)."""
    return unicodedata.normalize("NFKC", raw or "").strip()


def id_query(raw: str) -> IdQuery | None:
    """``raw`` read as an ID number: the whole number, its last digits (``ID_TAIL_MIN`` or
    more) or a masked form (``*`` for the hidden digits, at least two digits shown); ``None``
    when it does not look like one (a name, a village code of 12 digits is also a tail)."""
    s = normalise(raw).replace(" ", "").upper()
    if _FULL.fullmatch(s):
        return IdQuery(head=s, tail="")
    if _TAIL.fullmatch(s) and ID_TAIL_MIN <= len(s) < ID_LENGTH:
        return IdQuery(head="", tail=s)
    m = _MASKED.fullmatch(s)
    if m and len(m.group(1)) + len(m.group(2)) >= 2 and len(s) <= ID_LENGTH:
        return IdQuery(head=m.group(1), tail=m.group(2))
    return None


def cadre_q(user: User, raw: str) -> tuple[Q, str]:
    """The filter for cadres matching ``raw`` (name contains it, or the ID number as far as
    ``user`` may read it) and a hint when the ID part was refused ("" otherwise)."""
    cond = Q(name__contains=(raw or "").strip())
    number = id_query(raw)
    if number is None:
        return cond, ""
    cond |= number.q() & scopes.cadres_fully_readable(user)
    if number.within_shown:
        cond |= number.q()
        return cond, ""
    if scopes.reads_full_id_numbers(user):
        return cond, ""
    return cond, HIDDEN_DIGITS.format(head=ID_SHOWN_HEAD, tail=ID_SHOWN_TAIL)


def village_q(raw: str) -> Q:
    """Villages whose name contains ``raw`` or whose division code starts with it."""
    name = (raw or "").strip()
    return Q(jurisdiction__name__contains=name) | Q(jurisdiction__code__startswith=normalise(raw))


def unit_q(raw: str) -> Q:
    """Units whose name contains ``raw``."""
    return Q(name__contains=(raw or "").strip())
