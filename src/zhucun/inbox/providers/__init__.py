"""Each module's to-do providers; importing this package registers them all."""

from . import (  # noqa: F401
    attendance,
    review,
    rotation,
    selection,
    tenure,
)
