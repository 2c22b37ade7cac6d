"""MGT.1.CHECKIN: check-ins made with another app (the 「云岭先锋」 export or any similar
sheet) imported as an equal source — ``zhucun import checkins FILE --source NAME``, the web
page and ``POST /api/v1/checkins/import``. Registered as an import kind of the registry's
engine by ``AttendanceConfig.ready`` (the registry may not import attendance)."""

from __future__ import annotations

from .columns import KIND, LABEL


def register() -> None:
    from zhucun.registry.imports import register_kind

    from . import columns as c
    from .handler import CheckinsHandler

    register_kind(
        kind=KIND,
        label=LABEL,
        handler=CheckinsHandler,
        spec=c.SPEC,
        examples=c.EXAMPLE,
        key_note=c.KEY_NOTE,
        notes=c.NOTES,
        help=c.HELP,
        aliases=c.ALIASES,
        lists={"datum": c.DATUMS},
    )


__all__ = ["KIND", "LABEL", "register"]
