"""The OS file lock that serializes the store's writers (several processes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from draftkeeper.core.blobs.io import StoreIO
from draftkeeper.core.errors import StoreLocked
from draftkeeper.core.platform.files import lock, unlock


class FileLock:
    def __init__(self, path: Path, timeout: float, io: StoreIO | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self.io = io or StoreIO()
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = self.io.open_lock(self.path)
        try:
            lock(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise StoreLocked(
                    f"The version store is busy (locked by another save for more than "
                    f"{self.timeout:g} s): {self.path.parent}",
                    reason="store_locked",
                    params={"seconds": self.timeout, "path": str(self.path.parent)},
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        unlock(fd)
        os.close(fd)  # closing the descriptor releases a flock
