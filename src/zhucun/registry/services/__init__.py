"""Write side of the registry: one business action per function, one transaction each,
each recorded in the audit trail. Views, API, imports and the demo all call these."""

from .cadre_file import cadre_file_record
from .cadres import cadre_create, cadre_update
from .jurisdictions import jurisdiction_create, village_create, village_update
from .postings import posting_create, posting_end
from .units import unit_create, unit_update

__all__ = [
    "cadre_create",
    "cadre_file_record",
    "cadre_update",
    "jurisdiction_create",
    "posting_create",
    "posting_end",
    "unit_create",
    "unit_update",
    "village_create",
    "village_update",
]
