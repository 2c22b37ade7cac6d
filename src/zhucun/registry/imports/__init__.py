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
"""

from .columns import KINDS
from .engine import import_file
from .report import MAX_ERRORS, ImportReport, RowError
from .template import template_workbook

__all__ = ["KINDS", "MAX_ERRORS", "ImportReport", "RowError", "import_file", "template_workbook"]
