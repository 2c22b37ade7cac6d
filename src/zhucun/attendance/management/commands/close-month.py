"""``zhucun close-month`` (the hyphenated name the CLI documents); see close_month.py."""

from .close_month import Command

__all__ = ["Command"]
