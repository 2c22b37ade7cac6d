"""Excel (.xlsx) and CSV import of the registry: jurisdictions, villages, units, cadres and
postings, with downloadable templates.

Rules of the game (DESIGN.md, "Data that must never be lost or bent"):

* columns are matched by their Chinese header (from the FieldSpecs of registry.validation),
  in any order; unknown or missing required columns are errors;
* every row is validated first (field cleaners, cross-field checks, references in the
  user's scope, duplicates in the file, clashes with the database) and nothing is written
  unless all rows pass; then everything is written in one transaction, with one audit event;
* a row whose key exists updates that record with the columns present in the file
  (cadres by ID number, units by name, villages and jurisdictions by division code,
  postings by cadre + village + arrival date);
* files are streamed twice (validate, then write), never loaded whole.

Apps above the registry add kinds of their own with ``register_kind`` in their
AppConfig.ready() (attendance: ``checkins``, check-ins from another app); ``all_kinds()`` lists
them with the registry's, and the ``import`` and ``template`` commands take them.
"""

from .columns import KINDS, all_kinds, kind_label
from .engine import import_file, register_kind
from .report import MAX_ERRORS, ImportReport, RowError
from .template import template_workbook

__all__ = [
    "KINDS",
    "MAX_ERRORS",
    "ImportReport",
    "RowError",
    "all_kinds",
    "import_file",
    "kind_label",
    "register_kind",
    "template_workbook",
]
