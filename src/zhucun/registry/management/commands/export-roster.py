"""``zhucun export-roster``: the same command as ``zhucun export_roster``."""

from .export_roster import Command  # noqa: F401
