"""The simulated phones of ``bench/soak.py``: one asyncio task per phone, each with its own
keep-alive HTTP/1.1 connection and its own queue of check-ins (stdlib only, one thread).

Every check-in gets a fresh UUID client key. A phone sends its queue in order, one request at
a time; on a connection error, a timeout or a 5xx/503 it keeps the check-in and resends it
later with the same client key until the server acknowledges it (201, or 200 when it had
been stored already), up to the end of the run plus a drain period. A share of the
acknowledged check-ins is resent once more later (``dup_rate``), which must come back 200
with the same row. Two ways of sending:

``api``     ``POST /api/v1/checkins`` with a bearer token (what an app or integration sends).
``replay``  ``POST /m/checkin/submit/`` with the session cookie and the CSRF header — what
            ``web/assets/checkin.js`` sends: each phone goes offline for a while, taps
            queue up in its ``localStorage`` (``offline: true``, the device time of the tap,
            which is hours or days old when the phone was offline long), and when it is
            online again the queue goes up in one request to ``/m/checkin/queue/`` (issue
            17), each check-in answered on its own; those not delivered are marked
            ``offline: true`` and retried later, exactly as the page does.

Everything that happens is written to a ``Ledger``: every request (start, end, outcome),
every acknowledged key with the row id the server gave, and anything the server answered
that it should not have (``anomalies``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")
API_PATH = "/api/v1/checkins"
REPLAY_PATH = "/m/checkin/submit/"
QUEUE_PATH = "/m/checkin/queue/"  # checkin.js sends the whole queue here (issue 17)
QUEUE_MAX = 100
OK_KINDS = ("created", "stored", "resend_ok")  # outcomes of acknowledged attempts
BACKOFF_BASE, BACKOFF_MAX = 1.0, 5.0  # seconds between resends of an undelivered check-in


# ---- HTTP/1.1 over asyncio streams ------------------------------------------------------------


class ConnError(Exception):
    """The request got no complete HTTP response. ``kind``: conn_refused, conn_closed
    (closed before any byte of the response; ``reused`` says the connection had served
    requests before), conn_reset (cut off in the middle of the response), timeout."""

    def __init__(self, kind: str, detail: str = "", *, reused: bool = False) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail, self.reused = kind, detail, reused


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    set_cookies: list[str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", "replace")


class Conn:
    """One keep-alive connection, opened on first use and after any failure."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self._got_bytes = False

    def close(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:  # noqa: BLE001 - the socket may be gone already
                pass
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Response:
        reused = self.writer is not None
        self._got_bytes = False
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), self.timeout
                )
            resp = await asyncio.wait_for(self._exchange(method, path, headers, body), self.timeout)
        except TimeoutError:
            self.close()
            raise ConnError(
                "timeout", f"no answer within {self.timeout:g} s", reused=reused
            ) from None
        except ConnectionRefusedError as exc:
            self.close()
            raise ConnError("conn_refused", str(exc)) from None
        except ConnError as exc:
            self.close()
            exc.reused = reused
            raise
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self.close()
            kind = "conn_reset" if self._got_bytes else "conn_closed"
            raise ConnError(kind, f"{type(exc).__name__}: {exc}", reused=reused) from None
        if resp.headers.get("connection", "").lower() == "close":
            self.close()
        return resp

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> Response:
        assert self.reader is not None and self.writer is not None
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        line = await self.reader.readline()
        if not line:
            raise ConnError("conn_closed", "connection closed before the response")
        self._got_bytes = True
        parts = line.decode("latin-1").split(" ", 2)
        status = int(parts[1])
        hdrs: dict[str, str] = {}
        cookies: list[str] = []
        while True:
            h = await self.reader.readline()
            if not h:
                raise ConnError("conn_reset", "connection closed in the headers")
            if h in (b"\r\n", b"\n"):
                break
            name, _, value = h.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            hdrs[name] = value
        if status in (204, 304) or method == "HEAD":
            data = b""
        elif hdrs.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            data = b"".join(chunks)
        elif "content-length" in hdrs:
            data = await self.reader.readexactly(int(hdrs["content-length"]))
        else:
            data = await self.reader.read()
            hdrs["connection"] = "close"
        return Response(status, hdrs, cookies, data)


