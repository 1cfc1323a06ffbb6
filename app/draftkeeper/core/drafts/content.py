"""Parsing draft JSON away from the window: a content summary (duration, tracks,
segments, texts), material paths, and text / caption materials for Compare.

A 5.5 MB draft (2,000 captions) holds the GIL for tens of milliseconds while json parses
it, so ``ContentParser`` sends big files to a process pool, started only when the first
big one comes (starting it costs far more than parsing a small file). Small files (up to
``IN_PROCESS_BYTES``: about a millisecond of json) are parsed in the calling worker
thread. Answers are cached by (path, size, mtime_ns), or by content hash for stored
versions.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from draftkeeper.core.backend import Summary
from draftkeeper.core.records import Record

if TYPE_CHECKING:  # (a pool is made for big files only: a save parses none)
    from concurrent.futures import Executor, Future

TEXTS_KEPT = 8  # texts of a 2,000-caption draft take a few hundred KB
# json.loads holds the GIL: up to this size it takes about a millisecond, which the
# window's thread can wait for (sys.setswitchinterval: ui/app.py); bigger files go to the pool
IN_PROCESS_BYTES = 128 * 1024
# a file's (size, mtime_ns) as a walk has just seen it (None: not known, stat it)
Seen = tuple[int, int] | None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class ContentFacts(Record):
    """What a draft's content JSON says: its summary and the media it names."""

    __match_args__ = ("summary", "media_paths")
    __slots__ = __match_args__
    summary: Final[Summary]
    media_paths: Final[tuple[str, ...]]  # material paths as written in the draft

    def __init__(self, summary: Summary, media_paths: tuple[str, ...]) -> None:
        self.summary = summary
        self.media_paths = media_paths


def _text_of(material: dict[str, Any]) -> str:
    content = material.get("content")
    if isinstance(content, str):
        try:
            inner = json.loads(content)
        except ValueError:
            return content
        if isinstance(inner, dict) and isinstance(inner.get("text"), str):
            return str(inner["text"])
        return content
    for key in ("text", "recognize_text", "name"):
        if isinstance(material.get(key), str):
            return str(material[key])
    return ""


def facts_of(data: Any) -> ContentFacts | None:
    if not isinstance(data, dict) or not isinstance(data.get("tracks"), list):
        return None
    tracks = [t for t in data["tracks"] if isinstance(t, dict)]
    segments = texts = 0
    for track in tracks:
        segs = track.get("segments")
        count = len(segs) if isinstance(segs, list) else 0
        segments += count
        if track.get("type") in ("text", "subtitle"):
            texts += count
    duration = _int(data.get("duration")) or 0
    paths: list[str] = []
    materials = data.get("materials")
    if isinstance(materials, dict):
        for kind in materials.values():
            if not isinstance(kind, list):
                continue
            for m in kind:
                if isinstance(m, dict) and isinstance(m.get("path"), str) and m["path"]:
                    paths.append(m["path"])
    summary = Summary(round(duration / 1_000_000, 3), len(tracks), segments, texts)
    return ContentFacts(summary, tuple(paths))


def texts_of(data: Any) -> dict[str, str]:
    """Text / caption materials by id."""
    out: dict[str, str] = {}
    materials = data.get("materials") if isinstance(data, dict) else None
    texts = materials.get("texts") if isinstance(materials, dict) else None
    for m in texts if isinstance(texts, list) else []:
        if isinstance(m, dict) and isinstance(m.get("id"), str):
            out[m["id"]] = _text_of(m)
    return out


def _load(source: str | bytes) -> Any:
    if isinstance(source, bytes):
        raw = source
    else:
        with open(source, "rb") as f:
            raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return json.loads(raw)


def parse_facts(source: str | bytes) -> ContentFacts | None:
    """Worker: the facts of a content file (a path or its bytes); None if unreadable."""
    try:
        return facts_of(_load(source))
    except (OSError, ValueError, RecursionError):
        return None


def parse_texts(source: str | bytes) -> dict[str, str] | None:
    """Worker: the text materials of a content file; None if unreadable."""
    try:
        return texts_of(_load(source))
    except (OSError, ValueError, RecursionError):
        return None


def _spawn_pool() -> Executor:
    from concurrent.futures import ProcessPoolExecutor  # on first use: commands that
    from multiprocessing import get_context  # parse nothing stay quick to start

    # spawn, not fork: the window's process has Qt and worker threads, which fork copies
    # in whatever state they are in
    return ProcessPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1)),
                               mp_context=get_context("spawn"))


