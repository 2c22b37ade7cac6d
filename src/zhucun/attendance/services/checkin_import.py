"""MGT.1.CHECKIN: importing a sheet of check-ins made with another app (the 「云岭先锋」 export
or any similar sheet) — the entry point of the web page and the API; the command line goes
through ``zhucun import checkins``. The rows are read, checked and written by the registry's
import engine with ``attendance.imports.CheckinsHandler`` (all or nothing, a row report in
Chinese, one audit event for the file), each check-in recorded by ``checkins_import`` with
the judgement the phone's check-ins get."""

from __future__ import annotations

from typing import Any

from zhucun.accounts.models import User
from zhucun.core.errors import Forbidden
from zhucun.registry.imports import ImportReport, import_file

from ..imports import KIND
from .checkin_record import IMPORT_ROLES, NOT_AN_IMPORTER


def checkins_import_authorize(actor: User) -> None:
    """403 before the file is read for a role that does not import check-ins."""
    if actor.role not in IMPORT_ROLES:
        raise Forbidden(NOT_AN_IMPORTER)


def checkins_import_file(*, actor: User, fileobj: Any, filename: str, source: str) -> ImportReport:
    """Import the file as ``actor`` (county, township, prefecture, admin: only cadres posted
    in their jurisdiction); ``source`` names the app. Never raises for a bad file: the
    report says what is wrong, row by row."""
    checkins_import_authorize(actor)
    return import_file(
        actor=actor, kind=KIND, fileobj=fileobj, filename=filename, options={"source": source}
    )
