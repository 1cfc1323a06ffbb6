"""Helpers for tests: draft folders as {relative path: bytes}, a small real file system."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def read_tree(folder: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def make_draft(root: Path, draft_id: str, files: dict[str, bytes] | None = None) -> Path:
    folder = root / draft_id
    folder.mkdir(parents=True, exist_ok=True)
    write_tree(folder, files or {
        "draft_content.json": b'{"tracks": []}',
        "draft_meta_info.json": b'{"draft_name": "x"}',
    })
    return folder


def bump(path: Path, data: bytes) -> None:
    """Rewrite a file and move its mtime forward, as an editor's save would."""
    st = path.stat() if path.exists() else None
    path.write_bytes(data)
    if st is not None:
        ns = max(st.st_mtime_ns + 1_000_000, path.stat().st_mtime_ns)
        os.utime(path, ns=(ns, ns))


@contextlib.contextmanager
def tmpfs(mnt: Path, size: str) -> Iterator[Path]:
    """A real small file system at ``mnt`` (needs root and mount); the test is skipped
    where there is none."""
    mnt.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False, capture_output=True)
