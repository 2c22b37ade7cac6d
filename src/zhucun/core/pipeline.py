"""Several SQL statements in one round trip, with constant text — for the check-in writer.

``statements_run(statements)`` runs ``(sql, params)`` pairs in order inside the caller's
transaction and returns each one's rows (``[]`` for a statement without a result). On
PostgreSQL they go to the server in one psycopg pipeline (one round trip for all of them)
through server-side binding, so a statement's text — the same for every batch, whatever its
size — is prepared by the server after a few runs and then only bound and executed. On SQLite
they run one after the other through Django's cursor. Database errors come out as Django's
(``IntegrityError``, ``OperationalError`` …), and every statement is logged where Django logs
its own (``connection.queries``: tests count them with ``CaptureQueriesContext``).

``values_table(alias, columns, rows)`` is a batch's rows as a table in the FROM clause with
text that does not depend on the number of rows, passed as one JSON array of rows."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

Statement = tuple[str, Sequence[Any]]
# Prepared on the server at first use (Django leaves psycopg's automatic preparation off for
# connection poolers; a pooler in transaction mode needs ZHUCUN_DB_PREPARE=0).
PREPARE = os.environ.get("ZHUCUN_DB_PREPARE", "1") != "0"


def postgres() -> bool:
    return connection.vendor == "postgresql"


def values_table(
    alias: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]
) -> tuple[str, list[Any]]:
    """``rows`` as ``alias(col, …)`` for a FROM clause; ``columns`` are (name, PostgreSQL
    type). The rows go as one JSON parameter (``json.dumps`` in C is much cheaper than
    adapting every value): on PostgreSQL ``json_array_elements`` with each column cast to
    its type, on SQLite ``json_each`` with each value in the form Django stores it. A
    ``jsonb`` column takes the Python value itself (stored as JSON)."""
    pg = postgres()
    # (a jsonb column, any other column, the rows' source) on each database
    as_json, as_value, source = (
        (
            "NULLIF((r -> {i})::jsonb, 'null')",
            "(r ->> {i})::{t}",
            "json_array_elements(%s::json) AS r",
        )
        if pg
        else ("NULLIF(json(r.value -> {i}), 'null')", "r.value ->> {i}", "json_each(%s) AS r")
    )
    picks = ", ".join(
        (as_json if t == "jsonb" else as_value).format(i=i, t=t) + f" AS {name}"
        for i, (name, t) in enumerate(columns)
    )
    text = json.dumps(
        list(rows), ensure_ascii=False, separators=(",", ":"), default=_pg if pg else _sqlite
    )
    return f"(SELECT {picks} FROM {source}) AS {alias}", [text]


def in_list(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """``column`` IN ``values`` with text that does not depend on their number: an array on
    PostgreSQL (whose planner then knows how many there are and probes the index), a JSON
    array on SQLite."""
    if postgres():
        return f"{column} = ANY(%s)", [list(values)]
    text = json.dumps(list(values), ensure_ascii=False, default=_sqlite)
    return f"{column} IN (SELECT value FROM json_each(%s))", [text]


def _pg(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    raise TypeError(f"cannot pass {type(value).__name__} to SQL")


def _sqlite(value: Any) -> Any:
    """As Django's SQLite backend stores it: datetimes in UTC without zone, UUIDs as hex."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"cannot pass {type(value).__name__} to SQL")


def sql_value(value: Any) -> Any:
    """A single parameter of a statement: as it is for PostgreSQL (psycopg adapts it), in
    the form Django's SQLite backend stores it for SQLite."""
    if value is None or postgres() or isinstance(value, int | str | float):
        return value
    return _sqlite(value)


# A few index probes each: parallel workers would cost more to start (≈ 2 ms) than the
# statement (a prepared statement's generic plan may still ask for them).
_NO_PARALLEL = ("SET LOCAL max_parallel_workers_per_gather = 0", [])


def statements_run(
    statements: Sequence[Statement], *, oltp: bool = False
) -> list[list[tuple[Any, ...]]]:
    """Run ``statements`` in order in the current transaction; each one's rows. ``oltp``:
    short statements of a hot path — on PostgreSQL no parallel workers for the rest of the
    transaction (in the same round trip)."""
    if not statements:
        return []
    if not postgres():
        with connection.cursor() as cur:  # Django's cursor logs each statement itself
            results = []
            for sql, params in statements:
                cur.execute(sql, params)
                results.append(cur.fetchall() if cur.description is not None else [])
            return results
    if oltp:
        return statements_run([_NO_PARALLEL, *statements])[1:]
    started = time.perf_counter()
    results = _run_pipelined(_raw(), statements)
    _log(statements, (time.perf_counter() - started) / len(statements))
    return results


@contextmanager
def commit_together() -> Iterator[None]:
    """Around a ``transaction.atomic()`` block: on PostgreSQL, the statements given to
    ``statements_send`` inside it go to the server with the transaction's COMMIT, in one round
    trip (a psycopg pipeline open until the commit). Elsewhere it does nothing."""
    if not postgres():
        yield
        return
    with connection.wrap_database_errors, _raw().pipeline():
        yield


def statements_send(statements: Sequence[Statement]) -> None:
    """Run statements whose rows nobody reads: inside ``commit_together`` on PostgreSQL they
    are only queued (sent with the COMMIT; an error comes out of the commit), otherwise run
    at once."""
    raw = _raw() if postgres() else None
    if raw is None or raw._pipeline is None:
        statements_run(statements)
        return
    import psycopg

    with connection.wrap_database_errors:
        for sql, params in statements:
            psycopg.Cursor(raw).execute(sql, params, prepare=PREPARE)
    _log(statements, 0.0)


def _raw() -> Any:
    """Django's psycopg connection, opened, and set so that ``prepare=True`` prepares: Django
    turns psycopg's preparation off (None), and then even prepare=True does nothing. Django's
    own cursors bind on the client and never prepare, so a threshold no query reaches leaves
    them as they are and lets ours be prepared when asked."""
    connection.ensure_connection()
    raw = connection.connection
    if PREPARE and raw.prepare_threshold is None:
        raw.prepare_threshold = 2**31 - 1
    return raw


def _log(statements: Sequence[Statement], seconds_each: float) -> None:
    """Where Django logs its own statements (``CaptureQueriesContext`` counts them)."""
    if connection.queries_logged:
        for sql, _params in statements:
            connection.queries_log.append({"sql": sql, "time": f"{seconds_each:.3f}"})


def _run_pipelined(raw: Any, statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    import psycopg

    with connection.wrap_database_errors:
        cursors = [psycopg.Cursor(raw) for _ in statements]
        try:
            with raw.pipeline():
                for cur, (sql, params) in zip(cursors, statements, strict=True):
                    cur.execute(sql, params, prepare=PREPARE)
            return [cur.fetchall() if cur.description is not None else [] for cur in cursors]
        finally:
            for cur in cursors:
                cur.close()
