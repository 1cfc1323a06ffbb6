"""Content facts of working-copy files kept in the index (``index.sqlite3``'s ``facts``
table, ``local/index.py``): a draft's JSON is parsed only when its file's path, size or
mtime is new, or was too recent to be trusted when it was parsed (``RACY_NS``).

A row is (path, size, mtime_ns, seen_ns, the facts): ``seen_ns`` is a moment before the
file's bytes were read; a row is trusted only when its mtime is more than ``RACY_NS``
older than that moment (a later write in the same mtime tick cannot have happened). The
facts are columns (duration, tracks, segments, texts: NULL tracks for a file that has no
facts), and the media paths a JSON list, empty text when there are none (10,000 drafts:
no JSON to read for most rows).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from draftkeeper.core.backend import Summary
from draftkeeper.core.drafts.content import ContentFacts, ContentParser, Seen
from draftkeeper.core.local.index import DraftIndex, FactsRow
from draftkeeper.core.store.quick import RACY_NS

_Miss = tuple[int, int, int]  # (index, size, mtime_ns); size -1: the file cannot be read


class IndexedParser(ContentParser):
    """The content parser, with the facts of unchanged working-copy files kept in the
    index (see the module's docstring)."""

    def __init__(self, index: DraftIndex) -> None:
        super().__init__()
        self.index = index

    def known_facts(self, paths: Sequence[str | Path],
                    seen: Sequence[Seen] | None = None) -> list[ContentFacts | None]:
        return self._lookup([os.fspath(p) for p in paths], seen)[0]

    def _lookup(self, names: list[str], seen: Sequence[Seen] | None = None
                ) -> tuple[list[ContentFacts | None], list[_Miss]]:
        """The facts kept of unchanged files; the others' (index, size, mtime_ns). A
        file's (size, mtime_ns) is taken from ``seen`` where a walk has just given it,
        else from a stat now."""
        rows = self.index.facts_rows(names)
        out: list[ContentFacts | None] = [None] * len(names)
        misses: list[_Miss] = []
        for i, name in enumerate(names):
            stat = seen[i] if seen is not None else None
            if stat is None:
                try:
                    st = os.stat(name)
                except OSError:
                    misses.append((i, -1, -1))
                    continue
                stat = (st.st_size, st.st_mtime_ns)
            row = rows.get(name)
            if (row is not None and row[0] == stat[0] and row[1] == stat[1]
                    and row[2] - stat[1] > RACY_NS):
                out[i] = _facts(row)
            else:
                misses.append((i, *stat))
        return out, misses

    def many_file_facts(self, paths: Sequence[str | Path],
                        seen: Sequence[Seen] | None = None) -> list[ContentFacts | None]:
        names = [os.fspath(p) for p in paths]
        before = time.time_ns()  # before any of them is read (see the module's docstring)
        out, misses = self._lookup(names, seen)
        parsed = super().many_file_facts([paths[i] for i, *_rest in misses]) if misses else []
        fresh: list[tuple[object, ...]] = []
        for (i, size, mtime_ns), facts in zip(misses, parsed, strict=True):
            out[i] = facts
            if size >= 0:
                fresh.append((names[i], size, mtime_ns, before, *_columns(facts)))
        self.index.put_facts(fresh)
        return out


def _columns(facts: ContentFacts | None
             ) -> tuple[float | None, int | None, int | None, int | None, str]:
    if facts is None:
        return None, None, None, None, ""
    s = facts.summary
    media = json.dumps(list(facts.media_paths), ensure_ascii=False,
                       separators=(",", ":")) if facts.media_paths else ""
    return s.duration_s, s.tracks, s.segments, s.texts, media


def _facts(row: FactsRow) -> ContentFacts | None:
    _size, _mtime, _seen, duration, tracks, segments, texts, media = row
    if tracks is None:
        return None
    return ContentFacts(Summary(duration or 0.0, tracks, segments or 0, texts or 0),
                        tuple(json.loads(media)) if media else ())
