"""Each module's to-do providers; importing this package registers them all."""

from . import (  # noqa: F401
    assessment,
    attendance,
    calendar,
    parameters,
    review,
    rotation,
    selection,
    support,
    tenure,
    work,
)