def cookie_update(jar: dict[str, str], set_cookies: list[str]) -> None:
    for raw in set_cookies:
        pair = raw.split(";", 1)[0]
        name, _, value = pair.partition("=")
        if name.strip():
            jar[name.strip()] = value.strip().strip('"')


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# ---- phones and their check-ins ---------------------------------------------------------------


@dataclass
class PhoneSpec:
    """A cadre's phone: the user, where the village's check-in point is, and its credentials
    (a bearer token for ``api``; session cookies + CSRF token for ``replay``)."""

    user_id: int
    cadre_id: int
    lat: float
    lng: float
    username: str = ""
    token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""


@dataclass
class Item:
    key: str
    cadre_id: int
    payload: dict[str, Any]
    born: float  # when the tap happened (monotonic, seconds)
    dup: bool = False  # a deliberate resend of an acknowledged check-in
    expect_id: int | None = None  # the row id the first acknowledgement gave (api)
    attempts: int = 0
    failures: int = 0  # attempts that got no answer / a 5xx
    failed: list[str] = field(default_factory=list)  # their kinds
    not_before: float = 0.0


@dataclass
class Ack:
    cadre_id: int
    row_id: int | None
    status: int  # of the first acknowledgement: 201, or 200 when stored by a lost attempt
    at: float  # acknowledged (s from the start)
    born: float  # tapped (s from the start)
    device_time: str
    attempts: int
    failures: int


