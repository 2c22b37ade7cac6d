"""Group commit: requests that arrive together share one database transaction.

A ``GroupCommitter`` owns ``writers`` writer threads (per process, started on first use,
restarted after a fork); with two, one batch is prepared while the other waits for its
commit. Request threads ``submit`` an item and wait; the writer takes everything that
queued up while it was busy (up to ``max_batch``), hands the batch to ``handler`` — which
writes it in one transaction — and wakes each waiter with its own result. The answer is sent
only after the commit, so an acknowledged item is durable; under load one commit serves many
requests, which is how the check-in endpoint keeps up with the database's own insert rate.

If the database is unreachable (restart, network), every item of the batch gets
``Unavailable`` (HTTP 503: not stored, resend); the writer drops the broken connection and
the next batch reconnects. If a batch fails for another reason, its items are retried one by
one, so one bad item cannot fail the others.

A database server that hangs instead of failing (its process stopped while its machine still
answers TCP, a network path that drops packets) would leave the writer waiting for an answer
forever, and every later check-in would time out behind it. With ``stall_after`` a watchdog
thread shuts down the socket of a batch's PostgreSQL connection once the batch has run that
long: the blocked call fails at once, the batch is answered 503 and the next batch reconnects
(to the standby, once promoted: bench/failover.py)."""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections

from .errors import ZhucunError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Unavailable(ZhucunError):
    """The item was not (known to be) stored: the client should resend it."""

    status = 503


_STOP = object()
UNAVAILABLE = "服务器暂时无法保存(数据库不可用或繁忙),本次未确认保存,请稍后重发;重发不会重复记录"


@dataclass(eq=False)
class _Slot(Generic[T, R]):
    item: T
    done: threading.Event = field(default_factory=threading.Event)
    result: R | None = None
    error: BaseException | None = None
    taken: bool = False  # the writer has it (set under the committer's lock)
    abandoned: bool = False  # its request gave up waiting before the writer took it


