"""Content-addressed blobs: ``blobs/ab/<sha256>.zst``, stored once, kept in a ``Backing``
(by default ``packs.PackedFolder``: small ones packed in the object database, large ones
files).

A blob is stored zstd-compressed, or, when zstd cannot shrink it (media, archives: they
are compressed already), raw behind the 4-byte marker ``RAW`` (never the start of a zstd
frame), so that reading it back is a copy, not a decompression. Blobs of earlier releases
are all zstd and read as they are.

A kept file is either one blob named by the file's hash (format 1, and every small file),
or, when large, a *chunk list*: a blob whose text lists the file's content-defined pieces,
``<sha256> <length>`` a line, each piece being a blob of its own (format 2). A long list
is a tree: its lines ``<sha256> <length> list`` name sub-lists of about ``chunking.GROUP`` lines
each, cut where a line's name says so (content-defined, like the pieces), level upon
level until the top list is short, so that an edit rewrites a few short lists instead of
the whole list of a big file (a 20-byte edit of the 5.5 MB fixture: about 1 KiB of lists
instead of 5 KiB). Either way ``file_content`` gives the file back, checking every piece
and the whole file's hash.
"""

from __future__ import annotations

import _thread  # (threading's locks, without threading's start)
import contextlib
import errno
import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from draftkeeper.core.blobs import chunking
from draftkeeper.core.blobs.backing import Backing
from draftkeeper.core.blobs.form import RAW, compressor, pack, unpack, zstd
from draftkeeper.core.blobs.hashing import BackgroundHasher, hashed, hexdigest, new_hasher
from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.blobs.packs import PackedFolder
from draftkeeper.core.blobs.wholehash import HashMemo, WholeHash
from draftkeeper.core.records import Record

TYPE_CHECKING = False  # typing is not imported at run time: a changed CLI save needs this
if TYPE_CHECKING:
    from typing import IO

PREFIX = "blobs/"
LEVELS_MAX = 8  # lists of lists of ...: 8 levels name more pieces than any file has
BATCH_BYTES = 1024 * 1024  # a save asks whether its pieces are stored this many at once
BATCH_PIECE = 256 * 1024  # (not bigger pieces: those are asked about one by one)
ROWS_AT_ONCE = 32  # small pieces a file's reading fetches from the database in one query
SUBLIST = "list"


class BlobDamaged(Exception):
    """A stored copy that is missing or does not give back its content; ``reason`` says
    which, in words fit for a message."""

    def __init__(self, digest: str, reason: str) -> None:
        super().__init__(reason)
        self.digest = digest
        self.reason = reason


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "stored copy is missing"
    if isinstance(exc, zstd.ZstdError):
        return f"stored copy is corrupt ({exc})"
    if isinstance(exc, OSError) and exc.errno == errno.EIO:
        return "stored copy cannot be read (I/O error)"
    if isinstance(exc, OSError):
        return f"stored copy cannot be read ({exc.strerror or exc})"
    return f"stored copy cannot be read ({exc})"


class Stored(Record):
    """What storing one file did: its hash, its chunk list (None: one whole blob), and the
    blobs this save added (digest -> compressed bytes), for accounting and for undoing."""

    __match_args__ = ("hash", "chunks", "new")
    __slots__ = __match_args__

    def __init__(self, hash: str, chunks: str | None, new: dict[str, int] | None = None
                 ) -> None:
        self.hash = hash
        self.chunks = chunks
        self.new: dict[str, int] = {} if new is None else new


