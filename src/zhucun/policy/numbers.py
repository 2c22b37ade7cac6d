"""Chinese renderings of the numbers a message quotes from the parameters in force.

A text that quotes a policy number (三分之一, 10个工作日, 末3位…) renders it from the parameter,
so that another jurisdiction's value shows where Dehong's would.
"""

from __future__ import annotations

from fractions import Fraction

_DIGITS = "零一二三四五六七八九"


def chinese_int(n: int) -> str:
    """0–99 in Chinese numerals (十 for 10, 二十三 for 23); other numbers as Arabic digits."""
    digits = str(n)
    if n < 0 or len(digits) > len("99"):
        return digits
    if len(digits) == 1:
        return _DIGITS[n]
    tens, ones = (int(c) for c in digits)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def fraction_text(value: Fraction) -> str:
    """``Fraction(1, 3)`` → 三分之一 (the policy's way of writing a share)."""
    return f"{chinese_int(value.denominator)}分之{chinese_int(value.numerator)}"
