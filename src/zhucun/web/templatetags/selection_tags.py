"""Selection facts shown on pages owned by other views (the village page's team check)."""

from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("web/selection/_team_check.html")
def team_check(village):
    """The village's active team checked by the composition rules with clause ids — the same
    check (``coverage_rows`` → ``team_findings``) as the coverage report and posting."""
    from zhucun.registry.models import Role
    from zhucun.selection.coverage import coverage_rows
    from zhucun.web.views.selection import COVERAGE_STATUS_CLASS, finding_rows

    row = coverage_rows([village], on=timezone.localdate())[0]
    fs = sum(1 for p in row.team if p.role == Role.FIRST_SECRETARY)  # settled reading
    return {
        "status": row.status,
        "status_class": COVERAGE_STATUS_CLASS.get(row.status, ""),
        "rule": "SEL.SCOPE.CAT3" if village.categories else "SEL.SCOPE.OTHER",
        "fs": fs,
        "tm": len(row.team) - fs,
        "size": len(row.team),
        "findings": finding_rows(row.findings),
    }
