"""``zhucun gen``: a synthetic, consistent and deterministic data set for benchmarks (issue #5).

Modules: ``scales`` (sizes and the geography of each scale), ``names`` (Chinese names and texts),
``ids`` (GB 11643 ID numbers, phones), ``world`` (jurisdictions, villages, units), ``people``
(cadres, postings, users, parameters), ``activity`` (check-ins, leave, diary), ``loader``
(COPY / executemany, truncation, sequences) and the command ``management/commands/gen.py``.

Every table is streamed row by row (generators) and written by PostgreSQL ``COPY`` or by one
SQLite ``executemany`` transaction, never through ORM saves; only compact per-village and
per-cadre arrays stay in memory. Rows are tuples of ``str``/``int``/``float``/``None`` in the
column order of the table's ``TableSpec``; a value never contains a tab, newline or carriage
return (the PostgreSQL text format escapes only the free-text columns)."""
