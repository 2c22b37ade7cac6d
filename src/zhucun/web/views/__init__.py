"""Server-rendered pages, one module per domain. Views read through
``zhucun.registry.selectors``/``scopes`` and write only through ``zhucun.registry.services``."""
