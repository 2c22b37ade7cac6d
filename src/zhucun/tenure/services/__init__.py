"""Write side of tenure: one business action per function, one transaction each, audited."""

from .close import posting_close
from .handover import handover_save

__all__ = ["handover_save", "posting_close"]
