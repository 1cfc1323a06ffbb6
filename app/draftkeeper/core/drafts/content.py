"""Parsing draft JSON away from the window: a content summary (duration, tracks,
segments, texts), material paths, and text / caption materials for Compare.

A 5.5 MB draft (2,000 captions) holds the GIL for tens of milliseconds while json parses
it, so ``ContentParser`` sends big files to helper processes (``platform/workers.Worker``:
lean, started only when the first big one comes, ended when idle; up to two, used in
turn), which answer with plain data (``facts_data``). Small files (up to
``IN_PROCESS_BYTES``: about a millisecond of json) are parsed in the calling worker
thread, and so is a big one when no helper process can be had. Answers are cached by
(path, size, mtime_ns), or by content hash for stored versions.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from draftkeeper.core.backend import Summary
from draftkeeper.core.platform.workers import Worker
from draftkeeper.core.records import Record

if TYPE_CHECKING:  # (a process is started for big files only: a save parses none)
    from concurrent.futures import Future

TEXTS_KEPT = 8  # texts of a 2,000-caption draft take a few hundred KB
# json.loads holds the GIL: up to this size it takes about a millisecond, which the
# window's thread can wait for (sys.setswitchinterval: ui/app.py); bigger files go to the pool
IN_PROCESS_BYTES = 128 * 1024
# a file's (size, mtime_ns) as a walk has just seen it (None: not known, stat it)
Seen = tuple[int, int] | None
WORKERS = max(1, min(2, os.cpu_count() or 1))  # helper processes for big files, at most
# ContentFacts as plain data (a helper process's answer): duration_s, tracks, segments,
# texts, media paths
FactsData = tuple[float, int, int, int, tuple[str, ...]]


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


def facts_data(source: str | bytes) -> FactsData | None:
    """In a helper process: ``parse_facts`` as plain data (``facts_back`` makes it
    ContentFacts again)."""
    facts = parse_facts(source)
    if facts is None:
        return None
    s = facts.summary
    return (s.duration_s, s.tracks, s.segments, s.texts, facts.media_paths)


def facts_back(data: FactsData | None) -> ContentFacts | None:
    if data is None:
        return None
    duration, tracks, segments, texts, paths = data
    return ContentFacts(Summary(duration, tracks, segments, texts), tuple(paths))


class ContentParser:
    """Parses draft JSON, big files in helper processes (started on first use), with a
    cache.

    ``pool_factory`` makes a helper process (a ``Worker``, which starts its process at
    its first request); ``in_process_bytes`` is the size up to which a file is parsed in
    the calling thread instead."""

    def __init__(self, pool_factory: Callable[[], Worker] = Worker,
                 in_process_bytes: int = IN_PROCESS_BYTES) -> None:
        self._factory = pool_factory
        self._small = in_process_bytes
        self._pools: list[Worker] = []
        self._turn = 0
        self._lock = threading.Lock()
        self._facts: dict[tuple[str, int, int] | str, ContentFacts | None] = {}
        self._key_of: dict[str, tuple[str, int, int]] = {}  # path -> its cached key
        self._texts: dict[str, dict[str, str] | None] = {}  # the last few compared
        self.parsed = 0  # how many files were parsed (the cache saves the rest)

    def _submit(self, fn: Callable[[str | bytes], Any], source: str | bytes,
                size: int) -> Future[Any]:
        """``fn(source)``: here when the file is small (or no helper process can be had),
        else in a helper process (``fn``'s answer: plain data)."""
        future: Future[Any] | None = None
        with self._lock:
            self.parsed += 1
            if size > self._small:
                if len(self._pools) < WORKERS:
                    self._pools.append(self._factory())
                self._turn = (self._turn + 1) % len(self._pools)
                future = self._pools[self._turn].submit(fn, source)
        if future is not None:
            return future
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
        return key, self._submit(facts_data, name, st.st_size)

    def file_facts(self, path: Path) -> ContentFacts | None:
        """Blocking (call from a worker thread): facts of a working-copy file."""
        key, future = self.facts_future(path)
        if future is not None:
            self._facts[key] = self._answer(future, os.fspath(path))
        return self._facts[key]

    @staticmethod
    def _answer(future: Future[Any], source: str | bytes) -> ContentFacts | None:
        """The facts a helper process sent; parsed here if it failed on the way."""
        try:
            return facts_back(future.result())
        except Exception:  # (WorkerFailed, or cancelled: the process ended)
            return parse_facts(source)

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
                self._facts[key] = self._answer(future, key[0])
            out.append(self._facts[key])
        return out

    def blob_facts(self, digest: str, read: Callable[[], bytes]) -> ContentFacts | None:
        """Facts of stored content, cached by its hash (versions never change)."""
        if digest not in self._facts:
            raw = read()
            self._facts[digest] = self._answer(self._submit(facts_data, raw, len(raw)), raw)
        return self._facts[digest]

    def texts(self, digest: str | None, read: Callable[[], bytes]) -> dict[str, str] | None:
        if digest is not None and digest in self._texts:
            return self._texts[digest]
        raw = read()
        try:
            texts: dict[str, str] | None = self._submit(parse_texts, raw, len(raw)).result()
        except Exception:  # (the helper process failed on the way: parsed here)
            texts = parse_texts(raw)
        if digest is not None:
            self._texts[digest] = texts
            while len(self._texts) > TEXTS_KEPT:
                self._texts.pop(next(iter(self._texts)))
        return texts

    def close(self) -> None:
        with self._lock:
            pools, self._pools = self._pools, []
        for pool in pools:
            pool.close()
