"""A small capcut-mate-like HTTP server for tests, on 127.0.0.1, with faults on demand.

It answers like the real server (HTTP 200 with ``code``/``message``) or, with
``shape="spec"``, like the spec (200 ``{"draft_url"}``, 4xx/5xx ``{"detail"}``). Queue
faults with ``server.fail(...)``; each applies to one request of the given path.
``server.slow_saves(2.4)`` makes every save take that long, one at a time, blocking every
other request meanwhile, as the real server does (it saves on its event loop): a request
that gives up waiting still gets its save run later.

Like the real server, drafts can have files on disk (``server.publish(draft_id, folder)``):
``get_draft`` then lists them as download URLs served by this same server at
``/output/draft/<id>/<path>`` (capcut-mate's nginx), with ETag and Last-Modified, answering
304 to ``If-None-Match`` / ``If-Modified-Since``. ``server.restart()`` empties the save
cache (``save_draft`` answers 2001) while ``get_draft`` keeps listing the files on disk.
``server.slow_downloads(bytes_per_s)`` throttles file downloads; ``server.listings`` sets
the exact (maybe hostile) file list ``get_draft`` answers for a draft.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import secrets
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

API = "/openapi/capcut-mate/v1"
OUTPUT = "/output/draft"
EVIL = b"written by a hostile listing"


@dataclass
class Fault:
    status: int = 200
    body: Any = None  # dict -> JSON, bytes -> raw
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: str | None = None  # "before": close without answering; "mid": close mid-body


@dataclass
class Request:
    time: float
    method: str
    path: str
    body: Any
    headers: dict[str, str]


class CapcutServer:
    def __init__(self, shape: str = "capcut", port: int = 0) -> None:
        self.shape = shape
        self.drafts: dict[str, list[str]] = {}
        self.requests: list[Request] = []
        self.faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._port = port
        self.httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.save_seconds = 0.0
        self.saves_done = 0
        self.in_flight = 0  # requests received and not yet answered
        self.max_in_flight = 0
        self._loop = threading.Lock()  # the real server's one event loop
        self._conns: set[socket.socket] = set()
        self.folders: dict[str, Path] = {}  # draft_id -> its files on disk
        self.listings: dict[str, list[str]] = {}  # draft_id -> exact files get_draft lists
        self.download_rate = 0.0  # bytes per second, 0: as fast as possible
        self.bytes_sent = 0  # bytes of file bodies sent
        # the files of drafts made with create() (or put in ``drafts``), made on first use
        self._disk = Path(tempfile.mkdtemp(prefix="capcut-server-"))

    # --- control ---------------------------------------------------------------------------

    def start(self) -> CapcutServer:
        server = self

        class Handler(_Handler):
            owner = server

        ThreadingHTTPServer.allow_reuse_address = True
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self.httpd.daemon_threads = True
        self._port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and drop every open connection: the server is down."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        shutil.rmtree(self._disk, ignore_errors=True)
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    @property
    def port(self) -> int:
        return self._port

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def draft_url(self, draft_id: str) -> str:
        return f"{self.base}{API}/get_draft?draft_id={quote(draft_id, safe='')}"

    def create(self, draft_id: str | None = None) -> str:
        draft_id = draft_id or time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(4)
        self.drafts[draft_id] = [f"{draft_id}/draft_info.json", f"{draft_id}/draft_meta_info.json"]
        return self.draft_url(draft_id)

    def publish(self, draft_id: str, folder: Path) -> str:
        """A draft whose files are ``folder`` (on the server's disk) and in its save cache."""
        self.folders[draft_id] = folder
        self.drafts[draft_id] = []
        return self.draft_url(draft_id)

    def file_url(self, draft_id: str, rel: str) -> str:
        return f"{self.base}{OUTPUT}/{quote(draft_id)}/{quote(rel)}"

    def folder_of(self, draft_id: str) -> Path:
        """The draft's files on the server's disk (a small draft for one made by create(),
        as the real server writes at its first save)."""
        folder = self.folders.get(draft_id)
        if folder is None:
            folder = self._disk / quote(draft_id, safe="")
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("draft_info.json", "draft_meta_info.json"):
                if not (folder / name).exists():
                    (folder / name).write_text(json.dumps({"id": draft_id, "file": name}))
            with self._lock:
                self.folders.setdefault(draft_id, folder)
        return folder

    def restart(self) -> None:
        """The real server keeps its drafts in an in-memory cache: after a restart
        save_draft answers 2001 for every draft, while get_draft still lists the files."""
        self.drafts.clear()

    def slow_downloads(self, bytes_per_s: float) -> None:
        self.download_rate = bytes_per_s

    def slow_saves(self, seconds: float) -> None:
        """Each save takes ``seconds`` and blocks the whole server while it runs."""
        self.save_seconds = seconds

    def fail(self, path: str, *faults: Fault) -> None:
        with self._lock:
            self.faults.setdefault(path, []).extend(faults)

    def count(self, path: str = "save_draft") -> int:
        return sum(1 for r in self.requests if r.path.endswith(path))

    def times(self, path: str = "save_draft") -> list[float]:
        return [r.time for r in self.requests if r.path.endswith(path)]

    def next_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(path)
            return queue.pop(0) if queue else None

    def __enter__(self) -> CapcutServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: CapcutServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        with self.owner._lock:
            self.owner._conns.add(self.connection)

    def finish(self) -> None:
        with self.owner._lock:
            self.owner._conns.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        owner = self.owner
        with owner._lock:
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            if owner.save_seconds:
                with owner._loop:  # one request at a time, like one blocked event loop
                    self._handle_one(method)
            else:
                self._handle_one(method)
        finally:
            with owner._lock:
                owner.in_flight -= 1

    def _handle_one(self, method: str) -> None:
        owner = self.owner
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        owner.requests.append(
            Request(time.monotonic(), method, parts.path, body, dict(self.headers.items()))
        )
        name = parts.path.rsplit("/", 1)[-1]
        fault = owner.next_fault(name)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop == "before":
                self.close_connection = True
                self.connection.close()
                return
            if fault.drop == "mid":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b'{"code": 0, "dr')
                self.wfile.flush()
                self.close_connection = True
                self.connection.close()
                return
            if fault.body is not None or fault.status != 200 or fault.headers:
                self._send(fault.status, fault.body if fault.body is not None else {}, fault.headers)
                return
        zh = self.headers.get("accept-language", "").startswith("zh")
        if parts.path == f"{API}/create_draft" and method == "POST":
            self._ok({"draft_url": owner.create()})
        elif parts.path == f"{API}/save_draft" and method == "POST":
            self._save(body, zh)
        elif parts.path == f"{API}/get_draft" and method == "GET":
            ids = parse_qs(parts.query).get("draft_id", [])
            draft_id = ids[0] if ids else ""
            if draft_id in owner.listings:
                self._ok({"files": owner.listings[draft_id]})
            elif draft_id in owner.drafts or (
                    draft_id in owner.folders and owner.folders[draft_id].is_dir()):
                folder = owner.folder_of(draft_id)
                rels = sorted(p.relative_to(folder).as_posix()
                              for p in folder.rglob("*") if p.is_file())
                self._ok({"files": [owner.file_url(draft_id, r) for r in rels]})
            else:
                self._missing(zh)
        elif parts.path.startswith(OUTPUT + "/") and method == "GET":
            self._file(parts.path)
        elif method == "GET":
            # whatever a hostile listing points at answers, so that a client that follows
            # it would write something
            self._send(200, EVIL)
        else:
            self._send(404, {"detail": "Not Found"})

    def _save(self, body: Any, zh: bool) -> None:
        url = body.get("draft_url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url:
            if self.owner.shape == "spec":
                self._send(400, {"detail": "draft_url is required"})
            else:
                self._send(200, {"code": 1001, "message": "draft_url is required"})
            return
        ids = parse_qs(urlsplit(url).query).get("draft_id", [])
        if not ids or ids[0] not in self.owner.drafts:
            self._missing(zh)
            return
        if self.owner.save_seconds:
            time.sleep(self.owner.save_seconds)
        with self.owner._lock:
            self.owner.saves_done += 1
        with contextlib.suppress(OSError):  # the client gave up: saved anyway, as on the real one
            self._ok({"draft_url": url})

    def _file(self, path: str) -> None:
        owner = self.owner
        rest = unquote(path[len(OUTPUT) + 1:])
        draft_id, _, rel = rest.partition("/")
        folder = owner.folders.get(draft_id)
        target = (folder / rel).resolve() if folder is not None and rel else None
        if folder is None or target is None or not target.is_relative_to(folder.resolve()):
            self._send(200, EVIL)  # a path outside: a careless client would write this
            return
        if not target.is_file():
            self._send(404, b"<html>404 Not Found</html>")
            return
        st = target.stat()
        etag = '"' + hashlib.sha1(f"{st.st_size}-{st.st_mtime_ns}".encode()).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        inm = self.headers.get("if-none-match")
        ims = self.headers.get("if-modified-since")
        fresh = inm == etag if inm is not None else (
            ims is not None and ims == modified)
        headers = {"ETag": etag, "Last-Modified": modified}
        if fresh:
            self.send_response(304)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(st.st_size))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        with target.open("rb") as f, contextlib.suppress(OSError):
            while chunk := f.read(64 * 1024):
                if owner.download_rate:
                    time.sleep(len(chunk) / owner.download_rate)
                self.wfile.write(chunk)
                with owner._lock:
                    owner.bytes_sent += len(chunk)

    def _ok(self, data: dict[str, Any]) -> None:
        if self.owner.shape == "spec":
            self._send(200, data)
        else:
            self._send(200, {"code": 0, "message": "Success", **data})

    def _missing(self, zh: bool) -> None:
        if self.owner.shape == "spec":
            self._send(404, {"detail": "Draft does not exist"})
        else:
            self._send(200, {"code": 2001, "message": "草稿不存在" if zh else "draft not found"})

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        with self.owner._lock:
            self.owner.bytes_sent += len(data)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
