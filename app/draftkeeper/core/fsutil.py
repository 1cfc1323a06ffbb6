"""Small durable-write helpers shared by the store and settings."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from draftkeeper.core.platform.files import fsync_dir

TMP_PREFIX = ".dk-tmp-"


def temp_name(target: Path) -> Path:
    return target.with_name(f"{TMP_PREFIX}{os.urandom(6).hex()}-{target.name}")


def atomic_write_bytes(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Temp file in the same folder, write, flush, fsync, replace, fsync the folder.
    ``mode``: the file's permissions, set before anything is written (0o600: private)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(target)
    try:
        with open(tmp, "wb") as f:
            if mode is not None:
                os.chmod(tmp, mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(target.parent)


def remove_temp_files(folders: list[Path]) -> None:
    """Remove the temp files a crashed writer left in ``folders`` (the caller holds the
    store's lock, or owns the folders)."""
    for folder in folders:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(TMP_PREFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
