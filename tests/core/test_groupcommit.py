"""Group commit (zhucun.core.groupcommit): batching, answers after the handler returns, and
what a waiting request gets when the database fails (503, never a lost acknowledgement)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, OperationalError

from zhucun.core.groupcommit import GroupCommitter, Unavailable

from ..conftest import is_postgres


@pytest.fixture
def committers():
    made: list[GroupCommitter] = []

    def make(handler, **kw):
        c = GroupCommitter(handler, **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.stop()


def submit_all(committer, items):
    results: dict[int, object] = {}

    def run(x):
        try:
            results[x] = committer.submit(x, timeout=10)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[x] = exc

    threads = [threading.Thread(target=run, args=(x,)) for x in items]
    for t in threads:
        t.start()
    return threads, results


def test_requests_waiting_during_a_commit_share_the_next_one(committers):
    first_batch_entered, release = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def handler(items):
        batches.append(list(items))
        if len(batches) == 1:
            first_batch_entered.set()
            release.wait(10)  # the "commit" of the first batch is slow
        return [x * 10 for x in items]

    c = committers(handler)
    t0, r0 = submit_all(c, [0])
    assert first_batch_entered.wait(10)
    threads, results = submit_all(c, list(range(1, 16)))
    while c._queue.qsize() < 15:  # all fifteen are queued behind the slow commit
        threading.Event().wait(0.005)
    release.set()
    for t in [*t0, *threads]:
        t.join(10)
    assert batches[0] == [0]
    assert sorted(batches[1]) == list(range(1, 16)) and len(batches) == 2
    assert r0[0] == 0 and all(results[x] == x * 10 for x in range(1, 16))
    assert c.batches == 2 and c.items == 16


def test_database_unavailable_answers_503_and_the_writer_recovers(committers):
    down = {"yes": True}

    def handler(items):
        if down["yes"]:
            raise OperationalError("connection refused")
        return list(items)

    c = committers(handler)
    with pytest.raises(Unavailable) as info:
        c.submit(1, timeout=10)
    assert info.value.status == 503 and "重发" in info.value.message
    down["yes"] = False
    assert c.submit(2, timeout=10) == 2


def test_one_bad_item_does_not_fail_its_batch(committers):
    entered, release = threading.Event(), threading.Event()
    calls: list[list[int]] = []

    def handler(items):
        calls.append(list(items))
        if items == [0]:
            entered.set()
            release.wait(10)
        if 7 in items:
            raise DatabaseError("value too long for type character varying")
        return [f"ok{x}" for x in items]

    c = committers(handler)
    t0, _ = submit_all(c, [0])
    assert entered.wait(10)
    threads, results = submit_all(c, [5, 6, 7, 8])
    while c._queue.qsize() < 4:
        threading.Event().wait(0.005)
    release.set()
    for t in [*t0, *threads]:
        t.join(10)
    assert results[5] == "ok5" and results[6] == "ok6" and results[8] == "ok8"
    assert isinstance(results[7], Unavailable)
    assert [7] in calls  # retried on its own after the batch failed


def test_a_handler_bug_reaches_the_caller_not_the_writer(committers):
    def handler(items):
        if items == [1]:
            raise ValueError("bug")
        return list(items)

    c = committers(handler)
    with pytest.raises(ValueError):
        c.submit(1, timeout=10)
    assert c.submit(2, timeout=10) == 2  # the writer is still alive


def test_two_writers_commit_side_by_side_and_stop_together(committers):
    inside, release = threading.Barrier(3), threading.Event()

    def handler(items):
        if items[0] in (1, 2):
            inside.wait(10)  # both writers are inside a batch at the same time
            release.wait(10)
        return list(items)

    c = committers(handler, writers=2, max_batch=1)  # one item per batch: two batches
    threads, results = submit_all(c, [1, 2])
    inside.wait(10)  # would time out (BrokenBarrierError) with a single writer
    release.set()
    for t in threads:
        t.join(10)
    assert results == {1: 1, 2: 2}
    c.stop()
    assert all(not t.is_alive() for t in c._threads) and c._threads == []
    assert c.submit(3, timeout=10) == 3  # new writers start on demand


def test_a_request_that_gave_up_is_not_written_later(committers):
    """A 503 after the wait ran out means "not stored": the writer skips the item."""
    entered, release = threading.Event(), threading.Event()
    written: list[int] = []

    def handler(items):
        written.extend(items)
        if items == [1]:
            entered.set()
            release.wait(10)
        return list(items)

    c = committers(handler)
    t1, _ = submit_all(c, [1])
    assert entered.wait(10)
    with pytest.raises(Unavailable):
        c.submit(2, timeout=0.2)  # queued behind the slow batch; gives up
    release.set()
    for t in t1:
        t.join(10)
    assert c.submit(3, timeout=10) == 3
    assert written == [1, 3]


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="PostgreSQL only: a call blocked on its socket")
def test_a_batch_hung_on_the_database_is_cut_off_and_the_writer_goes_on(
    committers, transactional_db
):
    """A server that never answers (here: pg_sleep) must not wedge the writer: after
    ``stall_after`` the watchdog shuts the connection's socket, the batch is answered 503
    (resend), and the next batch reconnects and commits."""
    import time

    from django.db import connection

    def handler(items):
        with connection.cursor() as cur:
            cur.execute("SELECT pg_sleep(%s)", [30 if items[0] == "hang" else 0])
        return list(items)

    c = committers(handler, stall_after=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(Unavailable):
            c.submit("hang", timeout=25)
        assert time.monotonic() - started < 10 and c.stalls == 1
        assert c.submit("ok", timeout=10) == "ok"
    finally:
        with connection.cursor() as cur:  # end the server side of the abandoned sleep
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                "datname = current_database() AND pid <> pg_backend_pid() "
                "AND query LIKE 'SELECT pg_sleep(30%%'"
            )