class GroupCommitter(Generic[T, R]):
    def __init__(
        self,
        handler: Callable[[Sequence[T]], Sequence[R]],
        *,
        max_batch: int = 128,
        writers: int = 1,
        linger: float = 0.0,
        stall_after: float | None = None,
        name: str = "zhucun-group-commit",
    ) -> None:
        self._handler = handler
        self._max_batch = max_batch
        self._name = name
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Slot[T, R]] = queue.SimpleQueue()
        self._writers = writers
        self._linger = linger  # seconds to wait for more items when a batch is not full
        self._threads: list[threading.Thread] = []
        self._pid = 0
        self._stall_after = stall_after  # seconds a batch may run before its socket is cut
        self._busy: dict[int, tuple[float, object]] = {}  # writer thread → (since, its DB wrapper)
        self._watchdog: threading.Thread | None = None
        self.batches = 0  # counters, for the benchmarks' report
        self.items = 0
        self.stalls = 0

    def submit(self, item: T, *, timeout: float = 30.0) -> R:
        """Queue ``item``, wait until its batch is committed, return its result. Raises
        ``Unavailable`` when the database could not take it (or no answer within timeout)."""
        (result,) = self.submit_many([item], timeout=timeout)
        if isinstance(result, BaseException):
            raise result
        return result

    def submit_many(self, items: Sequence[T], *, timeout: float = 30.0) -> list[R | BaseException]:
        """``submit`` for several items at once (a phone flushing its queue): all are queued
        together — so they share a batch when there is room — and each one's result or error
        is returned in order (an item not answered in time: ``Unavailable``)."""
        self._ensure_writer()
        slots: list[_Slot[T, R]] = [_Slot(item) for item in items]
        for slot in slots:
            self._queue.put(slot)
        deadline = time.monotonic() + timeout
        out: list[R | BaseException] = []
        for slot in slots:
            if not slot.done.wait(max(0.0, deadline - time.monotonic())):
                with self._lock:
                    if not slot.taken:  # never written: the writer will skip it
                        slot.abandoned = True
                out.append(Unavailable(UNAVAILABLE))  # "not confirmed": a resend is always safe
            elif slot.error is not None:
                out.append(slot.error)
            else:
                out.append(slot.result)  # type: ignore[arg-type]
        return out

    def stop(self, timeout: float = 10.0) -> None:
        """Let the writers finish what is queued, close their database connections and end
        (the next ``submit`` starts new ones). For tests and orderly shutdown."""
        if self._pid != os.getpid():
            return
        alive = [t for t in self._threads if t.is_alive()]
        for _ in alive:
            self._queue.put(_STOP)  # type: ignore[arg-type]
        for t in alive:
            t.join(timeout)
        self._threads = []

    def _alive(self) -> bool:
        return (
            self._pid == os.getpid()
            and len(self._threads) == self._writers
            and all(t.is_alive() for t in self._threads)
        )

    def _ensure_writer(self) -> None:
        if self._alive():
            return
        with self._lock:
            if self._alive():
                return
            if self._pid != os.getpid():
                self._queue = queue.SimpleQueue()  # a forked child starts empty
                self._threads = []
            self._pid = os.getpid()
            self._threads = [t for t in self._threads if t.is_alive()]
            while len(self._threads) < self._writers:
                t = threading.Thread(target=self._run, name=self._name, daemon=True)
                t.start()
                self._threads.append(t)
            if self._stall_after and (self._watchdog is None or not self._watchdog.is_alive()):
                self._watchdog = threading.Thread(
                    target=self._watch, name=f"{self._name}-watchdog", daemon=True
                )
                self._watchdog.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            slots = [self._queue.get()]
            self._drain(slots)
            if self._linger and len(slots) < self._max_batch:
                time.sleep(self._linger)  # like PostgreSQL's commit_delay: fuller batches
                self._drain(slots)
            with self._lock:
                for slot in slots:
                    if slot is not _STOP:
                        slot.taken = True
                slots = [s for s in slots if s is _STOP or not s.abandoned]
            if _STOP in slots:
                stopping = True
                for _ in range(slots.count(_STOP) - 1):  # others' stop signals: pass them on
                    self._queue.put(_STOP)  # type: ignore[arg-type]
                slots = [s for s in slots if s is not _STOP]
            try:
                self._process(slots)
            except BaseException:  # noqa: BLE001 - the writer must never die
                log.exception("group commit writer")
                for slot in slots:
                    if not slot.done.is_set():
                        slot.error = Unavailable(UNAVAILABLE)
                        slot.done.set()
        _drop_connection()

    def _drain(self, slots: list[_Slot[T, R]]) -> None:
        while len(slots) < self._max_batch:
            try:
                slots.append(self._queue.get_nowait())
            except queue.Empty:
                return

    def _process(self, slots: list[_Slot[T, R]]) -> None:
        if not slots:
            return
        me = threading.get_ident()
        try:
            connection.close_if_unusable_or_obsolete()
            self._busy[me] = (time.monotonic(), connections["default"])
            try:
                results = self._handler([s.item for s in slots])
            finally:
                self._busy.pop(me, None)
        except (OperationalError, InterfaceError):
            log.warning("group commit: database unavailable, %d items refused", len(slots))
            _drop_connection()
            self._fail(slots, Unavailable(UNAVAILABLE))
            return
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            if isinstance(exc, DatabaseError):
                _drop_connection()
            if len(slots) > 1:
                for slot in slots:  # one bad item must not fail the others
                    self._process([slot])
                return
            if isinstance(exc, DatabaseError):
                log.exception("group commit: item refused by the database")
                exc = Unavailable(UNAVAILABLE)
            self._fail(slots, exc)
            return
        self.batches += 1
        self.items += len(slots)
        for slot, result in zip(slots, results, strict=True):
            slot.result = result
            slot.done.set()

    def _watch(self) -> None:
        """Cut the database connection of a batch that has run longer than ``stall_after``."""
        assert self._stall_after
        pid = os.getpid()
        while self._pid == pid:
            time.sleep(min(1.0, self._stall_after / 4))
            now = time.monotonic()
            for ident, busy in list(self._busy.items()):
                since, wrapper = busy
                if now - since < self._stall_after or self._busy.get(ident) is not busy:
                    continue
                self._busy.pop(ident, None)  # once per batch
                if _shutdown_socket(getattr(wrapper, "connection", None)):
                    self.stalls += 1
                    log.warning(
                        "group commit: batch waiting %.0f s for the database; its connection "
                        "is cut so that the writer can go on",
                        now - since,
                    )

    @staticmethod
    def _fail(slots: list[_Slot[T, R]], error: BaseException) -> None:
        for slot in slots:
            slot.error = error
            slot.done.set()


def _shutdown_socket(raw: object) -> bool:
    """Shut down the socket of a psycopg connection (from another thread): a call blocked on
    it returns with an error. False when there is no PostgreSQL socket (SQLite, closed)."""
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:
        return False
    try:
        fd = pgconn.socket
        sock = socket.socket(fileno=os.dup(fd))
    except Exception:  # noqa: BLE001 - closed meanwhile: nothing to cut
        return False
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()
    return True


def _drop_connection() -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone
        connection.connection = None