class ContentParser:
    """Parses draft JSON, big files in a process pool (made on first use), with a cache.

    ``pool_factory`` makes the pool; ``in_process_bytes`` is the size up to which a file is
    parsed in the calling thread instead."""

    def __init__(self, pool_factory: Callable[[], Executor] = _spawn_pool,
                 in_process_bytes: int = IN_PROCESS_BYTES) -> None:
        self._factory = pool_factory
        self._small = in_process_bytes
        self._pool: Executor | None = None
        self._lock = threading.Lock()
        self._facts: dict[tuple[str, int, int] | str, ContentFacts | None] = {}
        self._key_of: dict[str, tuple[str, int, int]] = {}  # path -> its cached key
        self._texts: dict[str, dict[str, str] | None] = {}  # the last few compared
        self.parsed = 0  # how many files were parsed (the cache saves the rest)

    def _submit(self, fn: Callable[[str | bytes], Any], source: str | bytes,
                size: int) -> Future[Any]:
        """``fn(source)``: here when the file is small, else in the pool."""
        with self._lock:
            self.parsed += 1
            if size > self._small:
                if self._pool is None:
                    self._pool = self._factory()
                return self._pool.submit(fn, source)
        from concurrent.futures import Future

        done: Future[Any] = Future()
        done.set_result(fn(source))
        return done

    def facts_future(self, path: str | Path
                     ) -> tuple[tuple[str, int, int], Future[Any] | None]:
        name = os.fspath(path)
        st = os.stat(name)
        key = (name, st.st_size, st.st_mtime_ns)
        if key in self._facts:
            return key, None
        old = self._key_of.get(key[0])
        if old is not None:  # the file changed: its old facts will not be asked for again
            self._facts.pop(old, None)
        self._key_of[key[0]] = key
        if st.st_size <= self._small:  # here and now (no Future: 10,000 at a window's start)
            with self._lock:
                self.parsed += 1
            self._facts[key] = parse_facts(name)
            return key, None
        return key, self._submit(parse_facts, name, st.st_size)

    def file_facts(self, path: Path) -> ContentFacts | None:
        """Blocking (call from a worker thread): facts of a working-copy file."""
        key, future = self.facts_future(path)
        if future is not None:
            self._facts[key] = future.result()
        return self._facts[key]

    def known_facts(self, paths: Sequence[str | Path],
                    seen: Sequence[Seen] | None = None) -> list[ContentFacts | None]:
        """The facts already known of files unchanged since (nothing is read but their
        stat data, or what ``seen`` says of them); None where they are not known, or the
        file had none."""
        out: list[ContentFacts | None] = []
        for i, path in enumerate(paths):
            name = os.fspath(path)
            stat = seen[i] if seen is not None else None
            if stat is None:
                try:
                    st = os.stat(name)
                except OSError:
                    out.append(None)
                    continue
                stat = (st.st_size, st.st_mtime_ns)
            out.append(self._facts.get((name, *stat)))
        return out

    def many_file_facts(self, paths: Sequence[str | Path],
                        seen: Sequence[Seen] | None = None) -> list[ContentFacts | None]:
        """Like ``file_facts`` for many files; the big ones parsed in parallel (``seen``:
        as in ``known_facts``; these are read again, so stat again)."""
        pending: list[tuple[tuple[str, int, int] | None, Future[Any] | None]] = []
        for path in paths:
            try:
                pending.append(self.facts_future(path))
            except OSError:
                pending.append((None, None))
        out: list[ContentFacts | None] = []
        for key, future in pending:
            if key is None:
                out.append(None)
                continue
            if future is not None:
                self._facts[key] = future.result()
            out.append(self._facts[key])
        return out

    def blob_facts(self, digest: str, read: Callable[[], bytes]) -> ContentFacts | None:
        """Facts of stored content, cached by its hash (versions never change)."""
        if digest not in self._facts:
            raw = read()
            self._facts[digest] = self._submit(parse_facts, raw, len(raw)).result()
        return self._facts[digest]

    def texts(self, digest: str | None, read: Callable[[], bytes]) -> dict[str, str] | None:
        if digest is not None and digest in self._texts:
            return self._texts[digest]
        raw = read()
        texts: dict[str, str] | None = self._submit(parse_texts, raw, len(raw)).result()
        if digest is not None:
            self._texts[digest] = texts
            while len(self._texts) > TEXTS_KEPT:
                self._texts.pop(next(iter(self._texts)))
        return texts

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