class Blobs:
    def __init__(self, root: Path, io: StoreIO, backing: Backing | None = None) -> None:
        self.dir = root / "blobs"
        self.io = io
        self.backing: Backing = backing or PackedFolder(root, io, self.dir)
        self._lock = _thread.allocate_lock()
        self.memo = HashMemo()  # whole-file hash states of the latest saves (wholehash.py)

    @staticmethod
    def key(digest: str) -> str:
        return f"{PREFIX}{digest[:2]}/{digest}.zst"

    def path(self, digest: str) -> Path:
        """Where the local folder keeps a blob (tests and tools that look at the disk)."""
        return self.dir / digest[:2] / f"{digest}.zst"

    def exists(self, digest: str) -> bool:
        return self.backing.exists(self.key(digest))

    def present(self, digests: Iterable[str]) -> set[str]:
        """Which of ``digests`` are stored (the object database asked once, not once
        each: every query there takes and drops its lock and looks for a journal)."""
        digests = list(digests)
        if isinstance(self.backing, PackedFolder):
            keys = self.backing.present([self.key(d) for d in digests])
            return {key.rpartition("/")[2][:-4] for key in keys}
        return {d for d in digests if self.exists(d)}

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """While the caller holds the store's lock (``PackedFolder.holding``)."""
        if isinstance(self.backing, PackedFolder):
            with self.backing.holding():
                yield
        else:
            yield

    def digests(self) -> Iterator[str]:
        for key in self.backing.list(PREFIX):
            name = key.rpartition("/")[2]
            if name.endswith(".zst"):
                yield name[:-4]

    def remove(self, digest: str) -> None:
        self.backing.delete(self.key(digest))

    def remove_many(self, digests: Iterable[str]) -> None:
        """Remove blobs (rows of the object database in one transaction), then give the
        space they took back to the file system."""
        if isinstance(self.backing, PackedFolder):
            self.backing.delete_many([self.key(d) for d in digests])
            self.backing.compact()
            return
        for digest in digests:
            self.remove(digest)

    def stored(self, digest: str) -> bytes:
        """A blob's bytes as stored (zstd or ``RAW``): what a replica copies as it is."""
        return b"".join(self.backing.get(self.key(digest)))

    def file_blobs(self, file_hash: str, chunks: str | None) -> list[str]:
        """Every blob a kept file needs: its one blob, or its chunk list and its pieces
        (BlobDamaged when the chunk list cannot be read)."""
        if chunks is None:
            return [file_hash]
        pieces, lists = self.chunk_tree(chunks)
        return [chunks, *lists, *dict.fromkeys(piece for piece, _size in pieces)]

    def sync(self) -> None:
        self.backing.sync()

    # --- reading -----------------------------------------------------------------------

    def _raw_chunks(self, digest: str) -> Iterator[bytes]:
        stored = iter(self.backing.get(self.key(digest)))
        head = b""
        for piece in stored:  # enough to tell the kind (a stored blob is read in blocks)
            head += piece
            if len(head) >= len(RAW):
                break
        if head[:4] == RAW:
            yield head[4:]
            yield from stored
            return
        dctx = zstd.ZstdDecompressor().decompressobj()
        for piece in itertools.chain((head,), stored):  # streamed: any size
            if out := dctx.decompress(piece):
                yield out
        if not dctx.eof:
            raise zstd.ZstdError("truncated")

    def content(self, digest: str) -> Iterator[bytes]:
        """The blob's content, piece by piece, checked against its hash at the end.

        Any way the stored copy can fail (missing, unreadable, not zstd, wrong content)
        raises BlobDamaged; the caller decides what the pieces already given are worth.
        """
        hasher = new_hasher()
        try:
            yield from hashed(self._raw_chunks(digest), hasher)
        except (OSError, zstd.ZstdError) as exc:
            raise BlobDamaged(digest, _reason(exc)) from exc
        if hasher.hexdigest() != digest:
            raise BlobDamaged(digest, "stored copy is damaged (hash mismatch)")

    def chunk_list(self, digest: str) -> list[tuple[str, int]]:
        """The pieces a chunk list names, in order (BlobDamaged when it cannot be read)."""
        return self.chunk_tree(digest)[0]

    def chunk_tree(self, digest: str) -> tuple[list[tuple[str, int]], list[str]]:
        """(the pieces a chunk list names, in order; the sub-lists it is made of)."""
        pieces: list[tuple[str, int]] = []
        lists: list[str] = []

        def walk(name: str, depth: int) -> None:
            for line_name, size, is_list in self._lines(name):
                if not is_list:
                    pieces.append((line_name, size))
                    continue
                if depth >= LEVELS_MAX:  # more than any save writes: not ours
                    raise BlobDamaged(line_name, "stored chunk list is not one")
                lists.append(line_name)
                walk(line_name, depth + 1)

        walk(digest, 1)
        return pieces, lists

    def _lines(self, digest: str) -> list[tuple[str, int, bool]]:
        raw = b"".join(self.content(digest))
        out = []
        try:
            for line in raw.decode("ascii").splitlines():
                name, size, *kind = line.split(" ")
                if kind not in ([], [SUBLIST]):
                    raise ValueError(line)
                out.append((name, int(size), bool(kind)))
        except ValueError as exc:
            raise BlobDamaged(digest, "stored chunk list is not one") from exc
        return out

    def file_content(
        self, file_hash: str, chunks: str | None, *, each_piece: bool = False
    ) -> Iterator[bytes | memoryview]:
        """A kept file's content, checked against the whole file's hash at the end (which
        any damaged piece fails); ``each_piece`` checks every piece's own hash too (verify:
        it tells which piece is damaged)."""
        if chunks is None:
            yield from self.content(file_hash)
            return
        whole = BackgroundHasher()  # (a thread of its own hashes the bytes given)
        dctx = zstd.ZstdDecompressor()
        pieces = self.chunk_list(chunks)
        rows: dict[str, bytes] = {}  # the next small pieces, asked for in one query
        try:
            for i, (piece, size) in enumerate(pieces):
                if each_piece:
                    yield from hashed(self.content(piece), whole)
                    continue
                key = self.key(piece)
                try:  # a piece is small (at most 4 MiB): one read, one call
                    if i % ROWS_AT_ONCE == 0 and size <= BATCH_PIECE and isinstance(
                            self.backing, PackedFolder):
                        rows = self.backing.rows([self.key(p) for p, s in
                                                  pieces[i:i + ROWS_AT_ONCE] if s <= BATCH_PIECE])
                    stored = rows.pop(key, None)
                    if stored is None:
                        stored = b"".join(self.backing.get(key))
                    data = unpack(stored, dctx, chunking.BIG_AVG * 4)
                except (OSError, zstd.ZstdError) as exc:
                    raise BlobDamaged(piece, _reason(exc)) from exc
                whole.update(data)
                yield data
            if whole.hexdigest() != file_hash:
                raise BlobDamaged(file_hash, "stored copy is damaged (hash mismatch)")
        finally:
            whole.close()

    def problem(self, digest: str, chunks: str | None = None) -> str | None:
        """Why a file (or a blob) cannot be given back (None when it can)."""
        try:
            for _chunk in self.file_content(digest, chunks, each_piece=True):
                pass
        except BlobDamaged as exc:
            return exc.reason
        return None

    # --- writing -----------------------------------------------------------------------

    def _put(self, digest: str, data: bytes | memoryview, cctx: zstd.ZstdCompressor,
             out: Stored, *, absent: bool = False) -> None:
        """Store a blob unless it is there (``absent``: just asked)."""
        key = self.key(digest)
        if digest in out.new or (not absent and self.backing.exists(key)):
            return
        with self._lock:  # two files of one save with the same piece: one writes it
            if digest in out.new:
                return
            out.new[digest] = 0
        try:
            if isinstance(self.backing, PackedFolder):  # (not asked again)
                out.new[digest] = self.backing.put_if_absent(key, [pack(data, cctx)],
                                                             absent=True)
            else:
                out.new[digest] = self.backing.put_if_absent(key, [pack(data, cctx)])
        except BaseException:
            out.new.pop(digest, None)
            raise

    def put_content(self, digest: str, data: bytes) -> int:
        """Keep ``data`` as the blob ``digest`` (a copy brought from elsewhere, e.g. the
        shared store) unless it is kept already; the bytes written. Durable after ``sync``.
        Raises BlobDamaged when ``data`` is not that blob's content."""
        if hexdigest(data) != digest:
            raise BlobDamaged(digest, "copy is damaged (hash mismatch)")
        out = Stored(digest, None)
        self._put(digest, data, compressor(), out)
        return out.new.get(digest, 0)

    def store_file(
        self, f: IO[bytes], path: Path | str, size: int, finished: Callable[[], None],
        out: Stored,
    ) -> None:
        """Store the file open as ``f`` (``size`` bytes when listed): whole when small,
        else as content-defined pieces and a chunk list. ``finished`` runs once every byte
        was read (it may raise to refuse the content); the blobs stored so far are then in
        ``out.new`` for the caller to discard. A batch of pieces is asked about once the
        chunker reused their bytes: one not stored is read again (``chunking.again``)."""
        cctx = compressor()
        if size < chunking.SMALL:
            data = self.io.read(f, path, size + 1)  # one read (to the end: buffered)
            if len(data) > size:  # grown since it was listed (``finished`` refuses it)
                data += b"".join(_blocks(self.io, f, path))
            finished()
            out.hash = hexdigest(data)
            self._put(out.hash, data, cctx, out)
            return
        whole = WholeHash(self.memo, str(path))
        lines = []
        batch: list[tuple[str, int, int]] = []  # small pieces (name, offset, length)
        batched = offset = 0
        for piece in chunking.pieces(self.io, f, path, size):
            digest, length = hexdigest(piece), len(piece)
            lines.append(f"{digest} {length}\n")
            whole.add(digest, piece)
            if length > BATCH_PIECE:
                self._put(digest, piece, cctx, out)
            else:
                batch.append((digest, offset, length))
                batched += length
                if batched >= BATCH_BYTES:
                    self._put_pieces(batch, f, path, cctx, out)
                    batch, batched = [], 0
            offset += length
        self._put_pieces(batch, f, path, cctx, out)
        finished()
        out.hash = whole.hexdigest()
        whole.remember()
        while len(lines) > 2 * chunking.GROUP:  # a level of sub-lists, until the top is short
            lines = self._sublists(list(chunking.groups(lines)), cctx, out)
        listing = "".join(lines).encode("ascii")
        out.chunks = hexdigest(listing)
        self._put(out.chunks, listing, cctx, out)

    def _put_batch(self, batch: list[tuple[str, bytes]], cctx: zstd.ZstdCompressor,
                   out: Stored) -> None:
        """Store the pieces of ``batch`` that are not there, asking which in one go (a
        5.5 MB file is some 340 pieces, nearly all of them stored already)."""
        if not batch:
            return
        present = self.present(d for d, _data in batch)
        for digest, data in batch:
            if digest not in present:
                self._put(digest, data, cctx, out, absent=True)

    def _put_pieces(self, batch: list[tuple[str, int, int]], f: IO[bytes], path: Path | str,
                    cctx: zstd.ZstdCompressor, out: Stored) -> None:
        """``_put_batch`` for pieces of the file open as ``f``, read again when not stored."""
        present = self.present(digest for digest, _at, _length in batch) if batch else ()
        for digest, at, length in batch:
            if digest not in present:
                data = chunking.again(self.io, f, path, at, length, digest)
                self._put(digest, data, cctx, out, absent=True)

    def _sublists(self, groups: list[list[str]], cctx: zstd.ZstdCompressor, out: Stored
                  ) -> list[str]:
        """Store groups of a chunk list's lines (those not stored yet: asked together);
        the lines of the level above that name them."""
        listings = ["".join(lines).encode("ascii") for lines in groups]
        digests = [hexdigest(listing) for listing in listings]
        self._put_batch(list(zip(digests, listings, strict=True)), cctx, out)
        return [f"{digest} {sum(int(line.split(' ')[1]) for line in lines)} {SUBLIST}\n"
                for digest, lines in zip(digests, groups, strict=True)]

    def discard(self, digests: Iterable[str]) -> None:
        # Blobs stored by a failed save are harmless (content-addressed) but unreferenced;
        # drop them so that a failure leaves the store as it was (once every put of the
        # save has finished, so that none is published after this).
        digests = list(digests)
        if isinstance(self.backing, PackedFolder):
            with contextlib.suppress(OSError):
                self.backing.discard([self.key(d) for d in digests])
            return
        with contextlib.suppress(OSError):
            self.sync()
        for digest in digests:
            with contextlib.suppress(OSError):
                self.remove(digest)


def _blocks(io: StoreIO, f: IO[bytes], path: Path | str) -> Iterator[bytes]:
    while chunk := io.read(f, path):
        yield chunk


