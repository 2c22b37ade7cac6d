"""ID numbers (GB 11643, 18 digits with the check digit) and mobile numbers that are unique
without remembering the numbers already issued.

An ID number is ``area(6) + birth date(8) + sequence(3) + check digit``; the sequence's last
digit is odd for men and even for women. Per area the issuer walks an affine permutation of
the space (birth day × 500 sequence pairs): the k-th number of an area is ``(a·k + b) mod M``
with ``gcd(a, M) = 1``, so numbers never repeat while k < M, and consecutive cadres get numbers
that look random. Memory: one counter per area. Mobile numbers use the same idea over the
cadre id."""

from __future__ import annotations

import datetime as dt
import math
import random
from operator import mul

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(body17: str) -> str:
    if len(body17) != 17:
        raise ValueError(f"身份证号本体应为17位:{body17!r}")
    return ID_CHECK[sum(map(mul, map(int, body17), ID_WEIGHTS)) % 11]


def id_valid(number: str) -> bool:
    return (
        len(number) == 18
        and number[:17].isdigit()
        and (number[17].isdigit() or number[17] == "X")
        and id_check_digit(number[:17]) == number[17]
    )


def _coprime_multiplier(modulus: int, start: int) -> int:
    a = start % modulus or 1
    while math.gcd(a, modulus) != 1:
        a += 1
    return a


class IdIssuer:
    """Unique ID numbers with births in [first_birth, last_birth]."""

    def __init__(self, *, first_birth: dt.date, last_birth: dt.date, seed: int) -> None:
        self.first_birth = first_birth
        self.days = (last_birth - first_birth).days + 1
        self.space = self.days * 500
        self.a = _coprime_multiplier(self.space, 2_654_435_761)
        self.seed = seed
        self.counters: dict[str, int] = {}

    def issue(self, area: str, female: bool) -> tuple[str, dt.date]:
        k = self.counters.get(area, 0)
        if k >= self.space:  # pragma: no cover - 3 million numbers per county
            raise RuntimeError(f"区划 {area} 的身份证号已用尽")
        self.counters[area] = k + 1
        b = (int(area) * 7_919 + self.seed * 104_729) % self.space
        v = (self.a * k + b) % self.space
        birth = self.first_birth + dt.timedelta(days=v // 500)
        seq = (v % 500) * 2 + (0 if female else 1)
        body = f"{area}{birth:%Y%m%d}{seq:03d}"
        return body + id_check_digit(body), birth


_PHONE_PREFIXES = [
    "139", "138", "137", "136", "135", "150", "151", "152", "157", "158", "159", "182", "183",
    "187", "188", "133", "153", "180", "189", "130", "131", "155", "156", "185", "186", "199",
]  # fmt: skip


class PhoneIssuer:
    """Unique 11-digit mobile numbers: number k is prefix + (a·k + b) mod 10⁸."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:phones")
        self.a = _coprime_multiplier(10**8, rng.randrange(10**7, 10**8))
        self.b = rng.randrange(10**8)
        self.rng = rng

    def issue(self, k: int) -> str:
        return self.rng.choice(_PHONE_PREFIXES) + f"{(self.a * k + self.b) % 10**8:08d}"