class Ledger:
    """What the phones saw. ``attempts`` rows: (start, end, outcome, dup, status) with times
    in seconds from the start of the run; outcome is one of ``OK_KINDS``, ``refused``,
    ``resend_bad`` or an error kind: conn_refused, conn_closed, conn_reset, timeout,
    http_<5xx status>, or stale_conn — a reused keep-alive connection closed before any byte
    of the answer; the phone resends at once on a new connection (browsers do the same), so
    it costs no delay unless the connection died under a request in flight."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.sent: dict[str, tuple[int, str]] = {}  # key → (cadre, device_time) of every tap
        self.acks: dict[str, Ack] = {}
        self.refused: dict[str, tuple[int, str]] = {}  # key → (status, body excerpt)
        self.attempts: list[tuple[float, float, str, bool, int]] = []
        self.anomalies: list[tuple[str, str, str]] = []  # (kind, key, detail)
        self.dup_sent = 0
        self.dup_ok = 0
        self.ack_lost = 0  # first acknowledgement was 200 after failed attempts
        self.stored_after_503: list[str] = []  # … all of which were 503 ("not stored")
        # (t, check-ins queued on phones that are online, queued on all phones, phones offline)
        self.backlog: list[tuple[float, int, int, int]] = []
        self.tap_times: list[float] = []
        self.taps = 0
        self.faults: list[dict[str, Any]] = []
        self.end_at = 0.0  # end of the taps (s)
        self.last_ok = 0.0  # last acknowledgement (s)
        self.drained_at: float | None = None  # every queue empty (s); None: drain timed out

    def rel(self, t: float) -> float:
        return t - self.t0


class Phones:
    """The phones, the tap generator and the fault timer of one run."""

    def __init__(
        self,
        *,
        mode: str,
        host: str,
        port: int,
        specs: list[PhoneSpec],
        rate: float,
        duration: float,
        drain: float,
        dup_rate: float,
        timeout: float,
        seed: int,
        faults: list[tuple[float, str, Callable[[], dict[str, Any]]]],
        offline_s: tuple[float, float] = (5.0, 40.0),
        online_s: tuple[float, float] = (5.0, 20.0),
        max_age_h: float = 72.0,
        log: Callable[[str], None] = print,
    ) -> None:
        if mode not in ("api", "replay"):
            raise ValueError(mode)
        self.mode, self.host, self.port = mode, host, port
        self.rate, self.duration, self.drain = rate, duration, drain
        self.dup_rate, self.timeout = dup_rate, timeout
        self.rng = random.Random(seed)
        self.faults = faults
        self.offline_s, self.online_s, self.max_age_h = offline_s, online_s, max_age_h
        self.log = log
        self.phones = [_Phone(i, s, Conn(host, port, timeout)) for i, s in enumerate(specs)]
        self.ledger = Ledger()
        self.generating = True
        self.draining = False
        self.pending_dups = 0
        self.origin = f"http://{host}:{port}"

    # -- the run ---------------------------------------------------------------------------

    async def run(self) -> Ledger:
        led = self.ledger
        led.t0 = time.monotonic()
        loop_fn = self._api_phone if self.mode == "api" else self._replay_phone
        tasks = [asyncio.create_task(loop_fn(p)) for p in self.phones]
        side = [
            asyncio.create_task(self._sampler()),
            asyncio.create_task(self._fault_timer()),
            asyncio.create_task(self._progress()),
        ]
        await self._tapper()
        led.end_at = led.rel(time.monotonic())
        self.generating = False
        self.draining = True
        for p in self.phones:
            p.wake.set()
        # deliver the rest: up to ``drain`` seconds, longer (up to 4×) while it makes progress
        start = time.monotonic()
        while True:
            if self.pending_dups == 0 and not any(p.queue for p in self.phones):
                led.drained_at = led.rel(time.monotonic())
                break
            waited = time.monotonic() - start
            recent = led.last_ok > led.rel(time.monotonic()) - 10  # still acknowledging
            if waited > 4 * self.drain or (waited > self.drain and not recent):
                break
            await asyncio.sleep(0.2)
        for t in [*tasks, *side]:
            t.cancel()
        await asyncio.gather(*tasks, *side, return_exceptions=True)
        for p in self.phones:
            p.conn.close()
        return led

    async def _tapper(self) -> None:
        led, n = self.ledger, 0
        end = led.t0 + self.duration
        while (now := time.monotonic()) < end:
            due = int((now - led.t0) * self.rate)
            while n < due:
                n += 1
                self._tap(self.rng.choice(self.phones), now)
                led.tap_times.append(now - led.t0)
            await asyncio.sleep(0.01)
        led.taps = n

    def _tap(self, phone: _Phone, now: float) -> None:
        s = phone.spec
        key = str(uuid.uuid4())
        # within ~50 m of the village's check-in point, GPS-like accuracy
        lat = round(s.lat + self.rng.uniform(-0.0004, 0.0004), 6)
        lng = round(s.lng + self.rng.uniform(-0.0004, 0.0004), 6)
        acc = round(self.rng.uniform(5, 30), 1)
        if self.mode == "api":
            moment = dt.datetime.now(BEIJING).isoformat(timespec="milliseconds")
            payload: dict[str, Any] = {
                "client_key": key,
                "lat": lat,
                "lng": lng,
                "accuracy_m": acc,
                "device_time": moment,
                "device_id": phone.device_id,
            }
        else:  # the item checkin.js puts in localStorage (record())
            offline = not phone.online
            moment = (dt.datetime.now(BEIJING) - phone.age).replace(microsecond=0).isoformat()
            payload = {
                "client_key": key,
                "user": str(s.user_id),
                "device_time": moment,
                "device_id": phone.device_id,
                "offline": offline,
                "lat": lat,
                "lng": lng,
                "accuracy_m": acc,
                "no_position_reason": "",
            }
        self.ledger.sent[key] = (s.cadre_id, moment)
        phone.queue.append(Item(key, s.cadre_id, payload, now))
        phone.wake.set()

    def _schedule_dup(self, phone: _Phone, item: Item, row_id: int | None) -> None:
        """Resend an acknowledged check-in later, as a phone does that never saw the answer."""
        if not self.generating or self.rng.random() >= self.dup_rate:
            return
        payload = dict(item.payload)
        if self.mode == "replay":
            payload["offline"] = True
        dup = Item(item.key, item.cadre_id, payload, time.monotonic(), dup=True, expect_id=row_id)
        self.pending_dups += 1

        def push() -> None:
            self.pending_dups -= 1
            phone.queue.append(dup)
            phone.wake.set()

        asyncio.get_running_loop().call_later(self.rng.uniform(1.0, 30.0), push)

    async def _sampler(self) -> None:
        while True:
            queued = sum(len(p.queue) for p in self.phones)
            online = sum(len(p.queue) for p in self.phones if p.online)
            offline = sum(1 for p in self.phones if not p.online)
            t = self.ledger.rel(time.monotonic())
            self.ledger.backlog.append((t, online, queued, offline))
            await asyncio.sleep(1.0)

    async def _progress(self) -> None:
        led = self.ledger
        while True:
            await asyncio.sleep(10.0)
            t = led.rel(time.monotonic())
            errors = sum(1 for a in led.attempts if a[2] not in OK_KINDS and a[1] > t - 10)
            queued = sum(len(p.queue) for p in self.phones)
            self.log(
                f"  t={t:5.0f}s  acknowledged {len(led.acks):6d}  resends ok {led.dup_ok:5d}"
                f"  errors(10 s) {errors:4d}  queued {queued:5d}"
            )

    async def _fault_timer(self) -> None:
        led = self.ledger
        for at, name, action in sorted(self.faults, key=lambda f: f[0]):
            await asyncio.sleep(max(0.0, led.t0 + at - time.monotonic()))
            self.log(f"  t={led.rel(time.monotonic()):5.0f}s  fault: {name}")
            started = time.monotonic()
            try:
                details = await asyncio.to_thread(action)
            except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                details = {"error": f"{type(exc).__name__}: {exc}"}
            injected = details.pop("t_inject", started)
            record = {
                "name": name,
                "planned_at": at,
                "at": led.rel(injected),
                "returned_at": led.rel(time.monotonic()),
                **details,
            }
            led.faults.append(record)
            self.log(f"  fault {name} done: {record}")

    # -- one request -----------------------------------------------------------------------

    def _request(self, phone: _Phone, item: Item) -> tuple[str, dict[str, str], bytes]:
        body = json.dumps(item.payload, ensure_ascii=False).encode("utf-8")
        if self.mode == "api":
            headers = {
                "Authorization": f"Bearer {phone.spec.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
            return API_PATH, headers, body
        jar = phone.spec.cookies
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": jar.get("csrftoken") or phone.spec.csrf,
            "Origin": self.origin,
            "Referer": f"{self.origin}/m/checkin/",
            "Cookie": cookie_header(jar),
        }
        return REPLAY_PATH, headers, body

    async def _send(self, phone: _Phone, item: Item) -> bool:
        """One delivery of ``item`` (plus one immediate retry when a reused keep-alive
        connection turns out closed, as browsers do). True when the phone is done with it
        (acknowledged, or refused for good), False to keep it for later."""
        led = self.ledger
        path, headers, body = self._request(phone, item)
        for retry in (False, True):
            item.attempts += 1
            t0 = time.monotonic()
            try:
                resp = await phone.conn.request("POST", path, headers, body)
            except ConnError as exc:
                t1 = time.monotonic()
                item.failures += 1
                stale = exc.kind == "conn_closed" and exc.reused
                kind = "stale_conn" if stale else exc.kind
                item.failed.append(kind)
                led.attempts.append((led.rel(t0), led.rel(t1), kind, item.dup, 0))
                if stale and not retry:
                    continue
                return False
            t1 = time.monotonic()
            return self._answer(phone, item, resp, led.rel(t0), led.rel(t1))
        return False

    def _answer(
        self,
        phone: _Phone,
        item: Item,
        resp: Response,
        t0: float,
        t1: float,
        *,
        cookies: bool = True,
    ) -> bool:
        led, st = self.ledger, resp.status
        if self.mode == "replay" and cookies:
            cookie_update(phone.spec.cookies, resp.set_cookies)
        if 200 <= st < 300:
            return self._acknowledged(phone, item, resp, t0, t1)
        data = resp.json()
        final = False
        if self.mode == "api":
            final = 400 <= st < 500 and st not in (408, 429)
        else:  # checkin.js send(): 400 → done; 403/404 answered in JSON → done; else keep
            is_json = isinstance(data, dict) and data.get("status") == "error"
            final = st == 400 or (st in (403, 404) and is_json)
        if final:
            led.attempts.append((t0, t1, "refused", item.dup, st))
            led.refused[item.key] = (st, resp.text())
            led.anomalies.append(("refused", item.key, f"HTTP {st}: {resp.text(200)}"))
            return True
        item.failures += 1
        item.failed.append(f"http_{st}")
        led.attempts.append((t0, t1, f"http_{st}", item.dup, st))
        return False

    def _acknowledged(
        self, phone: _Phone, item: Item, resp: Response, t0: float, t1: float
    ) -> bool:
        led, st = self.ledger, resp.status
        led.last_ok = t1
        data = resp.json()
        if not isinstance(data, dict):
            led.attempts.append((t0, t1, "bad_body", item.dup, st))
            led.anomalies.append(("bad_body", item.key, f"HTTP {st}: {resp.text(200)}"))
            item.failures += 1
            return False
        if str(data.get("client_key")) != item.key:
            led.anomalies.append(
                ("wrong_key", item.key, f"HTTP {st} answered for {data.get('client_key')}")
            )
        row_id = data.get("id") if self.mode == "api" else None
        created = st == 201
        if self.mode == "replay" and bool(data.get("created")) != created:
            led.anomalies.append(("created_flag", item.key, f"HTTP {st} created={data}"))
        if item.dup:
            led.dup_sent += 1
            ok = st == 200 and (self.mode != "api" or row_id == item.expect_id)
            led.attempts.append((t0, t1, "resend_ok" if ok else "resend_bad", True, st))
            if ok:
                led.dup_ok += 1
            else:
                led.anomalies.append(
                    (
                        "resend_mismatch",
                        item.key,
                        f"resend answered HTTP {st} id {row_id}, first answer id {item.expect_id}",
                    )
                )
            return True
        led.attempts.append((t0, t1, "created" if created else "stored", False, st))
        if item.key in led.acks:  # cannot happen: a phone drops an item once acknowledged
            led.anomalies.append(("acked_twice", item.key, f"HTTP {st} id {row_id}"))
            return True
        if not created:
            if item.failures:
                led.ack_lost += 1  # an earlier attempt committed, its answer was lost
                if all(k == "http_503" for k in item.failed):
                    led.stored_after_503.append(item.key)
            else:
                led.anomalies.append(
                    ("phantom_200", item.key, "first ever send answered 200 (already stored)")
                )
        cadre, moment = led.sent[item.key]
        led.acks[item.key] = Ack(
            cadre, row_id, st, t1, led.rel(item.born), moment, item.attempts, item.failures
        )
        self._schedule_dup(phone, item, row_id)
        return True

    # -- the two kinds of phone ------------------------------------------------------------

    def _backoff(self, item: Item) -> float:
        base = min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, item.failures - 1))
        return base * self.rng.uniform(0.7, 1.3)

    async def _api_phone(self, phone: _Phone) -> None:
        while True:
            if not phone.queue:
                phone.wake.clear()
                await phone.wake.wait()
                continue
            item = phone.queue[0]
            wait = item.not_before - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if await self._send(phone, item):
                phone.queue.popleft()
            else:
                item.not_before = time.monotonic() + self._backoff(item)

    async def _replay_phone(self, phone: _Phone) -> None:
        rng = self.rng
        # start at a random point of the offline/online cycle
        phone.online = rng.random() < 0.5
        while True:
            if not self.draining and not phone.online:
                phone.conn.close()  # no network: no connection
                phone.age = dt.timedelta(hours=rng.uniform(0, self.max_age_h))
                await self._sleep_unless_draining(rng.uniform(*self.offline_s))
            phone.online = True
            phone.age = dt.timedelta(0)
            online_until = time.monotonic() + rng.uniform(*self.online_s)
            while self.draining or time.monotonic() < online_until:
                if not phone.queue:
                    phone.wake.clear()
                    left = online_until - time.monotonic()
                    if self.draining:
                        await phone.wake.wait()
                    elif left > 0:
                        try:
                            await asyncio.wait_for(phone.wake.wait(), left)
                        except TimeoutError:
                            pass
                    continue
                wait = phone.queue[0].not_before - time.monotonic()
                if wait > 0:  # the last flush stopped on this one: next try after a pause
                    if not self.draining:
                        wait = min(wait, online_until - time.monotonic())
                    await asyncio.sleep(max(0.0, wait))
                    continue
                await self._flush(phone)
            phone.online = False

    async def _flush(self, phone: _Phone) -> None:
        """checkin.js flush(): the queue (up to QUEUE_MAX) in ONE request to the queue
        endpoint; each result is answered as the page answers it alone — done items leave
        the queue, the others get ``offline: true`` and wait for the next flush. A request
        not answered (connection lost, 5xx, expired session) keeps them all."""
        led = self.ledger
        items = list(phone.queue)[:QUEUE_MAX]
        _path, headers, _body = self._request(phone, items[0])
        body = json.dumps({"items": [i.payload for i in items]}, ensure_ascii=False).encode()
        done: set[int] = set()
        for retry in (False, True):
            for item in items:
                item.attempts += 1
            t0 = time.monotonic()
            try:
                resp = await phone.conn.request("POST", QUEUE_PATH, headers, body)
            except ConnError as exc:
                t1 = time.monotonic()
                stale = exc.kind == "conn_closed" and exc.reused
                kind = "stale_conn" if stale else exc.kind
                for item in items:
                    item.failures += 1
                    item.failed.append(kind)
                    led.attempts.append((led.rel(t0), led.rel(t1), kind, item.dup, 0))
                if stale and not retry:
                    continue
                break
            t1 = time.monotonic()
            cookie_update(phone.spec.cookies, resp.set_cookies)
            data = resp.json()
            results = data.get("results") if isinstance(data, dict) else None
            if resp.status != 200 or not isinstance(results, list) or len(results) != len(items):
                for item in items:  # the request as a whole was not taken: all kept
                    self._answer(phone, item, resp, led.rel(t0), led.rel(t1))
                break
            for n, (item, result) in enumerate(zip(items, results, strict=True)):
                one = Response(
                    int(result.get("status", 0)),
                    {},
                    [],
                    json.dumps(result.get("body")).encode("utf-8"),
                )
                if self._answer(phone, item, one, led.rel(t0), led.rel(t1), cookies=False):
                    done.add(n)
            break
        keep = [item for n, item in enumerate(items) if n not in done]
        for item in keep:
            item.payload["offline"] = True
            item.not_before = time.monotonic() + self._backoff(item)
        rest = list(phone.queue)[len(items) :]
        phone.queue.clear()
        phone.queue.extend(keep + rest)

    async def _sleep_unless_draining(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.draining and (left := end - time.monotonic()) > 0:
            await asyncio.sleep(min(left, 0.5))


class _Phone:
    def __init__(self, index: int, spec: PhoneSpec, conn: Conn) -> None:
        self.index, self.spec, self.conn = index, spec, conn
        self.queue: deque[Item] = deque()
        self.wake = asyncio.Event()
        self.online = True
        self.age = dt.timedelta(0)  # how old the device times of taps made now are
        self.device_id = f"soak-{uuid.uuid4()}"


# ---- logging in like the phone's browser (replay) -----------------------------------------


async def browser_login(
    host: str, port: int, username: str, password: str, timeout: float = 60.0
) -> tuple[dict[str, str], str, str]:
    """GET /login/, POST the form, GET /m/checkin/: the cookie jar, the page's CSRF token
    and its ``data-user``."""
    import re

    conn = Conn(host, port, timeout)
    jar: dict[str, str] = {}
    origin = f"http://{host}:{port}"
    try:
        r = await conn.request("GET", "/login/", {"Accept": "text/html"})
        cookie_update(jar, r.set_cookies)
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', r.body)
        if r.status != 200 or m is None:
            raise RuntimeError(f"GET /login/ → HTTP {r.status}")
        from urllib.parse import urlencode

        form = urlencode(
            {
                "csrfmiddlewaretoken": m.group(1).decode(),
                "username": username,
                "password": password,
            }
        ).encode()
        r = await conn.request(
            "POST",
            "/login/",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie_header(jar),
                "Origin": origin,
                "Referer": f"{origin}/login/",
            },
            form,
        )
        cookie_update(jar, r.set_cookies)
        if r.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"login of {username} failed: HTTP {r.status}")
        r = await conn.request("GET", "/m/checkin/", {"Cookie": cookie_header(jar)})
        cookie_update(jar, r.set_cookies)
        user = re.search(rb'data-user="(\d+)"', r.body)
        csrf = re.search(rb'data-csrf="([^"]+)"', r.body)
        if r.status != 200 or user is None or csrf is None:
            raise RuntimeError(f"GET /m/checkin/ as {username}: HTTP {r.status}")
        return jar, csrf.group(1).decode(), user.group(1).decode()
    finally:
        conn.close()
