"""Each module's to-do providers; importing this package registers them all."""

from . import attendance  # noqa: F401
