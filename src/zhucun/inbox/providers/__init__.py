"""Each module's to-do providers; importing this package registers them all."""

from . import (  # noqa: F401
    assessment,
    attendance,
    calendar,
    rotation,
    review,
    selection,
    support,
    tenure,
    work,
)
