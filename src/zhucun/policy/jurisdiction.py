"""Administrative division codes (行政区划代码) as parameter jurisdictions.

A code is given in its short form (``"533100"`` 德宏州, ``"533103102"`` 遮放镇) or its full
statistical form of twelve digits (``"533103102000"``); both are normalised to the full form
by padding with zeros.  The level boundaries are 省 2, 州 4, 县 6, 乡 9, 村 12 digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

_LEVEL_ENDS = (2, 4, 6, 9, 12)
_FULL = _LEVEL_ENDS[-1]


def normalize_code(code: str) -> str:
    """The full (zero-padded) form of a division code; ``ValueError`` if it is not one."""
    text = code.strip() if isinstance(code, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) in _LEVEL_ENDS):
        raise ValueError(
            f"行政区划代码 {code!r} 无效:应为 2、4、6、9 或 12 位数字 / "
            "invalid division code: expected 2, 4, 6, 9 or 12 digits"
        )
    return text.ljust(_FULL, "0")


@lru_cache(maxsize=65_536)  # pure; asked for every parameter lookup (memory, not policy)
def ancestors(code: str) -> tuple[str, ...]:
    """The code and every enclosing division, from the most specific to the province.

    ``ancestors("533103102")`` is ``("533103102000", "533103000000", "533100000000",
    "530000000000")``.
    """
    full = normalize_code(code)
    chain: list[str] = []
    for end in reversed(_LEVEL_ENDS):
        candidate = full[:end].ljust(_FULL, "0")
        if candidate not in chain:
            chain.append(candidate)
    return tuple(chain)


def resolve_chain(jurisdiction: str | Sequence[str], *, home: str) -> tuple[str, ...]:
    """The chain of codes a lookup walks, most specific first.

    A single code stands for itself and all its ancestors; an explicit sequence is used as
    given (normalised); an empty sequence means the parameter file's home jurisdiction.
    """
    if isinstance(jurisdiction, str):
        return ancestors(jurisdiction)
    if not jurisdiction:
        return ancestors(home)
    return tuple(normalize_code(code) for code in jurisdiction)
