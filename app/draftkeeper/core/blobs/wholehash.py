"""A big file's whole SHA-256, computed beside its pieces' without hashing again the bytes
of the leading pieces that the previous save of that file had too.

A save hashes every byte twice: once per piece (the piece's name) and once for the whole
file (its id in the manifest). SHA-256 runs through a file from its start, so its state
after a run of leading pieces depends on those bytes only; when they are the very pieces
(same names) the previous save of this file read, the state it had there is the state now.
So the whole hash starts from the state after the last piece the two saves share, and only
the bytes after it are hashed a second time: an edit near the end of a 5 MB file costs one
pass over it instead of two. The states are kept in memory only (an autosaving process
benefits; a first save hashes everything), a bounded number of them; a state is never
updated once kept (it is copied first), and a match is decided by piece names, so whichever
file the kept states came from, the hash is the file's.

A process that starts with an empty memo (every ``draftkeeper save``) hashes the whole
file a second time, on the saving thread, piece by piece as it is cut (no copy of the
pieces). It ran on a thread of its own, each piece copied and handed over, which could
save ~3 ms of wall time on an idle second core; measured on the shared 2-core machine
(load 2-3.5), that thread and the saving thread took the GIL from each other at every
piece and every query of the object database (those each took ~0.45 ms instead of
0.04): storing the fixture's edited 5.5 MB JSON took a median 21 ms with it, 13 ms
without, for the same CPU time.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
from collections import OrderedDict

from draftkeeper.core.blobs.hashing import Hasher, new_hasher

MAX_STATES = 8_192  # kept at most: a state is ~750 bytes, so ~6 MB at worst (~70 drafts
# of two 5 MB files each)

Kept = list[tuple[str, Hasher]]  # (piece name, whole-file state after that piece)


class HashMemo:
    """The states of the latest saves of a bounded number of files, newest kept."""

    def __init__(self, max_states: int = MAX_STATES) -> None:
        self._files: OrderedDict[str, Kept] = OrderedDict()
        self._count = 0
        self.max_states = max_states
        self._lock = _thread.allocate_lock()

    def get(self, key: str) -> Kept | None:
        with self._lock:
            return self._files.get(key)

    def put(self, key: str, states: Kept) -> None:
        with self._lock:
            old = self._files.pop(key, None)
            self._count -= len(old) if old else 0
            if len(states) > self.max_states:
                return
            self._files[key] = states
            self._count += len(states)
            while self._count > self.max_states:
                _key, dropped = self._files.popitem(last=False)
                self._count -= len(dropped)


class WholeHash:
    """The whole-file hash of one save of a file, fed piece by piece (``add``). A file of
    more pieces than the memo keeps is hashed in full and not remembered, so that its
    states never take more memory than the memo's bound."""

    def __init__(self, memo: HashMemo, key: str) -> None:
        self._memo, self._key = memo, key
        self._before = memo.get(key)
        self._states: Kept | None = []  # None: too many pieces to keep
        self._count = 0
        self._last: Hasher | None = None  # the state after the pieces shared so far
        self._hasher: Hasher | None = None  # None while every piece is the previous save's

    def add(self, name: str, piece: bytes | memoryview) -> None:
        """The next piece (hashed now: the caller may reuse its buffer afterwards)."""
        k, self._count = self._count, self._count + 1
        if self._hasher is None:
            before = self._before
            if before is not None and k < len(before) and before[k][0] == name:
                self._last = before[k][1]
                if self._states is not None:
                    self._states.append(before[k])
                return
            self._hasher = self._last.copy() if self._last is not None else new_hasher()
        self._hasher.update(piece)
        if self._states is not None:
            if len(self._states) >= self._memo.max_states:
                self._states = None
            else:
                self._states.append((name, self._hasher.copy()))

    def hexdigest(self) -> str:
        state = self._hasher or self._last or new_hasher()
        return state.hexdigest()

    def remember(self) -> None:
        """Keep this save's states for the next save of the same file."""
        if self._states is not None:
            self._memo.put(self._key, self._states)
