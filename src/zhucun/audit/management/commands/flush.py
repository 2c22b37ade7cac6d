"""``flush`` empties every table, the audit events included: a deliberate maintenance act
(also the test suite's flush between transactional tests), so it lifts the database's
append-only guard on ``audit_event`` for its own transaction (audit/guard.py)."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from zhucun.audit.guard import audit_maintenance


class Command(FlushCommand):
    def handle(self, **options):
        with audit_maintenance(connections[options["database"]]):
            return super().handle(**options)
