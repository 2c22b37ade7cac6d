"""The postings import with the checks every posting path runs (``services.posting_checks``):
the registry's handler checks references, dates and one-post-per-cadre; this one adds
screening on the arrival date, the village's team with the file's newcomers in, and the term.
Errors are row errors; a warning needs the row's 说明理由. Registered for the kind
``postings`` by ``SelectionConfig.ready`` (the registry may not import selection)."""

from __future__ import annotations

from typing import Any

from zhucun.registry.imports.base import Row
from zhucun.registry.imports.postings import PostingsHandler
from zhucun.registry.models import Cadre, Posting, PostingStatus, Village

from .adapters import team_member_of
from .selectors import cadres_postable
from .services.posting_checks import newcomer_of, posting_findings


class ScreenedPostingsHandler(PostingsHandler):
    def postable(self) -> Any:
        return cadres_postable(self.actor)

    def load(self) -> None:
        super().load()
        self.postings_to_check: list[tuple[int, dict[str, Any]]] = []

    def check(self, batch: list[Row]) -> None:
        super().check(batch)
        for row in batch:
            values = self.full(row)
            if self._key(row) is None or values.get("status") == PostingStatus.ENDED:
                continue
            self.postings_to_check.append((row.num, values))

    def finish_check(self) -> None:
        super().finish_check()
        if self.report.error_count or not self.postings_to_check:
            return
        rows = self.postings_to_check
        cadres = Cadre.objects.select_related("unit").in_bulk(
            [self.cadres[v["id_number"]][0] for _, v in rows]
        )
        villages = Village.objects.select_related("jurisdiction").in_bulk(
            [self.villages[v["village_code"]] for _, v in rows]
        )
        in_file = set(cadres)
        teams: dict[int, list[Any]] = {}
        for p in Posting.objects.filter(
            village_id__in=list(villages), status=PostingStatus.ACTIVE
        ).select_related("cadre"):
            if p.cadre_id not in in_file:  # the file's own rows stand for these cadres
                teams.setdefault(p.village_id, []).append(team_member_of(p))
        for num, values in sorted(rows):
            cadre = cadres[self.cadres[values["id_number"]][0]]
            village = villages[self.villages[values["village_code"]]]
            members = teams.setdefault(village.pk, [])
            deciding, _ = posting_findings(
                cadre=cadre,
                role=values["role"],
                village=village,
                arrival=values["arrival_date"],
                planned_end=values.get("planned_end"),
                members=list(members),
            )
            reason = (values.get("reason") or "").strip()
            for f in deciding:
                if f.severity == "error":
                    self.error(num, "id_number", f.message)
                elif f.severity == "warning" and not reason:
                    self.error(num, "reason", f"{f.message} —— 如确需继续,请在“说明理由”列写明理由")
            members.append(newcomer_of(cadre, values["role"]))
