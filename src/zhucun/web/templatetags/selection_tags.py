"""Selection facts shown on pages owned by other views (the village page's team check)."""

from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("web/selection/_team_check.html")
def team_check(village):
    """The village's active team checked by the composition rules (SEL.SCOPE.*, SEL.COND.NO5,
    SEL.SRC.XD), with clause ids — the same check as the coverage report and posting."""
    from zhucun.selection.services import team_findings
    from zhucun.web.views.selection import finding_rows

    findings = team_findings(village=village, on=timezone.localdate())
    return {"findings": finding_rows(findings)}
